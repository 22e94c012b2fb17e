"""The calibration's two named bands, where people read them: the Scenario page's card and chart, the
Assumptions page's coverage table (issue 21), on data with months of its own."""

from dataclasses import replace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from model.calibration import calibrate
from model.datasets import builtin_dataset, open_dataset
from model.engine import compile_report
from model.projection import project
from model.scenario import Scenario, builtin_scenario
from tests.conftest import ROOT, shown_tables


def example_projection(scenario: Scenario):
    opened = open_dataset(builtin_dataset("vi-du-2025"))
    c = compile_report(opened.report).with_calibration(calibrate(opened.series))
    return project(c, scenario, draws=200)


@pytest.mark.parametrize("which", ["status_quo", "recommendations"])
def test_a_projection_from_the_data_s_months_has_the_month_band_around_the_trend_band(which):
    s = replace(builtin_scenario(which), plan_year=2027, start_point="latest")
    proj = example_projection(s)
    assert proj.has_named_bands
    for block in proj.blocks:
        lines = proj.lines(block)
        assert set(proj.NAMED_BAND_LINES) <= set(lines.columns)
        assert (lines.month_p10 <= lines.trend_p10 + 1e-9).all() and (lines.trend_p90 <= lines.month_p90 + 1e-9).all()
        assert ((lines.month_p10 >= 0) & (lines.month_p90 <= 100)).all()
        # the centre line runs inside the month band
        assert (lines.month_p10 <= lines.scenario + 1e-6).all() and (lines.scenario <= lines.month_p90 + 1e-6).all()


def test_a_projection_from_the_report_alone_has_only_the_effect_size_range():
    from model.analysis import default_compiled

    proj = project(default_compiled(), builtin_scenario("status_quo"), draws=200)
    assert not proj.has_named_bands
    assert not set(proj.NAMED_BAND_LINES) & set(proj.lines("province").columns)
    with pytest.raises(KeyError):
        proj.line("province", "month_p10")


def app(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["dataset"] = "vi-du-2025"
    return at


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_scenario_card_reads_the_december_month_band_on_data_with_months(lang):
    at = app(lang)
    at.run()
    at.switch_page("app_pages/scenario.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [m.label for m in at.metric]
    wanted = "Dải dự báo tháng 12 (P10–P90)" if lang == "vi" else "December month band (P10–P90)"
    assert wanted in labels, labels
    card = next(m for m in at.metric if m.label == wanted)
    low, high = card.value.rstrip("%").split("–")
    comma = "," if lang == "vi" else "."
    low_v, high_v = (float(v.replace(comma, ".")) for v in (low, high))
    assert 0 <= low_v <= high_v <= 100


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_backtest_view_shows_coverage_per_block_size_span_and_band(lang):
    at = app(lang)
    at.run()
    at.switch_page("app_pages/assumptions.py").run()
    at.session_state["assumptions_view"] = "backtest"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tables = shown_tables(at)
    coverage = next(
        (t for t in tables if any(("tháng cuối" in c) or ("Last" in c and "months" in c) for c in map(str, t.columns))), None
    )
    assert coverage is not None, [list(t.columns) for t in tables]
    band_words = ("dải dự báo tháng", "dải của xu hướng") if lang == "vi" else ("month band", "trend band")
    columns = [str(c) for c in coverage.columns[1:]]
    assert all(any(w in c for w in band_words) for c in columns)
    assert any(w in c for c in columns for w in band_words[:1]) and any(w in c for c in columns for w in band_words[1:])
    cells = [str(v) for v in coverage.to_numpy()[:, 1:].ravel() if isinstance(v, str)]
    for cell in cells:
        share = float(cell.split("%")[0].replace("," if lang == "vi" else ".", "."))
        assert 0 <= share <= 100
    rows = [str(v) for v in coverage.iloc[:, 0]]
    assert any(("hồ sơ/tháng" in r) or ("dossiers a month" in r) for r in rows)  # size classes
    assert not any("huyện" in r.lower() or "district" in r.lower() for r in rows)  # post-2025: no district block
    assert np.isfinite(len(rows))
