"""The sub-indicators Decision 766 scores, per unit and month: optional counts beside the dossier data.

One row per unit and month (YYYY-MM); every count column is optional and a blank cell is *missing*,
never zero (a score built on a missing count is "chưa có số liệu", not 0 points). A row with
unit_id "province" gives figures for the whole province as the portal shows them; otherwise the
province figure of a count is the sum over the units, and only when every unit row of that month
gives it (a partial sum would be a wrong number, not a smaller one).

Stored as CSV text (`to_csv` / `from_csv`), so it can travel with a dataset. Each row holds the
figures for the period ending that month, as the National Public Service Portal shows them.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.baseline import Problem, ReportError, _check_header, _data_rows
from model.limits import MAX_COUNT, MAX_SERIES_ROWS, MAX_SERIES_UPLOAD_BYTES
from model.text import unsafe_characters

PROVINCE = "province"
FILE_NAME = "chi_so_766.csv"

# column -> (Vietnamese label, English label). Order is the template's.
COUNT_COLUMNS: dict[str, tuple[str, str]] = {
    "procedures_in_scope": ("Số TTHC thuộc thẩm quyền giải quyết", "Procedures under the authority"),
    "procedures_online": ("Số TTHC có DVCTT (một phần hoặc toàn trình)", "Procedures offered online (partly or fully)"),
    "services_online": ("Số DVCTT", "Online services"),
    "services_with_online_dossier": ("Số DVCTT có hồ sơ trực tuyến", "Online services with an online dossier"),
    "dossiers": ("Tổng số hồ sơ tiếp nhận", "Dossiers received"),
    "dossiers_online": ("Số hồ sơ nộp trực tuyến", "Dossiers submitted online"),
    "dossiers_online_counted": (
        "Số hồ sơ trực tuyến có kết quả điện tử (hoặc thủ tục không yêu cầu kết quả giấy)",
        "Online dossiers with an electronic result (or of a procedure needing no paper result)",
    ),
    "dossiers_synced": ("Số hồ sơ đồng bộ lên Cổng DVCQG", "Dossiers synchronised with the national portal"),
    "dossiers_with_fee": ("Số hồ sơ có nghĩa vụ tài chính (phí, lệ phí)", "Dossiers with a fee"),
    "dossiers_paid_online": ("Số hồ sơ thanh toán trực tuyến", "Dossiers paid online"),
    "procedures_with_fee": ("Số TTHC có phí, lệ phí", "Procedures with a fee"),
    "procedures_fee_data": ("Số TTHC có dữ liệu phí, lệ phí trên Cổng", "Procedures with fee data on the portal"),
    "procedures_paid_online": ("Số TTHC có giao dịch thanh toán trực tuyến", "Procedures with an online payment"),
}
KEY_COLUMNS = ("unit_id", "month")
COLUMNS = KEY_COLUMNS + tuple(COUNT_COLUMNS)

# (part, whole): the first may never exceed the second in one row.
ORDER_CHECKS = (
    ("procedures_online", "procedures_in_scope"),
    ("services_with_online_dossier", "services_online"),
    ("dossiers_online", "dossiers"),
    ("dossiers_online_counted", "dossiers_online"),
    ("dossiers_online_counted", "dossiers"),
    ("dossiers_synced", "dossiers"),
    ("dossiers_with_fee", "dossiers"),
    ("dossiers_paid_online", "dossiers_with_fee"),
    ("procedures_fee_data", "procedures_with_fee"),
    ("procedures_paid_online", "procedures_with_fee"),
)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class IndicatorError(ReportError):
    """An indicator file that cannot be used: every problem, located by file, row and column."""


@dataclass(frozen=True)
class ProvinceFigures:
    """The province's counts for one month: None where a count is missing."""

    month: str
    values: dict[str, float | None]

    def get(self, column: str) -> float | None:
        return self.values.get(column)


