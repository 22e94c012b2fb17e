"""A series of monthly reports: differencing, the rules across months, the status quo estimated from
the data (recovery on generated series), the backtest, plans of record and the Tracking page."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from model.analysis import default_compiled
from model.baseline import load_report
from model.calibration import backtest, calibrate
from model.projection import project
from model.series import SeriesError, month_index, series_from_long_csv, series_from_reports
from model.store import ScenarioStore
from model.tracking import freeze, track
from tests.conftest import FIXTURES, ROOT, builtin, model_cli, shown_tables
from tests.series_support import generated_series, keep_series_dataset, long_csv_for

REPORT = load_report()


def ytd_report(period: str, scale: float, online_scale: float | None = None, drop: str | None = None):
    """The built-in report as if it were the year-to-date report of another month: its counts scaled."""
    units = REPORT.units.copy()
    online_scale = scale if online_scale is None else online_scale
    for col, k in (
        ("dossiers", scale),
        ("dossiers_incl_communes", scale),
        ("dossiers_online", online_scale),
        ("dossiers_online_incl_communes", online_scale),
    ):
        units[col] = (units[col] * k).round().astype("Int64")
    units["dossiers_online_incl_communes"] = np.maximum(units.dossiers_online_incl_communes, units.dossiers_online)
    if drop:
        units = units[units.unit_id != drop]
    return replace(
        REPORT, id=period, period=period, cumulative_from=f"{period[:4]}-01", units=units, province=REPORT.province.iloc[0:0]
    )


# ------------------------------------------------------------------ differencing and the rules across months


def test_consecutive_year_to_date_reports_are_differenced_into_months():
    reports = [ytd_report("2023-01", 1 / 12), ytd_report("2023-02", 2 / 12), ytd_report("2023-03", 3 / 12)]
    series = series_from_reports(reports)
    gtvt = series.obs[series.obs.seg_id == "so-gtvt"].sort_values("first")
    jan, feb, mar = (int(round(28073 * k)) for k in (1 / 12, 2 / 12, 3 / 12))
    assert list(gtvt.dossiers) == [jan, feb - jan, mar - feb]
    assert list(gtvt["first"]) == list(gtvt["last"]) == [month_index("2023-01"), month_index("2023-02"), month_index("2023-03")]
    assert series.n_months == 3


def test_a_single_year_to_date_report_is_one_span_not_twelve_months():
    series = series_from_reports([REPORT])
    assert series.n_months == 0
    row = series.obs[series.obs.seg_id == "so-gtvt"].iloc[0]
    assert (row.dossiers, row.online) == (28073, 334)
    assert row["first"] == month_index("2022-01") and row["last"] == month_index("2022-12")


@pytest.mark.parametrize(
    "case,expected_vi",
    [
        ("falls", "lũy kế giảm từ 02/2023 sang 03/2023"),
        ("missing", "thiếu báo cáo tháng 02/2023 (giữa 01/2023 và 03/2023)"),
        ("duplicate", "tháng 02/2023 có hơn một báo cáo"),
        ("vanishes", "có trong 02/2023 nhưng không có trong 03/2023"),
        ("online_above_total", "lớn hơn tổng số hồ sơ"),
    ],
)
def test_every_rule_across_months_rejects_the_whole_series(case, expected_vi):
    jan, feb = ytd_report("2023-01", 1 / 12), ytd_report("2023-02", 2 / 12)
    third = {
        "falls": ytd_report("2023-03", 1.5 / 12),
        "missing": ytd_report("2023-03", 3 / 12),
        "duplicate": ytd_report("2023-02", 2 / 12),
        "vanishes": ytd_report("2023-03", 3 / 12, drop="so-y-te"),
        "online_above_total": ytd_report("2023-03", 2.05 / 12, online_scale=3 / 12),
    }[case]
    reports = [jan, third] if case == "missing" else [jan, feb, third]
    with pytest.raises(SeriesError) as err:
        series_from_reports(reports)
    assert any(expected_vi in m for m in err.value.messages("vi")), err.value.messages("vi")
    assert all(m for m in err.value.messages("en"))


def test_a_structure_change_starts_a_new_series_and_keeps_only_province_and_department_totals():
    after = load_report(FIXTURES / "report_2025_communes")
    series = series_from_reports([REPORT, after])
    assert series.structure == "communes" and set(series.earlier.block) == {"province", "department"}
    assert "bỏ cấp huyện" in series.notes[0][0] and "districts abolished" in series.notes[0][1]


LONG_HEADER = "unit,month,dossiers,online_dossiers"


@pytest.mark.parametrize(
    "rows,expected_en",
    [
        (["so-gtvt,2023-01,100,10", "so-gtvt,2023-01,90,9"], "appears twice"),
        (["so-gtvt,2023-01,100,10", "so-gtvt,2023-03,90,9"], "missing month(s) 02/2023"),
        (["so-khong-co,2023-01,100,10"], "is not a unit code of the active data"),
        (["so-gtvt,2023-01,100,120"], "online dossiers (120) exceed all dossiers (100)"),
        (["so-gtvt,2023-13,100,10"], "row 2, column month: “2023-13”: there is no month 13"),
        (["so-gtvt,2023-01,mười,10"], "row 2, column dossiers: “mười” is not a number"),
        (["so-gtvt,2023-01,161,5,10"], "row 2: 5 cells, expected 4"),
        (["so-gtvt,2023-01,0,0"], "every dossier count in the series is 0"),
        (["so-gtvt,2023-01,100,10", "so-y-te,2023-02,100,10", "so-gtvt,2023-02,100,10"], "has no figures for 01/2023"),
    ],
)
def test_long_csv_rules(rows, expected_en):
    data = ("\n".join([LONG_HEADER, *rows]) + "\n").encode()
    with pytest.raises(SeriesError) as err:
        series_from_long_csv(data, "chuoi.csv", REPORT)
    assert any(expected_en in m for m in err.value.messages("en")), err.value.messages("en")
    assert all(m.startswith("chuoi.csv: ") for m in err.value.messages("vi"))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5000), st.integers(0, 5000)), min_size=1, max_size=12))
def test_long_csv_counts_round_trip_exactly(counts):
    rows = [f"so-gtvt,{2023 + m // 12}-{m % 12 + 1:02d},{max(a, b)},{min(a, b)}" for m, (a, b) in enumerate(counts)]
    series = series_from_long_csv(("\n".join([LONG_HEADER, *rows]) + "\n").encode(), "x.csv", REPORT)
    got = series.obs.sort_values("first")
    assert list(got.dossiers) == [max(a, b) for a, b in counts] and list(got.online) == [min(a, b) for a, b in counts]


# ------------------------------------------------------------------ the status quo estimated from the data


def test_known_levels_and_trends_are_recovered_on_a_generated_series():
    series, truth = generated_series(n_units=300, n_months=24, seed=3)
    cal = calibrate(series)
    assert cal.calibrated.all()
    err = cal.trend - truth.trend.to_numpy()
    big = truth["size"].to_numpy() > 300
    assert np.abs(err[big]).mean() < 0.1  # log-odds a year
    assert np.abs(err).mean() < 0.15
    for kind, block in (("department", "department"), ("district_office", "district_offices"), ("commune", "communes")):
        assert cal.block_trend[block] == pytest.approx(truth[truth.kind == kind].trend.mean(), abs=0.1)
    # partial pooling: small units' trends sit closer to their block's than their unpooled truth spread
    assert np.abs(cal.level - truth.level.to_numpy())[big].mean() < 0.05


def test_the_backtest_band_covers_between_70_and_90_percent_of_generated_months():
    series, _ = generated_series(n_units=300, n_months=24, seed=5)
    bt = backtest(series, holdout=3)
    assert 70 <= bt.coverage_pct <= 90
    blocks = bt.summary[bt.summary.level == "block"]
    assert set(blocks.id) == {"province", "department", "district_offices", "communes"}
    assert (blocks.mean_abs_error_pts < 1.0).all()


def test_the_series_estimate_starts_where_the_series_ends_and_follows_its_trend():
    series = series_from_long_csv(long_csv_for(REPORT, 24, last_period="2023-10", trend=0.8), "x.csv", REPORT)
    c = default_compiled().with_calibration(calibrate(series))
    s = builtin("status_quo")
    s.plan_year, s.start_point = 2024, "series_estimate"
    proj = project(c, s, draws=128)
    flat = proj.block("province").flat_december
    assert proj.block("province").december > flat + 1  # a rising trend of 0.8 log-odds a year
    p = proj.block("province")
    assert p.p10 <= p.december <= p.p90
    assert np.all((proj.unit_monthly >= 0) & (proj.unit_monthly <= 100))


def test_cli_backtest(tmp_path):
    path = tmp_path / "chuoi.csv"
    path.write_bytes(long_csv_for(REPORT, 12, last_period="2023-10"))
    out = model_cli("--series", str(path), "backtest", "--json")
    data = __import__("json").loads(out)
    assert data["holdout"] == 3 and 0 <= data["coverage_pct"] <= 100
    assert {r["id"] for r in data["summary"] if r["level"] == "block"} >= {"province", "department"}


# ------------------------------------------------------------------ plans of record


def test_a_plan_of_record_does_not_move_when_its_scenario_is_edited(tmp_path):
    c = default_compiled()
    s = builtin("recommendations")
    plan = freeze(project(c, s, draws=64), "Kế hoạch 2023", c.report.id)
    store = ScenarioStore(tmp_path / "db.sqlite3")
    v1 = store.save_plan(plan)
    before = plan.monthly.copy()
    s.settings["fee_cut.cut_pct"] = 100.0  # the scenario is edited afterwards
    edited = freeze(project(c, s, draws=64), "Kế hoạch 2023", c.report.id)
    v2 = store.save_plan(edited)
    assert (v1.version, v2.version) == (1, 2)
    ids = {version: plan_id for plan_id, _name, version, _year, _at in store.plans()}
    again = store.plan(ids[1])
    np.testing.assert_array_equal(again.monthly, before)
    np.testing.assert_array_equal(plan.monthly, before)
    assert store.plan(ids[2]).monthly[-1, 0] > again.monthly[-1, 0]


def test_tracking_compares_actual_months_with_the_plan():
    c = default_compiled()
    plan = freeze(project(c, builtin("status_quo"), draws=64), "KH", c.report.id)
    series = series_from_long_csv(long_csv_for(REPORT, 22, last_period="2023-10", trend=0.0), "x.csv", REPORT)
    tr = track(plan, series)
    assert tr.months_with_data == tuple(range(1, 11))
    prov = tr.block_actual[tr.block_actual.block == "province"]
    assert len(prov) == 10 and set(prov.status) <= {"ahead", "on_track", "behind"}
    u = tr.units.set_index("seg_id").loc["so-gtvt"]
    assert u.actual_ytd_pct == pytest.approx(100 * u.actual_online_ytd / u.actual_dossiers_ytd)
    # needed a month for Nov–Dec so the year reaches 80%
    rest = plan.unit_dossiers[10:, list(plan.units.seg_id).index("so-gtvt")].sum()
    assert u.needed_online_per_month == pytest.approx((0.8 * (u.actual_dossiers_ytd + rest) - u.actual_online_ytd) / 2)


# ------------------------------------------------------------------ the Tracking page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tracking_page_saves_a_plan_and_tracks_a_loaded_series(lang):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("app_pages/tracking.py").run()
    assert not at.exception and at.info
    at.text_input(key="plan_name").input("Kế hoạch 2023").run()
    next(b for b in at.button if b.label in ("Lưu làm kế hoạch", "Save as the plan")).click().run()
    assert not at.exception and at.success
    at.session_state["dataset"] = keep_series_dataset(long_csv_for(REPORT, 22, last_period="2023-10"), REPORT)
    at.run()
    assert not at.exception
    first = at.metric[0]
    assert first.label == ("Thực tế tháng 10/2023" if lang == "vi" else "Actual, 10/2023")
    words = {"vi": ("vượt", "đúng tiến độ", "chậm"), "en": ("ahead", "on track", "behind")}[lang]
    assert any(w in first.delta for w in words)
    # the chart: plan, band and target, and the ten actual months as points, valid for plotly's schema
    import json

    import plotly.graph_objects as go

    (figure,) = [
        go.Figure(json.loads(json.loads(e.proto.json)["figure"]))
        for e in at.get("bidi_component")
        if e.proto.component_name == "sonla_live_chart"
    ]
    assert any(trace.name in ("Thực tế", "Actual") and len(trace.y) == 10 for trace in figure.data)
    table = shown_tables(at)[0]
    assert len(table) == 41  # every unit; those without figures say so, at the bottom
    status = table.iloc[:, 4]
    no_data = "chưa có số liệu" if lang == "vi" else "no data yet"
    assert status.iloc[-1] == no_data and status.iloc[0] != no_data
