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
import logging
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from model.baseline import PROVINCE_COLUMNS, UNIT_COLUMNS, Problem, Report, ReportError, load_report
from model.limits import (
    MAX_BLANK_ROWS,
    MAX_CELL_CHARS,
    MAX_REPORT_ROWS,
    MAX_XLSX_COLUMNS,
    MAX_XLSX_UNCOMPRESSED_BYTES,
)
from model.limits import MAX_REPORT_UPLOAD_BYTES as MAX_UPLOAD_BYTES
from model.parse import ValueProblem, month_from_cell, parse_count, parse_month, shown

log = logging.getLogger(__name__)
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


def _problem(file, row, column, rule, vi, en) -> ReportError:
    return ReportError([Problem(file, row, column, rule, vi, en)])


def normalise_number(text: str, column: str) -> str:
    """A share written the Vietnamese (98,58%) or English (98.58%) way into machine form; counts and
    anything else unchanged (the loader reads counts with the shared parser, and names the rule it breaks)."""
    t = text.strip().replace("\u00a0", " ")
    if not t:
        return ""
    if column in PCT_COLUMNS:
        t = t.rstrip("%").strip().replace(",", ".")
        return t
    return t  # a count is read by model.parse.parse_count in the loader: 15.797 and 15,797 alike, fractions refused


def _count_text(text: str) -> str:
    """A count of the province sheet in machine form (15.797 and 15,797 alike); left as it is when it is
    no whole number, so that the loader names it."""
    try:
        return str(parse_count(text))
    except ValueProblem:
        return text.strip()


