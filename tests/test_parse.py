"""The count and month parsers (model/parse.py): any text gives the exact value or the project's own
message (ValueProblem, in both languages, naming its rule); never a crash, never another value."""

import datetime as dt
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.limits import MAX_COUNT, MAX_PERIOD_YEAR, MIN_PERIOD_YEAR
from model.parse import ValueProblem, count_from_cell, month_from_cell, parse_count, parse_month

SEPARATORS = [".", ",", " ", "\u00a0", "\u202f"]


def grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _refused(call, value) -> ValueProblem:
    with pytest.raises(ValueProblem) as err:
        call(value)
    problem = err.value
    assert problem.rule and problem.vi and problem.en and problem.vi != problem.en
    assert problem.messages("vi") == [problem.vi] and problem.messages("en") == [problem.en]
    return problem


# ------------------------------------------------------------------ counts


@given(st.integers(0, MAX_COUNT), st.sampled_from(SEPARATORS), st.sampled_from(["", " ", "\t", "\u00a0"]))
def test_a_count_written_either_way_is_read_exactly(n, sep, pad):
    assert parse_count(pad + str(n) + pad) == n
    assert parse_count(pad + grouped(n, sep) + pad) == n
    assert count_from_cell(n) == n and count_from_cell(float(n)) == n and count_from_cell(str(n)) == n


def _oracle(text: str) -> int | None:
    """An independent reading of what parse_count may accept: digits, or groups of three after one
    kind of separator; anything else has no value."""
    t = text.strip(" \t\r\n\u00a0\u202f\u2009")
    if re.fullmatch(r"[0-9]+", t):
        return int(t)
    for sep in SEPARATORS + ["\u2009"]:
        parts = t.split(sep)
        if len(parts) > 1 and re.fullmatch(r"[0-9]{1,3}", parts[0]) and all(re.fullmatch(r"[0-9]{3}", p) for p in parts[1:]):
            return int("".join(parts))
    return None


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from("0123456789.,- eE+²³%\u00a0\u202f\t/xkđ١５"), max_size=16) | st.text(max_size=20))
def test_any_text_is_the_exact_count_or_the_projects_message(text):
    expected = _oracle(text)
    if expected is not None and expected <= MAX_COUNT:
        assert parse_count(text) == expected
    else:
        _refused(parse_count, text)


@given(
    st.integers(0, 99_999),
    st.integers(1, 99),
    st.sampled_from([".", ","]),
)
def test_a_fraction_is_refused_never_read_as_another_number(whole, fraction, mark):
    text = f"{whole}{mark}{fraction}"
    assume(len(str(fraction)) != 3)  # "1.234": three digits after the mark are thousands, by the rule
    assert _refused(parse_count, text).rule == "not_whole"


@pytest.mark.parametrize(
    "text,rule",
    [
        ("161,5", "not_whole"),
        ("23.41", "not_whole"),
        ("1.234,5", "not_whole"),
        ("1e3", "exponent"),
        ("1,5E+03", "exponent"),
        ("16²", "superscript"),
        ("-12", "negative"),
        ("12%", "not_a_number"),
        ("mười", "not_a_number"),
        ("１２", "not_a_number"),
        ("999,999,999,999", "too_large"),
        ("1,23,456", "not_whole"),
        ("", "missing_value"),
    ],
)
def test_what_is_not_a_whole_count_is_refused_by_its_rule(text, rule):
    assert _refused(parse_count, text).rule == rule


@given(st.floats(allow_nan=True, allow_infinity=True) | st.booleans() | st.datetimes() | st.integers())
def test_a_workbook_cell_is_the_exact_count_or_refused(value):
    whole = (
        not isinstance(value, (bool, dt.datetime))
        and isinstance(value, (int, float))
        and value == value
        and abs(value) != float("inf")
        and float(value).is_integer()
        and 0 <= value <= MAX_COUNT
    )
    if whole:
        assert count_from_cell(value) == int(value)
    else:
        _refused(count_from_cell, value)


# ------------------------------------------------------------------ months


def month_texts(year: int, month: int) -> list[str]:
    return [
        f"{year}-{month:02d}",
        f"{year}-{month}",
        f"{month:02d}/{year}",
        f"{month}/{year}",
        f"Tháng {month}/{year}",
        f"tháng {month:02d}/{year}",
        f"Thg {month} {year}",
        f"Tháng {month} năm {year}",
    ]


@given(st.integers(MIN_PERIOD_YEAR, MAX_PERIOD_YEAR), st.integers(1, 12))
def test_a_month_written_any_accepted_way_is_that_month(year, month):
    for text in month_texts(year, month):
        assert parse_month(f" {text} ") == f"{year}-{month:02d}", text
    assert month_from_cell(dt.datetime(year, month, 28, 13, 5)) == f"{year}-{month:02d}"
    assert month_from_cell(dt.date(year, month, 1)) == f"{year}-{month:02d}"


@given(st.integers(MIN_PERIOD_YEAR, MAX_PERIOD_YEAR), st.integers(0, 99).filter(lambda m: not 1 <= m <= 12))
def test_an_impossible_month_is_refused_in_every_form(year, month):
    for text in month_texts(year, month):
        assert _refused(parse_month, text).rule == "impossible_month", text


@given(st.integers(1000, 9999).filter(lambda y: not MIN_PERIOD_YEAR <= y <= MAX_PERIOD_YEAR), st.integers(1, 12))
def test_a_year_out_of_range_is_refused(year, month):
    assert _refused(parse_month, f"{year}-{month:02d}").rule == "year_out_of_range"


@pytest.mark.parametrize(
    "text,rule",
    [
        ("2023-13", "impossible_month"),
        ("44986", "bare_number"),
        ("44986.0", "bare_number"),
        ("01/03/2023", "ambiguous_date"),
        ("2023-03-01", "ambiguous_date"),
        ("March 2023", "not_a_month"),
        ("", "missing_value"),
        ("2023\u202e-04", "not_a_month"),
    ],
)
def test_what_is_not_a_month_is_refused_by_its_rule(text, rule):
    problem = _refused(parse_month, text)
    assert problem.rule == rule
    assert "\u202e" not in problem.vi + problem.en  # a bidi override is never echoed


@given(st.integers() | st.floats() | st.booleans())
def test_a_number_cell_is_never_taken_for_a_month(value):
    assert _refused(month_from_cell, value).rule == "bare_number"


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from("0123456789-/ .Thángnămg\u202e"), max_size=18) | st.text(max_size=20))
def test_any_text_is_the_exact_month_or_the_projects_message(text):
    try:
        got = parse_month(text)
    except ValueProblem as problem:
        assert problem.rule and problem.vi and problem.en
        return
    year, month = map(int, got.split("-"))
    assert MIN_PERIOD_YEAR <= year <= MAX_PERIOD_YEAR and 1 <= month <= 12
    numbers = [int(x) for x in re.findall(r"[0-9]+", text)]
    assert sorted(numbers) == sorted([year, month])  # the month given, never another one
