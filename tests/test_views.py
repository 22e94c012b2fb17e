"""What the pages show, computed without Streamlit (model/views.py), checked by hand arithmetic."""

import csv

import pytest

from model.analysis import contributions, default_compiled
from model.datasets import EXAMPLE_2025_DIR, builtin_dataset, open_dataset
from model.engine import compile_report
from model.projection import project
from model.targets import DECISION_1434
from model.views import bridge, compare_lines, standing, waterfall_steps
from tests.conftest import builtin


def test_the_overview_stands_at_the_example_s_last_month_by_hand():
    """Province and block shares of 11/2026 alone, and January–November 2026, summed from the CSV."""
    opened = open_dataset(builtin_dataset("vi-du-2025"))
    c = compile_report(opened.report)
    now = standing(c, opened.series, DECISION_1434)
    assert now.last_period == "2026-11" and now.ytd_from == "2026-01" and now.from_series
    assert [b.block for b in now.blocks] == ["province", "department", "communes"]
    rows = list(csv.DictReader(open(EXAMPLE_2025_DIR / "monthly.csv", encoding="utf-8")))
    for block, keep in (("province", lambda u: True), ("department", lambda u: u.startswith("so-"))):
        month = [r for r in rows if r["month"] == "2026-11" and keep(r["unit"])]
        year = [r for r in rows if r["month"].startswith("2026-") and keep(r["unit"])]
        last = 100 * sum(int(r["online_dossiers"]) for r in month) / sum(int(r["dossiers"]) for r in month)
        ytd = 100 * sum(int(r["online_dossiers"]) for r in year) / sum(int(r["dossiers"]) for r in year)
        assert now.block(block).last_month_pct == pytest.approx(last)
        assert now.block(block).ytd_pct == pytest.approx(ytd)
    assert now.block("department").target == 80.0 and now.block("communes").target == 50.0


def test_the_overview_of_one_report_is_its_year_to_date():
    now = standing(default_compiled(), None, DECISION_1434)
    assert now.last_period == "2022-12" and not now.from_series
    assert now.block("province").ytd_pct == pytest.approx(100 * 40138 / 393881)  # the report's 10,19%
    assert now.block("province").last_month_pct is None


def test_the_waterfall_adds_up_from_the_start_to_the_headline():
    c = default_compiled()
    proj = project(c, builtin("recommendations"), draws=16, with_contributions=False)
    steps = waterfall_steps(proj, contributions(c, proj.scenario), "province")
    behavioural = steps[: next(i for i, s in enumerate(steps) if s.measure == "total") + 1]
    assert behavioural[0].measure == "absolute" and behavioural[-1].measure == "total"
    assert sum(s.value for s in behavioural[:-1]) == pytest.approx(behavioural[-1].value, abs=0.01)
    assert behavioural[-1].value == pytest.approx(proj.block("province").december)


def test_compare_names_a_line_hidden_under_an_earlier_one():
    c = default_compiled()
    a, b, other = builtin("status_quo"), builtin("status_quo"), builtin("recommendations")
    projs = [project(c, s, draws=8, with_contributions=False) for s in (a, b, other)]
    view = compare_lines(projs, ["A", "B", "C"], "department")
    assert view.twins == [None, "A", None]
    assert list(view.lines.columns) == ["A", "B", "C"] and list(view.lines.index) == list(range(1, 13))


def test_the_first_projected_month_is_explained_when_it_steps_away_from_the_last_actual_one():
    opened = open_dataset(builtin_dataset("vi-du-2025"))
    c = compile_report(opened.report)
    s = builtin("status_quo")
    s.plan_year, s.start_point = 2027, "annual_2022"  # the report's year to date (9/2025), far below 11/2026
    proj = project(c, s, draws=8, with_contributions=False)
    step = bridge(proj, standing(c, opened.series, DECISION_1434), "province", starts_from_series=False)
    assert step is not None and step.last_period == "2026-11"
    assert step.gap_pts == pytest.approx(float(proj.line("province").iloc[0]) - step.last_pct)
    assert "lũy kế" in step.reason_vi and "year-to-date" in step.reason_en