@dataclass(frozen=True)
class Indicators:
    """A validated table: unit_id, month, then one nullable Int64 column per count (NA = missing)."""

    table: pd.DataFrame

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.table.month)))

    @property
    def last_month(self) -> str | None:
        return self.months[-1] if len(self.table) else None

    def province(self, month: str | None = None) -> ProvinceFigures | None:
        """The province's figures for `month` (default: the last month): the "province" row's count
        where it gives one, else the sum over the units when every unit row has it, else None."""
        month = month or self.last_month
        if month is None:
            return None
        months, unit_ids, counts = self._arrays
        in_month = months == month
        whole = counts[in_month & (unit_ids == PROVINCE)]
        units = counts[in_month & (unit_ids != PROVINCE)]
        values: dict[str, float | None] = {}
        for j, col in enumerate(COUNT_COLUMNS):
            given = whole[:, j][~np.isnan(whole[:, j])]
            if len(given):
                values[col] = float(given[0])
            elif len(units) and not np.isnan(units[:, j]).any():
                values[col] = float(units[:, j].sum())
            else:
                values[col] = None
        return ProvinceFigures(month, values)

    @functools.cached_property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Months, unit ids and the counts as floats (NaN = missing), built once: the pages score the
        indicators on every slider move, and a pandas pass per call cost ≈ 10 ms."""
        t = self.table
        counts = t[list(COUNT_COLUMNS)].to_numpy(dtype=float, na_value=np.nan)
        return t.month.to_numpy(str), t.unit_id.to_numpy(str), counts

    def to_csv(self) -> str:
        out = self.table.loc[:, list(COLUMNS)].astype(object).where(self.table.notna(), "")
        return out.to_csv(index=False, lineterminator="\n")

    @staticmethod
    def from_csv(text: str | bytes, source: str = FILE_NAME, known_units: set[str] | None = None) -> Indicators:
        return read_indicators(text, source, known_units)


def template_csv(unit_ids: list[str], month: str) -> str:
    """The template: the header, then one row per unit (and one for the province) with blank counts."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for uid in [PROVINCE, *unit_ids]:
        writer.writerow([uid, month] + [""] * len(COUNT_COLUMNS))
    return buf.getvalue()


def read_indicators(text: str | bytes, source: str = FILE_NAME, known_units: set[str] | None = None) -> Indicators:
    """Every rule checked before anything is returned; IndicatorError names every broken one."""
    problems: list[Problem] = []
    name = source
    if isinstance(text, bytes):
        if len(text) > MAX_SERIES_UPLOAD_BYTES:
            raise IndicatorError(
                [
                    Problem(
                        name,
                        None,
                        None,
                        "too_large",
                        f"tệp lớn hơn {MAX_SERIES_UPLOAD_BYTES // 1_000_000} MB",
                        f"file larger than {MAX_SERIES_UPLOAD_BYTES // 1_000_000} MB",
                    )
                ]
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IndicatorError(
                [
                    Problem(
                        name,
                        None,
                        None,
                        "encoding",
                        f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start})",
                        f"file is not UTF-8 (bad byte at offset {exc.start})",
                    )
                ]
            ) from None
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True))
    except csv.Error:
        raise IndicatorError(
            [
                Problem(
                    name,
                    None,
                    None,
                    "csv_syntax",
                    "tệp CSV hỏng (dấu ngoặc kép không đóng hoặc ô quá dài)",
                    "the CSV file is damaged (a quote left open, or a cell far too long)",
                )
            ]
        ) from None
    if not rows:
        raise IndicatorError([Problem(name, None, None, "empty_file", "tệp rỗng", "file is empty")])
    header = [h.strip() for h in rows[0]]
    _check_header(name, header, KEY_COLUMNS, problems)
    for col in dict.fromkeys(header):
        if col not in COLUMNS:
            problems.append(
                Problem(
                    name,
                    1,
                    col,
                    "unknown_column",
                    "cột không thuộc mẫu chỉ số 766 (xem tệp mẫu)",
                    "column is not one of the Decision 766 template's (see the template)",
                )
            )
    if problems:
        raise IndicatorError(problems)
    if len(rows) - 1 > MAX_SERIES_ROWS:
        raise IndicatorError(
            [
                Problem(
                    name,
                    None,
                    None,
                    "too_many_rows",
                    f"có {len(rows) - 1} dòng, tối đa {MAX_SERIES_ROWS}",
                    f"has {len(rows) - 1} rows, at most {MAX_SERIES_ROWS}",
                )
            ]
        )
    records: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in _data_rows(name, header, rows[1:], problems):
        rec = _record(name, line, cells, known_units, problems)
        if rec is None:
            continue
        key = (rec["unit_id"], rec["month"])
        if key in seen:
            problems.append(
                Problem(
                    name,
                    line,
                    "unit_id",
                    "duplicate_row",
                    f"đơn vị “{key[0]}” tháng {key[1]} đã có ở dòng {seen[key]}",
                    f"unit “{key[0]}” for {key[1]} is already on row {seen[key]}",
                )
            )
        seen.setdefault(key, line)
        records.append(rec)
    if problems:
        raise IndicatorError(problems)
    table = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    for col in COUNT_COLUMNS:
        table[col] = pd.array(table[col], dtype="Int64")
    return Indicators(table.sort_values(["month", "unit_id"], kind="stable").reset_index(drop=True))


