"""What the meeting room reads, without a browser: times in Vietnam's time zone, numbers through Babel
with a real minus sign, units without stray spaces, and data texts in both languages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import fmt
from model.baseline import COLUMN_LABEL_EN, COLUMN_LABEL_VI, load_report
from tests.conftest import ROOT

MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC))


@given(MOMENTS, st.sampled_from(["vi", "en"]))
def test_every_stored_time_reads_as_vietnams_clock(when, lang):
    """The library's ISO times (with an offset) and the plans' naive UTC times both read dd/mm/yyyy HH:MM
    at UTC+7 — the office's clock, whatever the laptop's."""
    local = when + timedelta(hours=7)
    expected = local.strftime("%d/%m/%Y %H:%M")
    assert fmt.moment(when.isoformat(timespec="seconds"), lang) == expected
    assert fmt.moment(when.strftime("%Y-%m-%d %H:%M"), lang) == expected
    assert fmt.moment(when.astimezone(timezone(timedelta(hours=-5))).isoformat(), lang) == expected  # any offset


def test_a_time_that_is_not_one_is_shown_as_is():
    assert fmt.moment("", "vi") == ""
    assert fmt.moment("hôm qua", "vi") == "hôm qua"


NUMBERS = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda x: abs(x) >= 0.01)


@given(NUMBERS, st.sampled_from(["vi", "en"]))
def test_a_negative_number_has_the_minus_sign_and_reads_back(x, lang):
    for text in (fmt.number(x, lang), fmt.points(x, lang), fmt.count(x * 100, lang)):
        assert "-" not in text, text
        if x < 0 and text.strip("−0,. ").strip():
            assert text.startswith("−"), text
    shown = fmt.number(x, lang)
    assert fmt.parse_number(shown, lang, -1e7, 1e7) == pytest.approx(round(x, 2), abs=0.006)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.sampled_from(["vi", "en"]))
def test_a_table_column_has_two_decimals_on_every_row_and_no_negative_zero(x, lang):
    """A column of shares reads 80,60 · 98,58 · 100,00 (it read 80,6 · 98,58 · 100), and a value that
    rounds to zero is never written with a minus sign, in any of the number formats."""
    text = fmt.fixed(x, lang)
    decimal = "," if lang == "vi" else "."
    assert re.fullmatch(rf"−?\d{{1,3}}(\{'.' if lang == 'vi' else ','}\d{{3}})*\{decimal}\d\d", text), text
    assert fmt.parse_number(text, lang, -1e7, 1e7) == pytest.approx(round(x, 2), abs=0.006)
    # the same rounding (half up) as every other figure: one value, two writings at most
    assert fmt.parse_number(text, lang, -1e7, 1e7) == fmt.parse_number(fmt.number(x, lang), lang, -1e7, 1e7)
    for shown in (text, fmt.number(x, lang), fmt.pct(x, lang), fmt.points(x, lang)):
        assert not re.match(r"[−+]?0([.,]0+)?(%| |$)", shown.lstrip("−")) or not shown.startswith("−"), shown


@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.sampled_from(["vi", "en"]))
def test_a_percent_follows_its_number_without_a_space(x, lang):
    text = fmt.quantity(x, "%", lang)
    assert re.fullmatch(r"[\d.,]+%", text), text
    assert fmt.quantity(x, "ngày", lang).endswith(" ngày")


def test_sizes_are_grouped_as_the_locale_writes_them():
    assert fmt.count(1_000_000 / 1000, "vi") + " kB" == "1.000 kB"
    assert fmt.count(1_000_000 / 1000, "en") + " kB" == "1,000 kB"


def test_every_recovered_cell_has_its_reason_and_column_in_vietnamese():
    prov = load_report().provenance
    assert len(prov) > 0
    assert all(prov.reason_vi.str.len() > 20)
    assert all(c in COLUMN_LABEL_VI and c in COLUMN_LABEL_EN for c in prov.column)
    # the reasons' numbers are written the Vietnamese way: no English decimal point in a share
    assert not any(re.search(r"\d\.\d+%", r) for r in prov.reason_vi)


def test_every_shipped_target_set_names_its_figure_in_both_languages():
    for path in sorted((ROOT / "data" / "targets").glob("*.json")):
        ref = json.loads(path.read_text(encoding="utf-8"))["reference"]
        if "figure" in ref:
            assert ref.get("figure_en"), path.name
            assert not re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", ref["figure_en"], re.I), path.name


def test_the_sources_page_exists_in_vietnamese_with_every_section_and_no_file_path():
    english = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    vietnamese = (ROOT / "docs" / "sources.vi.md").read_text(encoding="utf-8")
    assert english.count("\n## ") == vietnamese.count("\n## ")
    assert not re.search(r"`[^`]*/[^`]*`|\.(md|csv|json|txt)\b", vietnamese)
    # every figure of the English page is in the Vietnamese one, written the Vietnamese way
    figures = set(re.findall(r"\d+(?:[.,]\d+)*%", english))
    shown = set(re.findall(r"\d+(?:[.,]\d+)*%", vietnamese))
    vi_style = {f.replace(",", "\0").replace(".", ",").replace("\0", ".") for f in figures}
    assert vi_style <= shown, sorted(vi_style - shown)


def test_the_app_icon_is_a_file_of_the_project():
    from ui.theme import APP_ICON

    assert Path(APP_ICON).is_file() and Path(APP_ICON).is_relative_to(ROOT)
    assert ":material/" not in (ROOT / "app.py").read_text(encoding="utf-8").split("set_page_config", 1)[1].split(")", 1)[0]


# Words for the program, not for the room: a package, a file format or path, a scale's jargon, the
# address bar's own parameters.
DEVELOPER_WORDS = re.compile(r"log-odds|pyfixest|did2s|scipy|brentq|\bJSON\b|docs/|\b\w+\.py\b|\?data=|python -m", re.I)


def test_no_text_on_screen_has_a_developer_word():
    """Every text the pages and ui/ write in either language (`pick(vi, en)` and the shared table): the
    effects view once said "log-odds" and "pyfixest", the library "Tải JSON"."""
    from tests.test_browser_words import catalogue

    found = sorted({text for pair in catalogue() for text in pair if DEVELOPER_WORDS.search(text)})
    assert not found, found


def test_the_catalogue_reads_every_page_and_view():
    """The one-language test's catalogue holds the texts of main's later views too (datasets, effects,
    Decision 766 points, the first projected month's caption)."""
    from tests.test_browser_words import catalogue

    texts = {text for pair in catalogue() for text in pair}
    for phrase in (
        "Chưa có sổ biện pháp cho bộ số liệu này",  # effects
        "Made-up numbers, not Sơn La's data",  # the synthetic dataset's warning
        "Dùng bộ số liệu này",  # datasets
        "Nhập số liệu chỉ số 766 ở trang Tổng quan",  # 766 points
        "Decision 766 indicators (upload, template, each part)",
    ):
        assert phrase in texts, phrase


@given(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), st.sampled_from(["vi", "en"]))
def test_decision_766_points_have_the_minus_sign(x, lang):
    from model.index766 import points_text

    text = points_text(x, lang)
    assert "-" not in text, text
    assert text.startswith("−") == (round(x, 2) < 0), text
