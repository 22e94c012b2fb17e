"""Locale formatting through Babel (CLDR): Vietnamese 10,19% and 393.881; English 10.19% and 393,881."""

from __future__ import annotations

import decimal
import functools
import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import NumberFormatError, format_decimal, format_percent, parse_decimal

from model.errors import PlannerError

LOCALES = {"vi": "vi", "en": "en"}
# Babel's Decimal rounding is ≈ 0.1 ms a number, and a page shows hundreds of them, the same ones on
# every visit (projections are cached): each formatter remembers what it has formatted.
#
# Rounding is half up, as a Vietnamese reader and a spreadsheet round (0,005 -> 0,01; Babel's default is
# half to even, which printed 0,005 as 0 while the workbook's cell showed 0,01: one figure, two values).
_HALF_UP = decimal.Context(rounding=decimal.ROUND_HALF_UP)


def _remembered(formatter):
    @functools.lru_cache(maxsize=1 << 16)
    @functools.wraps(formatter)
    def rounded_half_up(*args, **kwargs):
        with decimal.localcontext(_HALF_UP):
            return formatter(*args, **kwargs)

    return rounded_half_up


MONTH_ABBR = {
    "vi": ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
MISSING = {"vi": "chưa có số liệu", "en": "no data"}  # one phrase for missing data everywhere (index766.NO_DATA is this)
# The office's clock: every time on screen is Vietnam's (UTC+7), whatever the laptop's setting.
OFFICE_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# CLDR writes a negative number with the hyphen-minus in both locales; print uses the minus sign.
MINUS_SIGN = "\u2212"


def _minus(text: str) -> str:
    return text.replace("-", MINUS_SIGN)


def _unsigned_zero(x: float, digits: int) -> float:
    """0 where `x` rounds to zero at `digits` decimals: −0,004 is shown "0,00", never "−0,00"."""
    return 0.0 if round(float(x), digits) == 0 else x


def _bad(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@_remembered
def pct(x_pct: float | None, lang: str = "vi", digits: int = 2) -> str:
    """A share given in percent points: pct(10.1904) -> '10,19%'."""
    if x_pct is None or _bad(x_pct):
        return MISSING[lang]
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _minus(format_percent(_unsigned_zero(x_pct, digits) / 100, format=pattern, locale=LOCALES[lang]))


@_remembered
def points(x: float | None, lang: str = "vi", digits: int = 2, signed: bool = True) -> str:
    """A difference in percentage points: '+1,23 điểm %' / '+1.23 pts'."""
    if x is None or _bad(x):
        return MISSING[lang]
    body = "#,##0" + ("." + "0" * digits if digits else "")
    pattern = f"+{body};-{body}" if signed else body
    unit = " điểm %" if lang == "vi" else " pts"
    return _minus(format_decimal(_unsigned_zero(x, digits), format=pattern, locale=LOCALES[lang])) + unit


@_remembered
def count(n: float | None, lang: str = "vi") -> str:
    if n is None or _bad(n):
        return MISSING[lang]
    return _minus(format_decimal(round(n), format="#,##0", locale=LOCALES[lang]))


@_remembered
def number(x: float | None, lang: str = "vi", digits: int = 2) -> str:
    if x is None or _bad(x):
        return MISSING[lang]
    x = _unsigned_zero(x, digits)
    return _minus(format_decimal(x, format="#,##0." + "#" * digits if digits else "#,##0", locale=LOCALES[lang]))


@_remembered
def fixed(x: float | None, lang: str = "vi", digits: int = 2) -> str:
    """A figure in a table's column: always `digits` decimals, so a column reads 80,60 · 98,58 · 100,00,
    not 80,6 · 98,58 · 100 (`number` drops the zeros a sentence does without)."""
    if x is None or _bad(x):
        return MISSING[lang]
    x = _unsigned_zero(x, digits)
    return _minus(format_decimal(x, format="#,##0" + ("." + "0" * digits if digits else ""), locale=LOCALES[lang]))


def quantity(x: float | None, unit: str, lang: str = "vi", digits: int = 2) -> str:
    """A number with its unit: "51,99%" (a percent sign follows the number directly, as CLDR writes
    it in both languages), "3 ngày" (a word after a space)."""
    if x is None or _bad(x):
        return MISSING[lang]
    if unit == "%":
        return number(x, lang, digits) + "%"
    return f"{number(x, lang, digits)} {unit}".strip()


@_remembered
def moment(stamp: str | None, lang: str = "vi") -> str:
    """A stored time ("2026-12-06T04:01:55+00:00", or "2026-12-06 04:01" written in UTC) as the office
    reads it: Vietnam's time, dd/mm/yyyy HH:MM, in either language. Text that is not a time is shown as is."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # the app writes naive times in UTC
    return format_datetime(when, "dd/MM/yyyy HH:mm", tzinfo=OFFICE_TIME_ZONE, locale=LOCALES[lang])


def month_label(month: int, year: int, lang: str = "vi") -> str:
    return f"{MONTH_ABBR[lang][month - 1]}/{year}"


class NumberEntryError(PlannerError):
    """A typed number that cannot be read in the user's locale, or lies outside its range."""

    def __init__(self, vi: str, en: str):
        self.vi, self.en = vi, en
        super().__init__(en)

    def messages(self, lang: str) -> list[str]:
        return [self.vi if lang == "vi" else self.en]


def parse_number(text: str, lang: str, low: float, high: float) -> float:
    """A number typed the way the user's locale writes it: "54,38" in Vietnamese, "54.38" in English.

    Babel's strict parse refuses an ambiguous "54.38" in Vietnamese (where "." groups thousands) instead of
    reading it as 5438, so a number is never silently a hundred times too large."""
    typed = text.strip().rstrip("%").strip().replace(MINUS_SIGN, "-")
    example_vi, example_en = number(54.38, "vi"), number(54.38, "en")
    if not typed:
        raise NumberEntryError("Chưa nhập số.", "No number was entered.")
    try:
        value = float(parse_decimal(typed, locale=LOCALES[lang], strict=True))
    except (NumberFormatError, ValueError):
        raise NumberEntryError(
            f"“{typed[:40]}” không phải là số. Viết số thập phân bằng dấu phẩy, ví dụ {example_vi}.",
            f"“{typed[:40]}” is not a number. Write decimals with a point, for example {example_en}.",
        ) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise NumberEntryError(
            f"Chỉ nhận số từ {number(low, 'vi')} đến {number(high, 'vi')}; đã nhập {typed[:40]}.",
            f"Only numbers from {number(low, 'en')} to {number(high, 'en')} are accepted; {typed[:40]} was entered.",
        )
    return value
