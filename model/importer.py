"""Import a report from a filled template (xlsx) or a CSV, for another month or another structure.

What real files bring is normalised first — Vietnamese number formats ("15.797", "98,58%"), a
UTF-8 BOM, ";" as separator, blank rows, title rows above the header — and the result goes through
the same loader as the built-in data, so an upload is checked by exactly the same rules. Problems
are reported against the user's own file, row and column. A rejected file changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from model.baseline import PROVINCE_COLUMNS, UNIT_COLUMNS, Problem, Report, ReportError, load_report
from model.limits import MAX_REPORT_UPLOAD_BYTES as MAX_UPLOAD_BYTES

COUNT_COLUMNS = {c for c, kind in UNIT_COLUMNS.items() if kind in ("count", "int")}
PCT_COLUMNS = {c for c, kind in UNIT_COLUMNS.items() if kind == "pct"}
DESCRIPTION_VI = {
    "unit_id": "Mã đơn vị (không dấu, duy nhất)",
    "order": "STT",
    "kind": "Loại: department / district / commune",
    "name": "Tên đơn vị (có dấu)",
    "name_en": "Tên tiếng Anh",
    "services_online_l34": "Số DVCTT mức độ 3, 4",
    "services_with_dossiers": "Số DVC phát sinh hồ sơ",
    "services_share_printed_pct": "Tỷ lệ DVC phát sinh hồ sơ (%)",
    "dossiers": "Tổng số hồ sơ phát sinh",
    "dossiers_online": "Số hồ sơ trực tuyến",
    "online_share_printed_pct": "Tỷ lệ hồ sơ trực tuyến (%)",
    "dossiers_incl_communes": "Tổng số hồ sơ gồm cấp xã (huyện)",
    "dossiers_online_incl_communes": "Hồ sơ trực tuyến gồm cấp xã (huyện)",
    "online_share_incl_communes_printed_pct": "Tỷ lệ gồm cấp xã (%)",
    "commune_services_deployed": "Cấp xã đã có DVCTT? true/false (huyện)",
    "ministry_systems_unconnected": "Có hệ thống bộ chưa kết nối? true/false",
}
_THOUSANDS = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def _problem(file, row, column, rule, vi, en) -> ReportError:
    return ReportError([Problem(file, row, column, rule, vi, en)])


def normalise_number(text: str, column: str) -> str:
    """Vietnamese (15.797 / 98,58%) or English (15,797 / 98.58%) into machine form; anything else unchanged
    (the loader then names it as text where a number belongs)."""
    t = text.strip().replace("\u00a0", " ")
    if not t:
        return ""
    if column in PCT_COLUMNS:
        t = t.rstrip("%").strip().replace(",", ".")
        return t
    if column in COUNT_COLUMNS and _THOUSANDS.match(t):
        return re.sub(r"[.,\s]", "", t)
    return t


def _rows_from_csv(data: bytes, name: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem(
            name,
            None,
            None,
            "encoding",
            f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại dưới dạng “CSV UTF-8”",
            f"file is not UTF-8 (bad byte at offset {exc.start})",
        ) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            value = value * 100
        return repr(round(float(value), 10)).removesuffix(".0") if float(value).is_integer() else repr(round(float(value), 10))
    return str(value)


def _rows_from_xlsx(data: bytes, name: str) -> tuple[list[list[str]], list[list[str]] | None, dict]:
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _problem(
            name,
            None,
            None,
            "not_xlsx",
            f"không đọc được tệp Excel ({exc.__class__.__name__})",
            f"cannot read the Excel file ({exc})",
        ) from None
    units_ws = wb["Đơn vị"] if "Đơn vị" in wb.sheetnames else wb.worksheets[0]
    units = [[_cell_text(c) for c in row] for row in units_ws.iter_rows()]
    province = None
    if "Toàn tỉnh" in wb.sheetnames:
        province = [[_cell_text(c) for c in row] for row in wb["Toàn tỉnh"].iter_rows()]
    info = {}
    if "Thông tin" in wb.sheetnames:
        for row in wb["Thông tin"].iter_rows(values_only=True):
            if row and row[0] and len(row) > 1 and row[1] is not None:
                info[str(row[0]).strip()] = str(row[1]).strip()
    return units, province, info


def _find_header(rows: list[list[str]], name: str, required: str) -> int:
    for i, row in enumerate(rows[:50]):
        if required in [c.strip() for c in row]:
            return i
    raise _problem(
        name,
        None,
        required,
        "no_header",
        f"không tìm thấy dòng tiêu đề có cột “{required}” (dùng tệp mẫu)",
        f"no header row with a “{required}” column was found (use the template)",
    )


def import_report(data: bytes, filename: str, label: str, period: str) -> Report:
    """The imported report, or ReportError naming the user's file, row, column and rule."""
    name = Path(filename).name
    if len(data) > MAX_UPLOAD_BYTES:
        raise _problem(
            name,
            None,
            None,
            "too_large",
            f"tệp lớn hơn giới hạn {MAX_UPLOAD_BYTES // 1_000_000} MB",
            f"file is larger than the {MAX_UPLOAD_BYTES // 1_000_000} MB limit",
        )
    if not data.strip():
        raise _problem(name, None, None, "empty_file", "tệp rỗng", "file is empty")
    suffix = Path(name).suffix.lower()
    province_rows: list | None = None
    info: dict = {}
    if suffix == ".xlsx":
        unit_rows, province_rows, info = _rows_from_xlsx(data, name)
    elif suffix == ".csv":
        unit_rows = _rows_from_csv(data, name)
    else:
        raise _problem(name, None, None, "file_type", "chỉ nhận tệp .xlsx hoặc .csv", "only .xlsx or .csv files are accepted")
    label = (label or info.get("label_vi") or "").strip()
    period = (period or info.get("period") or "").strip()
    if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", period):
        raise _problem(
            name,
            None,
            "period",
            "bad_period",
            f"kỳ báo cáo “{period}” phải có dạng NNNN-TT (ví dụ 2023-06)",
            f"the report period “{period}” must look like YYYY-MM (e.g. 2023-06)",
        )
    if not label:
        raise _problem(name, None, "label", "missing_label", "hãy đặt tên cho bộ số liệu", "give the data a label")

    header_at = _find_header(unit_rows, name, "unit_id")
    header = [h.strip() for h in unit_rows[header_at]]
    body = []
    for row in unit_rows[header_at + 1 :]:
        row = (row + [""] * len(header))[: len(header)] if any(c.strip() for c in row) else [""] * len(header)
        body.append(
            [normalise_number(c, col) if col in COUNT_COLUMNS | PCT_COLUMNS else c.strip() for c, col in zip(row, header)]
        )
    digest = hashlib.sha1(data).hexdigest()[:8]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with open(folder / "units.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(body)
        with open(folder / "province.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            if province_rows:
                p_at = _find_header(province_rows, name, "metric")
                p_header = [h.strip() for h in province_rows[p_at]]
                w.writerow(p_header)
                unit_at = p_header.index("unit") if "unit" in p_header else None
                for row in province_rows[p_at + 1 :]:
                    kind = row[unit_at].strip() if unit_at is not None and unit_at < len(row) else "pct"
                    as_column = "dossiers" if kind == "count" else "online_share_printed_pct"
                    w.writerow([normalise_number(c, as_column) if h == "value" else c.strip() for h, c in zip(p_header, row)])
            else:
                w.writerow(PROVINCE_COLUMNS)
        (folder / "provenance.csv").write_text("unit_id,column,raw_ocr,value,action,reason\n", encoding="utf-8")
        (folder / "report.toml").write_text(
            f'id = "upload-{period}-{digest}"\nlabel_vi = {_toml(label)}\nlabel_en = {_toml(label)}\n'
            f'period = "{period}"\ncumulative_from = "{period[:4]}-01"\nsource = {_toml("Tệp tải lên: " + name)}\n'
            "synthetic = false\n",
            encoding="utf-8",
        )
        try:
            return load_report(folder)
        except ReportError as err:
            raise ReportError([_as_upload(p, name, header_at) for p in err.problems]) from None


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _as_upload(p: Problem, name: str, header_at: int) -> Problem:
    """units.csv line N is line N + (rows above the header) of the user's file."""
    if p.file == "units.csv":
        return Problem(name, None if p.row is None else p.row + header_at, p.column, p.rule, p.detail_vi, p.detail_en)
    if p.file == "province.csv":
        return Problem(f"{name} (trang Toàn tỉnh)", p.row, p.column, p.rule, p.detail_vi, p.detail_en)
    return p


def template_xlsx(report: Report | None = None) -> bytes:
    """The baseline schema as a workbook to fill in: sheet “Đơn vị” (a title row, a row of Vietnamese
    explanations, then the header), sheet “Toàn tỉnh”, sheet “Thông tin” (label and period)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    ws["A1"] = "Mẫu số liệu DVCTT — mỗi dòng một đơn vị; giữ nguyên dòng tiêu đề (dòng 3)"
    ws["A1"].font = Font(bold=True, size=13)
    columns = list(UNIT_COLUMNS)
    for j, col in enumerate(columns, start=1):
        ws.cell(row=2, column=j, value=DESCRIPTION_VI[col]).font = Font(italic=True, color="555555")
        head = ws.cell(row=3, column=j, value=col)
        head.font, head.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0072B2")
        ws.column_dimensions[head.column_letter].width = max(14, min(40, len(DESCRIPTION_VI[col]) + 2))
    if report is not None:
        # printed shares the data does not keep (they disagree with legible counts) are left out
        not_kept = {(r.unit_id, r.column) for r in report.provenance.itertuples() if r.action == "kept_counts_over_printed_share"}
        for i, u in enumerate(report.units.itertuples(), start=4):
            for j, col in enumerate(columns, start=1):
                value = getattr(u, col)
                if value is None or str(value) in ("<NA>", "nan") or (u.unit_id, col) in not_kept:
                    continue
                if UNIT_COLUMNS[col] == "bool":
                    value = "true" if bool(value) else "false"
                elif UNIT_COLUMNS[col] in ("count", "int"):
                    value = int(value)
                elif UNIT_COLUMNS[col] == "pct":
                    value = float(value)
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a name is never a formula
    ws.freeze_panes = "A4"
    prov = wb.create_sheet("Toàn tỉnh")
    for j, col in enumerate(PROVINCE_COLUMNS, start=1):
        prov.cell(row=1, column=j, value=col).font = Font(bold=True)
    if report is not None:
        for i, r in enumerate(report.province.itertuples(), start=2):
            for j, col in enumerate(PROVINCE_COLUMNS, start=1):
                prov.cell(row=i, column=j, value=r.value if col == "value" else getattr(r, col)).data_type = (
                    "n" if col == "value" else "s"
                )
    meta = wb.create_sheet("Thông tin")
    meta.append(["label_vi", report.label_vi if report is not None else ""])
    meta.append(["period", report.period if report is not None else ""])
    meta.append(["Ghi chú", "period có dạng NNNN-TT. Số có thể viết kiểu Việt Nam (15.797; 98,58%)."])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
