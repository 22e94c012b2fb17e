"""One parser per kind of value that comes from outside, shared by every surface that reads it (the
long CSV, report uploads, report folders): a dossier count and a month label.

A parser returns the exact value or raises `ValueProblem` with a rule and a reason in Vietnamese and
English; the caller adds where it was (file, row, column). It never guesses: a text that could mean
two numbers, or a day-first date that could be two months, is refused with the way to write it.

Counts are whole numbers. "1.234" (Vietnamese grouping) and "1,234" (English grouping) are both
1234: a count has no fraction, so a group of exactly three digits after a separator can only be
thousands. "161,5", "23.41", "1e3", "16²", "12%" and anything over `MAX_COUNT` are refused.

Months are "YYYY-MM", "MM/YYYY", "Tháng M/YYYY" (also "Thg M/YYYY", "tháng M năm YYYY") or a real
date cell of a workbook. A bare number — an Excel date serial typed or exported as text, or a number
cell — is refused: whether 45000 is a date depends on the cell's format, which a CSV has lost.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from model.errors import PlannerError
from model.limits import MAX_COUNT, MAX_PERIOD_YEAR, MIN_PERIOD_YEAR


class ValueProblem(PlannerError):
    """One value that cannot be used: its rule and the reason as (Vietnamese, English)."""

    def __init__(self, rule: str, vi: str, en: str):
        self.rule, self.vi, self.en = rule, vi, en
        super().__init__(en)

    def messages(self, lang: str) -> list[str]:
        return [self.vi if lang == "vi" else self.en]


def shown(value: object, limit: int = 30) -> str:
    """A value as it may be quoted in a message: no control or bidi characters, cut to `limit`."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(value))
    return text if len(text) <= limit else text[:limit] + "…"


# spaces a spreadsheet or Babel may put between thousands: space, no-break space, narrow no-break space
_SPACES = " \u00a0\u202f\u2009"
COUNT_STRIP = " \t\r\n" + _SPACES  # what parse_count trims around a count
_PLAIN = re.compile(r"[0-9]+")
# thousands in groups of three, one kind of separator throughout ("1.234.567", not "1.234,567")
_GROUPED = re.compile(r"[0-9]{1,3}([.,\u0020\u00a0\u202f\u2009])[0-9]{3}(?:\1[0-9]{3})*")
_EXPONENT = re.compile(r"[0-9.,]*[0-9][eE][+-]?[0-9]+")
_DECIMAL = re.compile(r"[0-9][0-9.,\s\u00a0\u202f\u2009]*")
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _count_rules() -> tuple[str, str]:
    return ("viết số nguyên, ví dụ 1234, 1.234 hoặc 1,234", "write a whole number, e.g. 1234, 1.234 or 1,234")


def parse_count(text: str, limit: int = MAX_COUNT) -> int:
    """A whole, non-negative count written the Vietnamese or the English way; ValueProblem otherwise
    (a blank is the caller's: it means "missing" in one file and "wrong" in another)."""
    t = text.strip(COUNT_STRIP)
    if _PLAIN.fullmatch(t):
        digits = t  # the common case first: a long series has tens of thousands of cells
    else:
        grouped = _GROUPED.fullmatch(t)
        digits = t.replace(grouped[1], "") if grouped else ""
    if not digits:
        if not t:
            raise ValueProblem("missing_value", "thiếu giá trị", "the value is missing")
        how_vi, how_en = _count_rules()
        q = shown(t)
        if any(ch in _SUPERSCRIPTS for ch in t):
            raise ValueProblem(
                "superscript",
                f"“{q}” có chữ số mũ (²); {how_vi}",
                f"“{q}” has a superscript digit (²); {how_en}",
            )
        if t.startswith("-") and _DECIMAL.fullmatch(t[1:].strip()):
            raise ValueProblem("negative", f"số âm “{q}” không phải số đếm", f"a negative number “{q}” is not a count")
        if _EXPONENT.fullmatch(t):
            raise ValueProblem("exponent", f"“{q}” viết dạng lũy thừa; {how_vi}", f"“{q}” is written with an exponent; {how_en}")
        if _DECIMAL.fullmatch(t):
            raise ValueProblem(
                "not_whole",
                f"“{q}” không phải số nguyên (số đếm không có phần lẻ); {how_vi}",
                f"“{q}” is not a whole number (a count has no fraction); {how_en}",
            )
        raise ValueProblem("not_a_number", f"“{q}” không phải là số; {how_vi}", f"“{q}” is not a number; {how_en}")
    value = int(digits)
    if value > limit:
        q = shown(t)
        raise ValueProblem(
            "too_large",
            f"{q} lớn quá mức hợp lý (tối đa {limit:,})".replace(",", "."),
            f"{q} is beyond any plausible count (at most {limit:,})",
        )
    return value


