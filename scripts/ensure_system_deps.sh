#!/usr/bin/env bash
# Browser and spreadsheet tests need Debian's chromium, LibreOffice Calc and a Times-metric font.
# As root on Debian/Ubuntu we install them; elsewhere we say exactly what to install.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)  # the printed workbook's pages, looked at in tests
# Liberation Serif has the metrics of Times New Roman (the workbook's font, Decree 30/2020/NĐ-CP): without
# it LibreOffice prints in another font and the printed pages break where they never will on paper
fc-list 2>/dev/null | grep -q "LiberationSerif-Regular" || missing+=(fonts-liberation2)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get (needed by the browser and spreadsheet tests)..."
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "The browser and spreadsheet tests need: ${missing[*]}"
  echo "Install them with:  sudo apt-get install ${missing[*]}"
  echo "(Without them those tests are skipped; under CI=true a skip is a failure.)"
fi
