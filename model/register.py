"""The register of measures taken: which unit took which measure (a lever of the model), from which
month, and how strongly where the lever has a strength. It is what `model/effects.py` learns the
levers' effects from, so it is read strictly: a wrong unit code, an unknown measure or a start
month that is not a month would quietly turn a treated unit into a control.

Columns (CSV, or the sheet "Biện pháp" of a workbook; Vietnamese headers are accepted too):
    unit       the segment code of the data (as in the long monthly CSV: "dept_stc", "d_mai_son:communes")
    measure    a lever id of model/levers.py ("fee_cut", "guidance", …)
    start      the first month the measure was in force, YYYY-MM
    intensity  the lever's main setting, in its unit (e.g. 50 for a 50 % fee cut); required for a lever
               whose effect is a log-odds shift scaled by that setting, blank for every other lever

A unit takes a measure once (staggered adoption): two rows for one unit and measure are refused.
`to_csv` writes the same columns back, so a register is stored with its dataset as text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd

from model.baseline import Problem, ReportError
from model.levers import LEVER_BY_ID, PARAM_BY_ID, Lever, LogOddsShift
from model.limits import MAX_CELL_CHARS, MAX_REGISTER_ROWS, MAX_REGISTER_UPLOAD_BYTES
from model.series import month_index

REGISTER_COLUMNS = ("unit", "measure", "start", "intensity")
REQUIRED_COLUMNS = ("unit", "measure", "start")
REGISTER_SHEET = "Biện pháp"
# Vietnamese headers a planner may type instead of the English ones
HEADER_ALIASES = {
    "đơn vị": "unit",
    "mã đơn vị": "unit",
    "biện pháp": "measure",
    "tháng bắt đầu": "start",
    "bắt đầu": "start",
    "cường độ": "intensity",
    "mức độ": "intensity",
}
_MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
_NUMBER = re.compile(r"^\d+([.,]\d+)?$")


class RegisterError(ReportError):
    """Every problem found in a register, each naming file, row, column and rule; nothing was loaded."""


def intensity_term(lever: Lever) -> LogOddsShift | None:
    """The log-odds term scaled by the lever's main setting: a lever with one has an intensity (the
    setting), and an estimate of its effect is in that term's effect units."""
    return next((t for t in lever.terms if isinstance(t, LogOddsShift) and t.setting == lever.main_param), None)


@dataclass(frozen=True)
class Measure:
    unit: str
    measure: str  # lever id
    start: str  # YYYY-MM
    intensity: float | None = None

    @property
    def start_index(self) -> int:
        return month_index(self.start)

    @property
    def dose(self) -> float:
        """The share of the lever's full effect this measure carries: intensity / full_at of its
        log-odds term (a 50 % fee cut is half of the 100 % cut the effect is stated for); 1 when
        the lever has no intensity."""
        term = intensity_term(LEVER_BY_ID[self.measure])
        if term is None or self.intensity is None:
            return 1.0
        return self.intensity / term.full_at


@dataclass(frozen=True)
class MeasureRegister:
    measures: tuple[Measure, ...] = ()

    def __len__(self) -> int:
        return len(self.measures)

    @property
    def levers(self) -> tuple[str, ...]:
        """The levers in the register, in the model's order."""
        present = {m.measure for m in self.measures}
        return tuple(lever_id for lever_id in LEVER_BY_ID if lever_id in present)

    def of(self, lever_id: str) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.measure == lever_id)

    def steps(self) -> pd.DataFrame:
        """The measures' start months as the status quo's calibration takes them (seg_id, month index):
        a past measure is a level shift in its unit, never a trend to carry forward."""
        return pd.DataFrame(
            {"seg_id": [m.unit for m in self.measures], "month": [month_index(m.start) for m in self.measures]},
            columns=["seg_id", "month"],
        )

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(REGISTER_COLUMNS)
        for m in self.measures:
            w.writerow([m.unit, m.measure, m.start, "" if m.intensity is None else f"{m.intensity:g}"])
        return buf.getvalue()

    @classmethod
    def from_csv(cls, text: str | bytes, name: str = "register.csv", units: set[str] | None = None) -> MeasureRegister:
        return register_from_csv(text if isinstance(text, bytes) else text.encode("utf-8"), name, units)


def register_steps(register_csv: str | None, units: set[str]) -> pd.DataFrame | None:
    """A kept register's measures as the calibration's level shifts (MeasureRegister.steps), or None
    when there is none or the rules of the day refuse it (the effects view says why)."""
    if not register_csv:
        return None
    try:
        return MeasureRegister.from_csv(register_csv, units=units).steps()
    except RegisterError:
        return None