def count_from_cell(value: object, limit: int = MAX_COUNT) -> int:
    """A count from a workbook cell: a number cell must be whole; a text cell goes through `parse_count`."""
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise ValueProblem("not_a_number", f"“{shown(value)}” không phải là số", f"“{shown(value)}” is not a number")
    if isinstance(value, int):
        if value < 0:
            raise ValueProblem("negative", f"số âm {value} không phải số đếm", f"a negative number {value} is not a count")
        if value > limit:
            raise ValueProblem(
                "too_large",
                f"{value} lớn quá mức hợp lý (tối đa {limit:,})".replace(",", "."),
                f"{value} is beyond any plausible count (at most {limit:,})",
            )
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueProblem(
                "not_whole",
                f"“{shown(repr(value))}” không phải số nguyên (số đếm không có phần lẻ)",
                f"“{shown(repr(value))}” is not a whole number (a count has no fraction)",
            )
        return count_from_cell(int(value), limit)
    return parse_count(str(value), limit)


# ---------------------------------------------------------------- months

_MONTH_FORMS = (
    re.compile(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})"),  # 2023-04, 2023-4
    re.compile(r"(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})"),  # 04/2023, 4/2023
    # Tháng 4/2023, Thg 4/2023, tháng 4 năm 2023, Thg 4 2023 (Babel's abbreviated Vietnamese month)
    re.compile(r"(?:tháng|thg)\.?\s*(?P<m>[0-9]{1,2})(?:\s*/\s*|\s+năm\s+|\s+)(?P<y>[0-9]{4})", re.IGNORECASE),
)
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY_MONTH_YEAR = re.compile(r"[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}")


def _how_month() -> tuple[str, str]:
    return (
        "viết tháng dạng NNNN-TT (2023-04), TT/NNNN (04/2023) hoặc “Tháng 4/2023”",
        "write the month as YYYY-MM (2023-04), MM/YYYY (04/2023) or “Tháng 4/2023”",
    )


def _month_of(year: int, month: int, q: str) -> str:
    if not 1 <= month <= 12:
        raise ValueProblem(
            "impossible_month",
            f"“{q}”: tháng {month} không tồn tại (chỉ có tháng 1 đến 12)",
            f"“{q}”: there is no month {month} (months run from 1 to 12)",
        )
    if not MIN_PERIOD_YEAR <= year <= MAX_PERIOD_YEAR:
        raise ValueProblem(
            "year_out_of_range",
            f"“{q}”: năm {year} nằm ngoài khoảng {MIN_PERIOD_YEAR}–{MAX_PERIOD_YEAR}",
            f"“{q}”: the year {year} is outside {MIN_PERIOD_YEAR}–{MAX_PERIOD_YEAR}",
        )
    return f"{year:04d}-{month:02d}"


def parse_month(text: str) -> str:
    """A month label as "YYYY-MM", or ValueProblem naming the rule."""
    t = text.strip()
    found = _ISO_MONTH.fullmatch(t)
    if found and 1 <= int(found[2]) <= 12 and MIN_PERIOD_YEAR <= int(found[1]) <= MAX_PERIOD_YEAR:
        return t  # the common case first: a long series has tens of thousands of months
    t = unicodedata.normalize("NFC", t)
    q = shown(t)
    how_vi, how_en = _how_month()
    if not t:
        raise ValueProblem("missing_value", f"thiếu tháng; {how_vi}", f"the month is missing; {how_en}")
    for form in _MONTH_FORMS:
        found = form.fullmatch(t)
        if found:
            return _month_of(int(found["y"]), int(found["m"]), q)
    if re.fullmatch(r"[0-9]+([.,][0-9]+)?", t):
        raise ValueProblem(
            "bare_number",
            f"“{q}” là một con số, không phải tháng (có thể là số ngày kiểu Excel); {how_vi}",
            f"“{q}” is a number, not a month (perhaps an Excel date serial); {how_en}",
        )
    if _DAY_MONTH_YEAR.fullmatch(t):
        raise ValueProblem(
            "ambiguous_date",
            f"“{q}” là một ngày, không rõ ngày trước hay tháng trước; {how_vi}",
            f"“{q}” is a date that could be day-first or month-first; {how_en}",
        )
    raise ValueProblem("not_a_month", f"“{q}” không phải là tháng; {how_vi}", f"“{q}” is not a month; {how_en}")


def month_from_cell(value: object) -> str:
    """A month from a workbook cell: a real date cell gives its month; a number cell is refused (a
    serial without the cell's date format is not known to be a date); text goes through `parse_month`."""
    if isinstance(value, (dt.datetime, dt.date)):
        return _month_of(value.year, value.month, shown(value))
    if isinstance(value, (bool, int, float)):
        how_vi, how_en = _how_month()
        raise ValueProblem(
            "bare_number",
            f"ô chứa số {shown(value)}, không phải tháng (định dạng ô là Ngày, hoặc {how_vi})",
            f"the cell holds the number {shown(value)}, not a month (format it as a Date, or {how_en})",
        )
    if value is None:
        return parse_month("")
    return parse_month(str(value))