def _record(name: str, line: int, cells: dict[str, str], known_units: set[str] | None, problems: list[Problem]):
    n_before = len(problems)
    uid = unicodedata.normalize("NFC", cells["unit_id"])
    if not uid:
        problems.append(Problem(name, line, "unit_id", "missing_unit", "thiếu mã đơn vị", "unit id is empty"))
    elif unsafe_characters(uid):
        problems.append(Problem(name, line, "unit_id", "control_character", "có ký tự điều khiển", "contains control characters"))
    elif known_units is not None and uid != PROVINCE and uid not in known_units:
        problems.append(
            Problem(
                name,
                line,
                "unit_id",
                "unknown_unit",
                f"mã đơn vị “{uid}” không có trong bộ số liệu",
                f"unit id “{uid}” is not in the data set",
            )
        )
    month = cells["month"]
    if not _MONTH.match(month):
        problems.append(
            Problem(
                name,
                line,
                "month",
                "bad_month",
                f"“{month}” không phải tháng dạng YYYY-MM (ví dụ 2026-09)",
                f"“{month}” is not a month written YYYY-MM (e.g. 2026-09)",
            )
        )
    rec: dict = {"unit_id": uid, "month": month}
    for col in COUNT_COLUMNS:
        text = cells.get(col, "")
        if text == "":
            rec[col] = None  # missing, never 0
            continue
        rule, vi, en = _count_problem(text)
        if rule:
            problems.append(Problem(name, line, col, rule, vi, en))
            continue
        rec[col] = int(float(text))
    for part, whole in ORDER_CHECKS:
        a, b = rec.get(part), rec.get(whole)
        if a is not None and b is not None and a > b:
            problems.append(
                Problem(
                    name,
                    line,
                    part,
                    "part_gt_whole",
                    f"{COUNT_COLUMNS[part][0].lower()} ({a}) lớn hơn {COUNT_COLUMNS[whole][0].lower()} ({b})",
                    f"{part} ({a}) is greater than {whole} ({b})",
                )
            )
    return rec if len(problems) == n_before else None


def _count_problem(text: str) -> tuple[str, str, str]:
    """('', '', '') for a whole count in machine format; else (rule, Vietnamese, English)."""
    try:
        value = float(text)
    except ValueError:
        return "not_a_number", f"“{text[:40]}” không phải là số", f"“{text[:40]}” is not a number"
    if value != value or value in (float("inf"), float("-inf")):
        return "not_a_number", f"“{text[:40]}” không phải là số", f"“{text[:40]}” is not a number"
    if value < 0:
        return "negative", f"giá trị âm ({text[:20]}) không hợp lệ", f"negative value ({text[:20]})"
    if value > MAX_COUNT:
        return (
            "too_large",
            f"giá trị {text[:20]} lớn quá mức hợp lý (tối đa {MAX_COUNT:,})".replace(",", "."),
            f"value {text[:20]} is beyond any plausible count (at most {MAX_COUNT:,})",
        )
    if value != int(value):
        return (
            "not_whole",
            f"số đếm phải là số nguyên, không phải {text[:20]}",
            f"a count must be a whole number, not {text[:20]}",
        )
    return "", "", ""
