"""Honest bands: the status quo and its two bands on monthly series as rough as real ones
(tests/rough_series.py: over-dispersion, campaign months, a December push and a Tết dip, province and
block shocks, rollouts, register measures, small and empty units), over many seeds and magnitudes."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logit

from model.analysis import default_compiled
from model.baseline import load_report
from model.calibration import STATUS_LABEL, backtest, calibrate, coverage_table, forecast_bands
from model.projection import project
from model.series import ReportSeries, month_index, period_of, series_from_long_csv
from model.tracking import PlanOfRecord, freeze
from tests.conftest import builtin, model_cli
from tests.rough_series import rough_series
from tests.series_support import long_csv_for

REPORT = load_report()
COVERAGE_SEEDS = range(100, 116)


@pytest.fixture(scope="module")
def coverage() -> pd.DataFrame:
    """The coverage table (holdout × block/size × band) over 16 generated series, pooled."""
    tables = []
    for seed in COVERAGE_SEEDS:
        series, _truth, register, _settings = rough_series(seed)
        tables.append(coverage_table(series, register=register, draws=400))
    table = pd.concat(tables, ignore_index=True)
    table["inside"] = table.coverage_pct * table.n / 100
    return table


@pytest.mark.parametrize("holdout", [3, 6])
def test_the_month_band_covers_70_to_90_percent_of_held_out_block_months(coverage, holdout):
    blocks = coverage[(coverage.holdout == holdout) & (coverage.level == "block") & (coverage.band == "month")]
    pooled = 100 * blocks.inside.sum() / blocks.n.sum()
    assert 70 <= pooled <= 90, pooled
    for block, rows in blocks.groupby("id"):  # every block on its own, with its wider sampling error (48 months)
        assert 62 <= 100 * rows.inside.sum() / rows.n.sum() <= 96, block


@pytest.mark.parametrize("holdout", [3, 6])
def test_the_month_band_covers_70_to_90_percent_of_unit_months_in_every_size_class(coverage, holdout):
    sizes = coverage[(coverage.holdout == holdout) & (coverage.level == "size") & (coverage.band == "month")]
    assert set(sizes.id) == {"0-20", "20-100", "100-300", "300+"}
    for size, rows in sizes.groupby("id"):
        assert 70 <= 100 * rows.inside.sum() / rows.n.sum() <= 90, size


def test_the_trend_band_is_narrower_than_the_month_band_and_is_not_where_months_fall(coverage):
    trend = coverage[(coverage.level == "block") & (coverage.band == "trend")]
    month = coverage[(coverage.level == "block") & (coverage.band == "month")]
    assert trend.inside.sum() < month.inside.sum()


def test_december_is_not_forecast_low():
    """The mean log-odds error of December forecasts for units over 300 dossiers a month, over series
    whose held-out half year has a December."""
    errors = []
    for seed in range(200, 210):
        last = month_index("2025-12") + seed % 6
        series, _truth, register, _settings = rough_series(seed, last_period=period_of(last))
        units = backtest(series, holdout=6, register=register, draws=100).units
        dec = units[
            (units.dossiers > 300) & units.month.str.startswith("12/") & (units.actual_pct > 0) & (units.actual_pct < 100)
        ]
        errors.append(float((logit(dec.actual_pct / 100) - logit(dec.forecast_pct / 100)).mean()))
    assert abs(np.mean(errors)) < 0.1, errors


def test_trends_of_large_units_come_back_within_a_tenth_of_a_log_odds_a_year():
    errors = []
    for seed in range(300, 308):
        series, truth, register, _settings = rough_series(seed)
        cal = calibrate(series, register=register)
        large = (truth["size"].to_numpy() > 300) & (truth.rollout.to_numpy() < 0)
        errors.append(np.abs(cal.trend[large] - truth.trend.to_numpy()[large]))
        assert cal.converged[cal.calibrated].all()
    assert np.concatenate(errors).mean() < 0.1


def _one_unit_series(rows: list[tuple[str, str, int, int, int]]) -> ReportSeries:
    """rows: (seg_id, kind, month, dossiers, online)."""
    obs = pd.DataFrame(
        [{"seg_id": s, "first": m, "last": m, "dossiers": n, "online": y} for s, _k, m, n, y in rows],
        columns=["seg_id", "first", "last", "dossiers", "online"],
    )
    kinds = dict((s, k) for s, k, *_ in rows)
    segments = pd.DataFrame(
        {"seg_id": list(kinds), "name_vi": list(kinds), "name_en": list(kinds), "kind": list(kinds.values()), "district_id": None}
    )
    return ReportSeries("communes", segments, obs, "x", "x", synthetic=True)


@settings(max_examples=15, deadline=None)
@given(
    rollout_at=st.integers(6, 18),
    level=st.floats(-2.0, 1.0),
    size=st.integers(40, 2000),
    seed=st.integers(0, 10_000),
)
def test_a_rollout_is_a_level_shift_not_a_trend(rollout_at, level, size, seed):
    """A unit with no online dossiers until a month, then a flat share: its trend stays near 0 and it
    is marked as a rollout; its level is the share after the rollout."""
    rng = np.random.default_rng(seed)
    start = month_index("2024-01")
    rows = []
    for j in range(30):
        n = int(rng.poisson(size))
        p = 0.0 if j < rollout_at else float(1 / (1 + np.exp(-(level + rng.normal(0, 0.15)))))
        rows.append(("x", "commune", start + j, n, int(rng.binomial(n, p))))
        # peers that give the block its months
        for u in range(4):
            pn = int(rng.poisson(300))
            rows.append((f"p{u}", "commune", start + j, pn, int(rng.binomial(pn, 0.3))))
    cal = calibrate(_one_unit_series(rows))
    i = cal.seg_ids.index("x")
    assert cal.step_kind[i] == "rollout" and cal.step_month[i] == start + rollout_at
    assert abs(cal.trend[i]) < 0.5  # log-odds a year; the jump itself is about 4–8
    assert abs(cal.level[i] - level) < 0.4


def test_a_register_measure_is_a_level_shift_not_a_trend():
    """Five district offices with a +0.7 step half-way and no trend: with the register's start months
    their trends stay near 0, and the 12 months after the series do not count the step again."""
    rng = np.random.default_rng(5)
    start = month_index("2023-01")
    rows, register = [], []
    for u in range(5):
        step_at = start + 12 + u
        register.append({"seg_id": f"o{u}", "month": step_at})
        for j in range(30):
            n = int(rng.poisson(600))
            eta = -1.5 + 0.7 * (start + j >= step_at) + rng.normal(0, 0.1)
            rows.append((f"o{u}", "district_office", start + j, n, int(rng.binomial(n, 1 / (1 + np.exp(-eta))))))
    for u in range(8):  # the block's other offices, without the measure
        for j in range(30):
            n = int(rng.poisson(600))
            eta = -1.0 + rng.normal(0, 0.1)
            rows.append((f"q{u}", "district_office", start + j, n, int(rng.binomial(n, 1 / (1 + np.exp(-eta))))))
    series = _one_unit_series(rows)
    with_register = calibrate(series, register=pd.DataFrame(register))
    without = calibrate(series)
    stepped = np.array([sid.startswith("o") for sid in with_register.seg_ids])
    assert np.abs(with_register.trend[stepped]).max() < 0.15
    assert np.abs(without.trend[stepped]).min() > 0.2  # what the register is for: the step would read as a trend
    assert {with_register.step_kind[i] for i in np.flatnonzero(stepped)} == {"register"}
    np.testing.assert_allclose(with_register.level[stepped], -0.8, atol=0.1)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), n_months=st.integers(14, 30))
def test_a_unit_with_no_dossiers_gets_no_share_and_never_moves_a_block(seed, n_months):
    series, truth, _register, _settings = rough_series(seed, n_units=60, n_months=n_months)
    cal = calibrate(series)
    empty = truth["empty"].to_numpy()
    assert empty.any()
    assert np.isnan(cal.level[empty]).all() and np.isnan(cal.observed_share[empty]).all()
    assert {cal.status[i] for i in np.flatnonzero(empty)} == {"no_dossiers"}
    assert (cal.months[empty] == 0).all()  # empty months do not count toward the minimum
    months = [cal.last_month + h for h in range(1, 7)]
    volumes = np.tile(np.maximum(cal.dossiers_per_month, 0), (6, 1))
    bands = forecast_bands(cal, months, volumes, draws=200, seed=1)
    assert np.isnan(bands.unit_center[:, empty]).all() and np.isnan(bands.unit_month[:, :, empty]).all()
    # giving the empty units a volume changes no block: they have no share to weigh
    volumes[:, empty] = 5000.0
    again = forecast_bands(cal, months, volumes, draws=200, seed=1)
    np.testing.assert_array_equal(again.group_month, bands.group_month)
    np.testing.assert_array_equal(again.group_center, bands.group_center)


def test_units_without_enough_months_are_held_at_their_observed_share_and_say_so():
    series, truth, _register, _settings = rough_series(11, n_units=80, n_months=24)
    obs = series.obs
    # a unit with dossiers in only 3 months: not enough data, held at what it shows, never 50%
    keep = obs[(obs.seg_id != "r005") | (obs["first"] >= obs["first"].max() - 2)]
    keep = keep[(keep.seg_id != "r005") | (keep.dossiers > 0)]
    sparse = ReportSeries(series.structure, series.segments, keep.reset_index(drop=True), "x", "x", synthetic=True)
    cal = calibrate(sparse)
    i = cal.seg_ids.index("r005")
    mine = keep[keep.seg_id == "r005"]
    if mine.dossiers.sum() == 0:
        pytest.skip("the generated unit had no dossiers in its last months")
    assert cal.status[i] == "not_enough_data" and STATUS_LABEL[cal.status[i]][0] == "không đủ số liệu"
    assert np.isnan(cal.level[i])
    assert cal.observed_share[i] == pytest.approx(mine.online.sum() / mine.dossiers.sum())
    bands = forecast_bands(cal, [cal.last_month + 1], np.full((1, len(cal.seg_ids)), 100.0), draws=200)
    assert bands.unit_center[0, i] == pytest.approx(cal.observed_share[i], abs=1e-5)
    assert any("r005: không đủ số liệu" == line for line in cal.notes("vi"))


def test_separation_gives_finite_levels_and_every_fit_converges():
    start = month_index("2024-01")
    rows = []
    rng = np.random.default_rng(3)
    for j in range(24):
        rows.append(("all_online", "department", start + j, 80, 80))
        rows.append(("all_paper", "department", start + j, 80, 0))
        n = int(rng.poisson(500))
        rows.append(("mixed", "department", start + j, n, int(rng.binomial(n, 0.4))))
    cal = calibrate(_one_unit_series(rows))
    assert cal.converged.all() and np.isfinite(cal.level).all()
    assert np.all(np.abs(cal.level) < 12) and np.all(np.sqrt(cal.cov[:, 0, 0]) < 10)
    assert 0.05 < cal.block_tau["department"] < 5  # a real prior on the spread: neither a floor nor a blow-up


def test_over_dispersion_is_measured_and_reported():
    series, _truth, _register, s = rough_series(21)
    cal = calibrate(series)
    assert all(v > 1.5 for v in cal.dispersion.values())  # Pearson χ²/df of the plain binomial
    for sd in cal.month_noise_sd.values():
        assert 0.5 * s.month_noise_sd < sd < 2 * s.month_noise_sd
    frame = cal.frame()
    assert {"status", "converged", "dispersion"} <= set(frame.columns)


def test_the_projection_carries_both_bands_only_with_the_series_start():
    series = series_from_long_csv(long_csv_for(REPORT, 24, last_period="2023-10", trend=0.5), "x.csv", REPORT)
    c = default_compiled().with_calibration(calibrate(series))
    s = builtin("status_quo")
    s.plan_year, s.start_point = 2024, "series_estimate"
    proj = project(c, s, draws=256, with_contributions=False)
    assert proj.trend_band_monthly is not None and proj.month_band_monthly is not None
    assert proj.trend_band_monthly.shape == proj.month_band_monthly.shape == (3, 12, len(proj.blocks))
    trend, month = proj.trend_band_monthly, proj.month_band_monthly
    assert np.all(trend[0] <= trend[2]) and np.all(month[0] <= month[2])
    assert np.all(month[2] - month[0] >= trend[2] - trend[0] - 1e-9)
    report_start = builtin("status_quo")
    report_start.plan_year, report_start.start_point = 2024, "annual_2022"  # "latest" would be the series here
    plain = project(c, report_start, draws=64, with_contributions=False)
    assert plain.trend_band_monthly is None and plain.month_band_monthly is None
    # a plan records the band it froze, and it survives a save and load
    plan = freeze(proj, "KH", "x")
    assert plan.band_kind == "month"
    np.testing.assert_array_equal(plan.band, proj.month_band_monthly)
    assert PlanOfRecord.from_json(plan.to_json()).band_kind == "month"
    assert freeze(plain, "KH", "x").band_kind == "scenario"


def test_the_data_overrides_the_2022_flags_of_communes_without_services():
    c0 = default_compiled()
    assert c0.structural.any()
    series = series_from_long_csv(long_csv_for(REPORT, 12, last_period="2023-10"), "x.csv", REPORT)
    # the data shows the flagged communes live: some online dossiers every month
    obs = series.obs.copy()
    flagged = set(c0.seg.seg_id[c0.structural])
    live = obs.seg_id.isin(flagged)
    obs.loc[live, "online"] = (obs.loc[live, "dossiers"] * 0.2).round().astype(int)
    series = ReportSeries(series.structure, series.segments, obs, "x", "x", synthetic=True)
    cal = calibrate(series)
    c = c0.with_calibration(cal)
    assert not c.structural.any() and c.not_deployed_districts == ()
    assert c.series_mask[c0.structural].all()
    # the peer rate is the data's deployed communes' share at the last month
    last = obs[obs["first"] == obs["first"].max()]
    communes = set(c0.seg.seg_id[c0.is_commune])
    peers = last[last.seg_id.isin(communes)]
    assert c.peer_commune_pct == pytest.approx(100 * peers.online.sum() / peers.dossiers.sum())
    back = c.with_calibration(None)
    np.testing.assert_array_equal(back.structural, c0.structural)
    assert back.peer_commune_pct == pytest.approx(c0.peer_commune_pct)


def test_cli_run_json_gives_both_bands_per_block_month_and_backtest_gives_block_coverage(tmp_path):
    path = tmp_path / "chuoi.csv"
    path.write_bytes(long_csv_for(REPORT, 24, last_period="2023-10"))
    scenario = tmp_path / "s.json"
    s = builtin("status_quo")
    s.plan_year, s.start_point = 2024, "series_estimate"
    scenario.write_text(s.to_json(), encoding="utf-8")
    out = json.loads(model_cli("--series", str(path), "run", str(scenario), "--json", "--draws", "64"))
    for block, figures in out["blocks"].items():
        months = figures["monthly"]
        assert [m["month"] for m in months] == [f"2024-{m:02d}" for m in range(1, 13)], block
        for m in months:
            assert set(m) == {"month", "pct", "trend_p10_pct", "trend_p90_pct", "month_p10_pct", "month_p90_pct"}
            assert m["month_p10_pct"] <= m["month_p90_pct"] and m["trend_p10_pct"] <= m["trend_p90_pct"]
    bt = json.loads(model_cli("--series", str(path), "backtest", "--json"))
    assert bt["band"] == "month"
    assert {"province", "department"} <= set(bt["blocks"])
    assert all(0 <= b["coverage_pct"] <= 100 for b in bt["blocks"].values())