def _problem(name: str, row: int | None, column: str | None, rule: str, vi: str, en: str) -> Problem:
    return Problem(name, row, column, rule, vi, en)


def _too_large(name: str, n_bytes: int) -> RegisterError | None:
    if n_bytes <= MAX_REGISTER_UPLOAD_BYTES:
        return None
    limit = MAX_REGISTER_UPLOAD_BYTES // 1000
    return RegisterError(
        [
            _problem(
                name,
                None,
                None,
                "file_too_large",
                f"tệp lớn hơn giới hạn {limit} kB",
                f"the file is larger than the {limit} kB limit",
            )
        ]
    )


def register_from_csv(data: bytes, name: str, units: set[str] | None = None) -> MeasureRegister:
    """A register from CSV bytes (comma or semicolon separated, UTF-8). `units`: the segment codes of
    the data it goes with; a code outside them is refused."""
    if (err := _too_large(name, len(data))) is not None:
        raise err
    if data.startswith(b"PK\x03\x04"):
        raise RegisterError(
            [
                _problem(
                    name,
                    None,
                    None,
                    "xlsx_named_csv",
                    "đây là tệp Excel (.xlsx) mang đuôi .csv; hãy đổi đuôi thành .xlsx",
                    "this is an Excel workbook (.xlsx) named .csv; rename it to .xlsx",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegisterError(
            [
                _problem(
                    name,
                    line,
                    None,
                    "encoding",
                    "tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng “CSV UTF-8”",
                    "the file is not UTF-8 text; save it again as “CSV UTF-8”",
                )
            ]
        ) from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error:
        raise RegisterError(
            [
                _problem(
                    name,
                    None,
                    None,
                    "csv_quote",
                    "tệp CSV hỏng: dấu ngoặc kép không đóng hoặc một ô quá dài",
                    "the CSV file is damaged: a quote left open, or a cell far too long",
                )
            ]
        ) from None
    return register_from_rows(rows, name, units)


def register_from_xlsx(data: bytes, name: str, units: set[str] | None = None) -> MeasureRegister:
    """A register from the sheet "Biện pháp" of a workbook (the report template's, or a workbook of its own)."""
    from openpyxl import load_workbook

    from model.importer import _cell_text, _check_archive

    if (too_large := _too_large(name, len(data))) is not None:
        raise too_large
    try:
        _check_archive(data, name)
    except ReportError as err:
        raise RegisterError(err.problems) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any parser error of openpyxl becomes the project's own message
        raise RegisterError(
            [
                _problem(
                    name,
                    None,
                    None,
                    "not_xlsx",
                    "tệp Excel bị hỏng hoặc không đúng định dạng (.xlsx)",
                    "the workbook is damaged or not in the .xlsx format",
                )
            ]
        ) from None
    try:
        if REGISTER_SHEET not in wb.sheetnames:
            raise RegisterError(
                [
                    _problem(
                        name,
                        None,
                        None,
                        "register_sheet",
                        f"không có trang “{REGISTER_SHEET}” (các trang: {', '.join(wb.sheetnames)})",
                        f"there is no sheet “{REGISTER_SHEET}” (sheets: {', '.join(wb.sheetnames)})",
                    )
                ]
            )
        rows = []
        for row in wb[REGISTER_SHEET].iter_rows(max_col=len(REGISTER_COLUMNS) + 10):
            rows.append([_cell_text(c) for c in row])
            if len(rows) > MAX_REGISTER_ROWS + 1:
                break
    finally:
        wb.close()
    return register_from_rows(rows, f"{name} ({REGISTER_SHEET})", units)


def register_in_workbook(data: bytes, name: str, units: set[str] | None = None) -> MeasureRegister | None:
    """The register filled in on a report workbook's sheet "Biện pháp" (the template has one), or None
    when the workbook has no such sheet or only its header. A filled sheet with a bad row raises
    RegisterError: the import then loads nothing, the counts included."""
    try:
        return register_from_xlsx(data, name, units)
    except RegisterError as err:
        if all(p.rule in ("register_sheet", "empty") for p in err.problems):
            return None
        raise


def _number(text: str) -> float | None:
    t = text.strip().rstrip("%").strip()
    return float(t.replace(",", ".")) if _NUMBER.match(t) else None


def register_from_rows(rows: list[list[str]], name: str, units: set[str] | None = None) -> MeasureRegister:
    """Every rule checked on every row; all problems are collected, and nothing loads if there is one."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise RegisterError([_problem(name, None, None, "empty", "tệp rỗng", "the file is empty")])
    header = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegisterError(
            [
                _problem(
                    name,
                    1,
                    None,
                    "register_columns",
                    f"thiếu cột {', '.join(missing)} (cần: {', '.join(REGISTER_COLUMNS)})",
                    f"missing column(s) {', '.join(missing)} (needed: {', '.join(REGISTER_COLUMNS)})",
                )
            ]
        )
    if len(rows) - 1 > MAX_REGISTER_ROWS:
        raise RegisterError(
            [
                _problem(
                    name,
                    None,
                    None,
                    "too_many_rows",
                    f"tệp có hơn {MAX_REGISTER_ROWS:,} dòng".replace(",", "."),
                    f"the file has more than {MAX_REGISTER_ROWS:,} rows",
                )
            ]
        )
    at = {c: header.index(c) for c in REGISTER_COLUMNS if c in header}
    problems: list[Problem] = []
    measures: list[Measure] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        unit, lever_id, start, raw = (
            row[at[col]].strip() if col in at and at[col] < len(row) else "" for col in REGISTER_COLUMNS
        )
        bad = len(problems)
        if not unit:
            problems.append(_problem(name, line, "unit", "unit_known", "thiếu mã đơn vị", "the unit code is missing"))
        elif units is not None and unit not in units:
            problems.append(
                _problem(
                    name,
                    line,
                    "unit",
                    "unit_known",
                    f"“{unit[:40]}” không phải mã đơn vị của bộ số liệu",
                    f"“{unit[:40]}” is not a unit code of the data",
                )
            )
        lever = LEVER_BY_ID.get(lever_id)
        if lever is None:
            problems.append(
                _problem(
                    name,
                    line,
                    "measure",
                    "measure_known",
                    f"“{lever_id[:40]}” không phải biện pháp của mô hình (có: {', '.join(LEVER_BY_ID)})",
                    f"“{lever_id[:40]}” is not a measure of the model (known: {', '.join(LEVER_BY_ID)})",
                )
            )
        if not _MONTH.match(start):
            problems.append(
                _problem(
                    name,
                    line,
                    "start",
                    "month_format",
                    f"“{start[:20]}” phải là tháng dạng NNNN-TT (ví dụ 2024-03)",
                    f"“{start[:20]}” must be a month written YYYY-MM (e.g. 2024-03)",
                )
            )
        intensity: float | None = None
        if lever is not None:
            term = intensity_term(lever)
            param = PARAM_BY_ID[lever.main_param]
            unit_vi, unit_en = param.unit_in("vi"), param.unit_in("en")
            if term is None and raw:
                problems.append(
                    _problem(
                        name,
                        line,
                        "intensity",
                        "intensity_allowed",
                        f"biện pháp “{lever_id}” không có cường độ; để trống ô này",
                        f"the measure “{lever_id}” has no intensity; leave this cell blank",
                    )
                )
            elif term is not None and not raw:
                problems.append(
                    _problem(
                        name,
                        line,
                        "intensity",
                        "intensity_required",
                        f"biện pháp “{lever_id}” cần cường độ: {param.label_vi.lower()} ({unit_vi}, "
                        f"từ trên {param.min:g} đến {param.max:g})",
                        f"the measure “{lever_id}” needs its intensity: {param.label_en.lower()} ({unit_en}, "
                        f"above {param.min:g} up to {param.max:g})",
                    )
                )
            elif term is not None:
                intensity = _number(raw)
                if intensity is None or not param.min < intensity <= param.max:
                    problems.append(
                        _problem(
                            name,
                            line,
                            "intensity",
                            "intensity_range",
                            f"“{raw[:20]}” phải là một số trên {param.min:g} và không quá {param.max:g} ({unit_vi})",
                            f"“{raw[:20]}” must be a number above {param.min:g} and at most {param.max:g} ({unit_en})",
                        )
                    )
        if len(problems) > bad:
            continue
        key = (unit, lever_id)
        if key in seen:
            problems.append(
                _problem(
                    name,
                    line,
                    "measure",
                    "one_start",
                    f"đơn vị {unit} đã có biện pháp “{lever_id}” ở dòng {seen[key]}; mỗi đơn vị chỉ bắt đầu một biện pháp một lần",
                    f"unit {unit} already has the measure “{lever_id}” on row {seen[key]}; a unit starts a measure once",
                )
            )
            continue
        seen[key] = line
        measures.append(Measure(unit, lever_id, start, intensity))
    if not problems and not measures:
        problems.append(_problem(name, None, None, "empty", "tệp không có dòng biện pháp nào", "the file has no measure rows"))
    if problems:
        raise RegisterError(problems[:200])
    return MeasureRegister(tuple(measures))