def _rows_from_csv(data: bytes, name: str) -> list[list[str]]:
    """Rows of a CSV, or the project's own error naming what was found: the encoding, the separator,
    a quote left open, a file that is really a workbook."""
    if data.startswith(b"PK\x03\x04"):
        raise _problem(
            name,
            None,
            None,
            "xlsx_named_csv",
            "đây là tệp Excel (.xlsx) mang đuôi .csv; hãy đổi đuôi thành .xlsx",
            "this is an Excel workbook (.xlsx) named .csv; rename it to .xlsx",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem(
            name,
            None,
            None,
            "encoding",
            "tệp được lưu ở mã UTF-16; hãy lưu lại dưới dạng “CSV UTF-8”",
            "the file is saved as UTF-16; save it again as “CSV UTF-8”",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(
            name,
            line,
            None,
            "encoding",
            f"tệp không phải UTF-8 (có thể là Windows-1258 hoặc TCVN3), byte lỗi ở dòng {line}; hãy lưu lại dưới dạng “CSV UTF-8”",
            f"the file is not UTF-8 (perhaps Windows-1258 or TCVN3), first bad byte on row {line}; save it as “CSV UTF-8”",
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    delimiter = max(counts, key=lambda k: counts[k])
    if counts[delimiter] == 0:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise _problem(
                name,
                None,
                None,
                "cell_too_long",
                f"một ô dài quá mức cho phép (tối đa {MAX_CELL_CHARS} ký tự)",
                f"a cell is far too long (at most {MAX_CELL_CHARS} characters)",
            ) from None
        line = getattr(exc, "line_num", None) or text.count("\n") + 1
        raise _problem(
            name,
            None,
            None,
            "csv_quote",
            f'dấu ngoặc kép (") không được đóng — tệp bị cắt hoặc có dấu ngoặc thừa (gần dòng {line})',
            f'a double quote (") is left open — the file is cut off or has a stray quote (near row {line})',
        ) from None
    if len(rows) > MAX_REPORT_ROWS:
        raise _problem(
            name,
            None,
            None,
            "too_many_rows",
            f"tệp có {len(rows):,} dòng, tối đa {MAX_REPORT_ROWS:,} dòng".replace(",", "."),
            f"the file has {len(rows):,} rows; at most {MAX_REPORT_ROWS:,}",
        )
    if delimiter == "\t":
        _SEPARATOR_FOUND[name] = ("dấu tab", "a tab")
    return rows


# the separator a CSV turned out to use, for messages about its header (by file name, this import only)
_SEPARATOR_FOUND: dict[str, tuple[str, str]] = {}


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


def _check_archive(data: bytes, name: str) -> zipfile.ZipFile:
    """The workbook's zip, checked before anything is expanded: a budget on its members and on their
    uncompressed size (a zip bomb of 2 MB can expand to gigabytes)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _problem(
            name,
            None,
            None,
            "not_xlsx",
            "tệp không phải tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng",
            "the file is not a valid Excel workbook (.xlsx), or it is damaged",
        ) from None
    total = sum(m.file_size for m in members)
    if len(members) > 1000 or total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise _problem(
            name,
            None,
            None,
            "xlsx_too_large",
            f"tệp Excel bung ra quá lớn ({total // 1_000_000:,} MB, tối đa {MAX_XLSX_UNCOMPRESSED_BYTES // 1_000_000} MB)",
            f"the workbook expands too much ({total // 1_000_000:,} MB; at most {MAX_XLSX_UNCOMPRESSED_BYTES // 1_000_000} MB)",
        )
    return archive


def _formulas_without_values(archive: zipfile.ZipFile, sheet_paths: dict[str, str]) -> dict[str, list[str]]:
    """Sheet -> cells holding a formula with no value saved (files written by scripts or web exports).
    Read as blank, they would quietly drop units; the user must open and save the file first."""
    found: dict[str, list[str]] = {}
    for sheet, path in sheet_paths.items():
        cells = []
        with archive.open(path) as f:
            for _event, el in ElementTree.iterparse(f):
                if el.tag.endswith("}c"):
                    has_formula = any(ch.tag.endswith("}f") for ch in el)
                    value = next((ch for ch in el if ch.tag.endswith("}v")), None)
                    if has_formula and (value is None or not (value.text or "").strip()):
                        cells.append(el.get("r", "?"))
                    el.clear()
        if cells:
            found[sheet] = cells
    return found


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part, from the workbook's own index."""
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", ns):
        rid = sheet.get(f"{{{ns['r']}}}id")
        path = target.get(rid, "").lstrip("/")
        out[sheet.get("name", "")] = path if path.startswith("xl/") else f"xl/{path}"
    return out


def _sheet_rows(ws, name: str, sheet: str) -> list[list[str]]:
    """The sheet's rows, bounded by the real data: a stray cell far down or far right (a space in the
    last row of Excel) would otherwise make the reader walk 16 million empty cells."""
    rows: list[list[str]] = []
    blank_run = 0
    for row in ws.iter_rows(max_col=MAX_XLSX_COLUMNS):
        texts = [_cell_text(c) for c in row]
        for text in texts:
            if len(text) > MAX_CELL_CHARS:
                raise _problem(
                    name,
                    len(rows) + 1,
                    None,
                    "cell_too_long",
                    f"trang “{sheet}”: một ô dài {len(text):,} ký tự (tối đa {MAX_CELL_CHARS})",
                    f"sheet “{sheet}”: a cell of {len(text):,} characters (at most {MAX_CELL_CHARS})",
                )
        if any(t.strip() for t in texts):
            rows.extend([[""] * len(texts)] * blank_run)
            blank_run = 0
            rows.append(texts)
            if len(rows) > MAX_REPORT_ROWS:
                raise _problem(
                    name,
                    None,
                    None,
                    "too_many_rows",
                    f"trang “{sheet}” có hơn {MAX_REPORT_ROWS:,} dòng số liệu".replace(",", "."),
                    f"sheet “{sheet}” has more than {MAX_REPORT_ROWS:,} data rows",
                )
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_ROWS and rows:
                break  # everything below a long run of empty rows is not part of the table
    # as wide as the real data: a workbook row is as wide as the widest row of the sheet
    width = max((max((i for i, t in enumerate(r) if t.strip()), default=-1) + 1 for r in rows), default=0)
    return [(r + [""] * width)[:width] for r in rows]


def _rows_from_xlsx(data: bytes, name: str) -> tuple[list[list[str]], list[list[str]] | None, dict]:
    archive = _check_archive(data, name)
    try:
        paths = _sheet_paths(archive)
        pending = _formulas_without_values(archive, paths)
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        log.warning("unreadable workbook %s: %r", name, exc)
        raise _problem(
            name,
            None,
            None,
            "not_xlsx",
            "tệp Excel bị hỏng (cấu trúc bên trong không đọc được)",
            "the workbook is damaged (its inner structure cannot be read)",
        ) from None
    if pending:
        sheet, cells = next(iter(pending.items()))
        listed = ", ".join(cells[:10]) + (" …" if len(cells) > 10 else "")
        raise _problem(
            name,
            None,
            None,
            "formula_without_value",
            f"trang “{sheet}”: ô {listed} có công thức nhưng chưa có giá trị đã tính; hãy mở tệp bằng Excel hoặc "
            "LibreOffice, lưu lại, rồi tải lên",
            f"sheet “{sheet}”: cell(s) {listed} hold a formula with no saved value; open the file in Excel or "
            "LibreOffice, save it, then upload it again",
        )
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = "Đơn vị" if "Đơn vị" in wb.sheetnames else wb.sheetnames[0]
        units = _sheet_rows(wb[sheet], name, sheet)
        province = _sheet_rows(wb["Toàn tỉnh"], name, "Toàn tỉnh") if "Toàn tỉnh" in wb.sheetnames else None
        info: dict[str, object] = {}
        if "Thông tin" in wb.sheetnames:
            # the cells as they are (a period typed as a real date stays a date, not its text)
            for number, row in enumerate(wb["Thông tin"].iter_rows(max_row=50, max_col=2, values_only=True), start=1):
                if len(row) > 1 and isinstance(row[0], str) and row[0].strip() and row[1] not in (None, ""):
                    value = row[1]
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        value = value[:MAX_CELL_CHARS]
                    info[row[0].strip()] = value.strip() if isinstance(value, str) else value
                    info[f"{row[0].strip()}@cell"] = f"B{number}"  # where it was, for a message naming the cell
        wb.close()
    except ReportError:
        raise
    except Exception as exc:  # any parser error of openpyxl or the XML library becomes the project's own
        log.warning("unreadable workbook %s: %r", name, exc)
        raise _problem(
            name,
            None,
            None,
            "not_xlsx",
            "tệp Excel bị hỏng hoặc không đúng định dạng (.xlsx)",
            "the workbook is damaged or not in the .xlsx format",
        ) from None
    _SHEET_READ[name] = sheet
    return units, province, info


# the sheet an upload's units were read from, for messages (by file name, this import only)
_SHEET_READ: dict[str, str] = {}


def _find_header(rows: list[list[str]], name: str, required: str) -> int:
    for i, row in enumerate(rows[:50]):
        if required in [c.strip() for c in row]:
            return i
    where_vi, where_en = "", ""
    if name in _SHEET_READ:
        where_vi, where_en = f" trong trang “{_SHEET_READ[name]}”", f" in sheet “{_SHEET_READ[name]}”"
    if name in _SEPARATOR_FOUND:
        vi, en = _SEPARATOR_FOUND[name]
        where_vi += f" (tệp dùng {vi} để ngăn cột; hãy dùng dấu phẩy hoặc chấm phẩy)"
        where_en += f" (the file separates columns with {en}; use a comma or a semicolon)"
    raise _problem(
        name,
        None,
        required,
        "no_header",
        f"không tìm thấy dòng tiêu đề có cột “{required}”{where_vi} (dùng tệp mẫu)",
        f"no header row with a “{required}” column was found{where_en} (use the template)",
    )


# what a report's counts cover: the "counts" field of the template's sheet “Thông tin”, or the
# question the upload asks; the words a user may type there, in either language
COUNTS_YTD, COUNTS_MONTH = "ytd", "month"
COUNTS_WORDS = {
    "ytd": COUNTS_YTD,
    "year-to-date": COUNTS_YTD,
    "year to date": COUNTS_YTD,
    "lũy kế": COUNTS_YTD,
    "luỹ kế": COUNTS_YTD,
    "lũy kế từ đầu năm": COUNTS_YTD,
    "month": COUNTS_MONTH,
    "month only": COUNTS_MONTH,
    "month-only": COUNTS_MONTH,
    "riêng tháng": COUNTS_MONTH,
    "trong tháng": COUNTS_MONTH,
}


def _counts_of(name: str, given: str, in_file: object, period: str, cell: str = "B3") -> str:
    """'ytd' or 'month': what the report's counts cover. From the file's "counts" field or the
    upload's answer; when they disagree, or neither says, the report is refused (a month-only report
    read as year-to-date would make each month about a twelfth of its volume) — except in January,
    when both mean the same months."""
    said = None
    if in_file not in (None, ""):
        said = COUNTS_WORDS.get(" ".join(str(in_file).casefold().split()))
        if said is None:
            raise _problem(
                name,
                None,
                "counts",
                "bad_counts",
                f"trang “Thông tin”, trường counts ({cell}): “{shown(in_file)}” phải là ytd (lũy kế từ đầu năm) hoặc month (riêng tháng)",
                f"sheet “Thông tin”, field counts ({cell}): “{shown(in_file)}” must be ytd (year to date) or month (the month alone)",
            )
    if given and said and given != said:
        raise _problem(
            name,
            None,
            "counts",
            "counts_disagree",
            f"tệp ghi số liệu là “{said}” nhưng lựa chọn khi tải lên là “{given}”; hãy chọn đúng một",
            f"the file says its counts are “{said}” but the upload's answer is “{given}”; choose one",
        )
    counts = given or said
    if counts is None and period.endswith("-01"):
        counts = COUNTS_MONTH  # January: year to date and the month alone are the same month
    if counts is None:
        raise _problem(
            name,
            None,
            "counts",
            "counts_unknown",
            "tệp không nói số liệu là lũy kế từ đầu năm hay chỉ riêng tháng: hãy chọn khi tải lên, hoặc ghi "
            "counts = ytd / month trong trang “Thông tin” của tệp mẫu",
            "the file does not say whether its counts are year to date or the month alone: answer when uploading, or "
            "write counts = ytd / month in the template's sheet “Thông tin”",
        )
    return counts


def import_report(data: bytes, filename: str, label: str, period: str, counts: str = "") -> Report:
    """The imported report, or ReportError naming the user's file, row, column and rule. `counts` is
    the upload's answer to what the counts cover ('ytd' or 'month'; '' = as the file says)."""
    if counts not in ("", COUNTS_YTD, COUNTS_MONTH):
        raise ValueError(f"counts must be '', 'ytd' or 'month', not {counts!r}")
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
    _SEPARATOR_FOUND.pop(name, None)
    _SHEET_READ.pop(name, None)
    suffix = Path(name).suffix.lower()
    province_rows: list | None = None
    info: dict[str, object] = {}
    if suffix == ".xlsx":
        unit_rows, province_rows, info = _rows_from_xlsx(data, name)
    elif suffix == ".csv":
        unit_rows = _rows_from_csv(data, name)
    else:
        raise _problem(name, None, None, "file_type", "chỉ nhận tệp .xlsx hoặc .csv", "only .xlsx or .csv files are accepted")
    label = (label or str(info.get("label_vi") or "")).strip()
    try:
        period = parse_month(period) if period.strip() else month_from_cell(info.get("period"))
    except ValueProblem as problem:
        cell = info.get("period@cell")
        where_vi, where_en = ("", "")
        if not period.strip():  # read from the workbook: the cell is named, or where the period belongs
            where_vi, where_en = (
                (f" (trang “Thông tin”, ô {cell})", f" (sheet “Thông tin”, cell {cell})")
                if cell
                else (
                    " (ô nhập kỳ báo cáo, hoặc dòng period của trang “Thông tin”)",
                    " (the period field, or the period row of sheet “Thông tin”)",
                )
            )
        raise _problem(
            name,
            None,
            "period",
            problem.rule,
            f"kỳ báo cáo{where_vi}: {problem.vi}",
            f"the report period{where_en}: {problem.en}",
        ) from None
    counts = _counts_of(name, counts, info.get("counts"), period, str(info.get("counts@cell", "B3")))
    if not label:
        raise _problem(name, None, "label", "missing_label", "hãy đặt tên cho bộ số liệu", "give the data a label")

    header_at = _find_header(unit_rows, name, "unit_id")
    header = [h.strip() for h in unit_rows[header_at]]
    while header and not header[-1]:
        header.pop()  # empty cells right of the table (a workbook row is as wide as its widest row)
    body = []
    short = []
    for offset, row in enumerate(unit_rows[header_at + 1 :], start=header_at + 2):
        if not any(c.strip() for c in row):
            body.append([""] * len(header))
            continue
        extra = row[len(header) :]
        if len(row) < len(header) or any(c.strip() for c in extra):
            short.append(offset)  # nothing is padded or cut: a row cut short or spilling over is refused
            continue
        body.append(
            [normalise_number(c, col) if col in COUNT_COLUMNS | PCT_COLUMNS else c.strip() for c, col in zip(row, header)]
        )
    if short:
        raise ReportError(
            [
                Problem(
                    name,
                    line,
                    None,
                    "column_count",
                    f"dòng có số ô khác dòng tiêu đề ({len(header)} ô) — tệp bị cắt hoặc lệch cột",
                    f"the row does not have the header's {len(header)} cells — the file is cut off or misaligned",
                )
                for line in short[:50]
            ]
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
                    w.writerow(
                        [
                            (_count_text(c) if kind == "count" else normalise_number(c, "online_share_printed_pct"))
                            if h == "value"
                            else c.strip()
                            for h, c in zip(p_header, row)
                        ]
                    )
            else:
                w.writerow(PROVINCE_COLUMNS)
        (folder / "provenance.csv").write_text("unit_id,column,raw_ocr,value,action,reason\n", encoding="utf-8")
        (folder / "report.toml").write_text(
            f'id = "upload-{period}-{digest}"\nlabel_vi = {_toml(label)}\nlabel_en = {_toml(label)}\n'
            f'period = "{period}"\ncumulative_from = "{period[:4] + "-01" if counts == COUNTS_YTD else period}"\nsource = {_toml("Tệp tải lên: " + name)}\n'
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
    explanations, then the header), sheet “Toàn tỉnh”, sheet “Thông tin” (label and period), and
    sheet “Biện pháp”: the register of measures taken (optional; read by the effects view and
    `data attach --measures`)."""
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
    if report is None:
        meta.append(["counts", ""])
    else:
        meta.append(["counts", COUNTS_MONTH if report.cumulative_from == report.period else COUNTS_YTD])
    meta.append(
        [
            "Ghi chú",
            "period: NNNN-TT, TT/NNNN hoặc một ô ngày. counts: ytd (lũy kế từ đầu năm) hoặc month (riêng tháng). "
            "Số đếm là số nguyên, có thể viết kiểu Việt Nam (15.797) hoặc kiểu Anh (15,797); tỷ lệ 98,58%.",
        ]
    )
    _register_sheet(wb, report)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _register_sheet(wb: Workbook, report: Report | None) -> None:
    """The register of measures taken, to fill in beside the counts: its header in the first row (as
    model.register reads it), each column explained in a comment, the measure chosen from the levers
    and the unit from the data's unit codes (a list the spreadsheet offers, on a hidden sheet)."""
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    from model.levers import LEVERS, PARAM_BY_ID
    from model.register import REGISTER_COLUMNS, REGISTER_SHEET, intensity_term

    ws = wb.create_sheet(REGISTER_SHEET)
    notes = {
        "unit": "Mã đơn vị (cột unit_id của trang “Đơn vị”) đã áp dụng biện pháp.",
        "measure": "Mã biện pháp: "
        + "; ".join(f"{lv.id} = {lv.label_vi}" for lv in LEVERS)
        + ". Một đơn vị bắt đầu mỗi biện pháp một lần.",
        "start": "Tháng bắt đầu áp dụng, dạng NNNN-TT (ví dụ 2024-03).",
        "intensity": "Mức áp dụng, chỉ với biện pháp có mức: "
        + "; ".join(
            f"{lv.id}: {PARAM_BY_ID[lv.main_param].label_vi} ({PARAM_BY_ID[lv.main_param].unit})"
            for lv in LEVERS
            if intensity_term(lv) is not None
        )
        + ". Để trống với các biện pháp khác.",
    }
    for j, col in enumerate(REGISTER_COLUMNS, start=1):
        head = ws.cell(row=1, column=j, value=col)
        head.font, head.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0072B2")
        head.comment = Comment(notes[col], "Sơn La DVCTT", width=420, height=160)
        ws.column_dimensions[head.column_letter].width = 24 if col == "unit" else 18
    measures = DataValidation(type="list", formula1='"' + ",".join(lv.id for lv in LEVERS) + '"', allow_blank=True)
    measures.error, measures.errorTitle = "Chọn một mã biện pháp trong danh sách.", "Biện pháp"
    ws.add_data_validation(measures)
    measures.add("B2:B2000")
    if report is not None and len(report.units):
        codes = wb.create_sheet("Mã đơn vị")
        for i, uid in enumerate(report.units.unit_id, start=1):
            codes.cell(row=i, column=1, value=str(uid)).data_type = "s"
        codes.sheet_state = "hidden"
        units = DataValidation(type="list", formula1=f"='Mã đơn vị'!$A$1:$A${len(report.units)}", allow_blank=True)
        units.error, units.errorTitle = "Chọn một mã đơn vị của trang “Đơn vị”.", "Đơn vị"
        ws.add_data_validation(units)
        units.add("A2:A2000")
    ws.freeze_panes = "A2"
