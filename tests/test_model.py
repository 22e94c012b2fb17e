import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.analysis import (
    block_index,
    contributions,
    default_compiled,
    evaluate_scenarios,
    goal_seek,
    grid,
    monte_carlo,
    sensitivity,
)
from model.baseline import load_report
from model.engine import compile_report
from model.levers import EFFECTS, LEVERS, PARAM_BY_ID
from model.scenario import Scenario, ScenarioError, builtin_scenarios, load_scenario_file
from tests.conftest import FIXTURES, ROOT, builtin, model_cli

C = default_compiled()
SEG = C.seg.set_index("seg_id")
PROV, DEPT, DIST = block_index(C, "province"), block_index(C, "department"), block_index(C, "district_incl_communes")
MONOTONE_PARAMS = [p for p in PARAM_BY_ID.values() if p.monotone]


def still(**settings_) -> Scenario:
    """A scenario with momentum off and the given settings (param ids with '.' as '__')."""
    s = Scenario("test")
    s.assumptions["momentum_logodds_per_year"] = 0.0
    return s.with_settings(**settings_)


def share(res, seg_id, month=12, row=0):
    return res.share[row, month - 1, SEG.index.get_loc(seg_id)]


# ------------------------------------------------------------------ baseline


def test_no_lever_no_momentum_reproduces_the_baseline_exactly():
    res = evaluate_scenarios(C, [still()])
    assert np.array_equal(res.share[0], np.broadcast_to(C.p_annual, res.share[0].shape))
    for m in range(12):
        assert round(100 * res.agg_share[0, m, DEPT], 2) == 38.82
        assert round(100 * res.agg_share[0, m, DIST], 2) == 5.30
        assert round(100 * res.agg_share[0, m, PROV], 2) == 10.19
    assert res.agg_online[0].sum(axis=0)[PROV] == pytest.approx(40138)  # 12 months × 1/12 of the year


def test_december_run_rate_derivation():
    # month-only share = 12 × YTD(12) − 11 × YTD(11), equal months assumed
    assert C.run_rates["department"].month_only_pct == pytest.approx(12 * 38.82 - 11 * 38.08)  # 46.96
    assert C.run_rates["district_incl_communes"].month_only_pct == pytest.approx(12 * 5.30 - 11 * 3.23)  # 28.07
    s = still()
    s.start_point = "december_run_rate"
    res = evaluate_scenarios(C, [s])
    assert 100 * res.agg_share[0, 0, DEPT] == pytest.approx(46.96, abs=1e-6)
    assert 100 * res.agg_share[0, 0, DIST] == pytest.approx(28.07, abs=1e-6)
    assert res.share[0, 0, SEG.index.get_loc("mai-son:communes")] == 0.0  # structural zero stays


def test_peer_and_best_commune_shares_from_data():
    # deployed districts' communes: (659+540+1007+5977+279+0+29) / (6044+18654+25436+105797+26698+33076+15028)
    assert C.peer_commune_pct == pytest.approx(100 * 8491 / 230733)
    assert C.best_commune_pct == pytest.approx(100 * 659 / 6044)  # Mộc Châu's communes, 10.90%
    assert set(C.not_deployed_districts) == {"mai-son", "van-ho", "sop-cop", "quynh-nhai", "phu-yen"}


# ------------------------------------------------------------------ hypothesis strategies


def scenario_strategy():
    def build(values, start_point, momentum, districts):
        s = Scenario("h")
        for pid, v in values.items():
            s.settings[pid] = v
        s.start_point = start_point
        s.assumptions["momentum_logodds_per_year"] = momentum
        s.districts = districts
        return s

    value_strats = {
        p.id: (
            st.integers(int(p.min), int(p.max)).map(float)
            if p.widget in ("month", "months", "toggle")
            else st.floats(p.min, p.max)
        )
        for p in PARAM_BY_ID.values()
    }
    return st.builds(
        build,
        st.fixed_dictionaries(value_strats),
        st.sampled_from(["annual_2022", "december_run_rate"]),
        st.floats(-0.5, 1.0),
        st.one_of(st.none(), st.lists(st.sampled_from(list(C.not_deployed_districts)), unique=True)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_strategy())
def test_shares_stay_in_bounds(s):
    res = evaluate_scenarios(C, [s])
    assert np.all((res.share >= 0) & (res.share <= 1))
    assert np.all(res.online <= res.volume + 1e-9)
    assert np.all((res.services_kpi >= 0) & (res.services_kpi <= 1))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_strategy(), st.sampled_from(MONOTONE_PARAMS), st.floats(0, 1), st.floats(0, 1))
def test_raising_any_lever_never_lowers_any_segment_in_any_month(s, param, a, b):
    lo, hi = sorted((a, b))
    low, high = s.copy(), s.copy()
    low.settings[param.id] = param.min + lo * (param.max - param.min)
    high.settings[param.id] = param.min + hi * (param.max - param.min)
    res = evaluate_scenarios(C, [low, high])
    assert np.all(res.share[1] >= res.share[0] - 1e-12), param.id


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(0, 11), st.floats(0.1, 60), scenario_strategy())
def test_structural_zero_stays_zero_until_enabled_then_follows_ramp(start, ramp, adoption, other):
    s = other.copy()
    s.adoption_mode = "custom"
    s.districts = None
    s.settings.update(
        {"commune_enable.start_month": start, "commune_enable.ramp_months": ramp, "commune_enable.adoption_pct": adoption}
    )
    res = evaluate_scenarios(C, [s])
    j = SEG.index.get_loc("phu-yen:communes")
    for m in range(1, 13):
        frac = min(1.0, max(0.0, (m - start + 1) / max(ramp, 1)))
        if m < start:
            assert res.share[0, m - 1, j] == 0.0
        else:
            # with every other lever off the share is exactly ramp × adoption
            only = still(
                commune_enable__start_month=start, commune_enable__ramp_months=ramp, commune_enable__adoption_pct=adoption
            )
            alone = evaluate_scenarios(C, [only]).share[0, m - 1, j]
            assert alone == pytest.approx(frac * adoption / 100, rel=1e-9)
            assert res.share[0, m - 1, j] >= alone - 1e-12


def test_structural_zero_ignores_other_levers_when_not_enabled():
    s = still(fee_cut__cut_pct=100, paper_stop__commune_pct=100, guidance__staff_help_pct=100, unit_targets__gap_closed_pct=100)
    res = evaluate_scenarios(C, [s])
    for sid in ("mai-son:communes", "van-ho:communes", "sop-cop:communes", "quynh-nhai:communes", "phu-yen:communes"):
        assert np.all(res.share[0, :, SEG.index.get_loc(sid)] == 0)
    # ...while Bắc Yên's deployed-but-0% communes do move (not a structural zero)
    assert share(res, "bac-yen:communes") > 0.3


# ------------------------------------------------------------------ contributions


@settings(max_examples=25, deadline=None)
@given(scenario_strategy())
def test_contributions_add_up_to_the_total_change(s):
    from model.analysis import status_quo_of

    contrib = contributions(C, s)
    res = evaluate_scenarios(C, [status_quo_of(s), s])
    with np.errstate(invalid="ignore", divide="ignore"):
        measured = {
            "december": res.agg_share_measured[1, -1],
            "annual": res.agg_online_measured[1].sum(axis=0) / res.agg_volume[1].sum(axis=0),
        }
    behavioural = contrib[contrib.kind != "measurement"]
    correction = contrib[contrib.kind == "measurement"]
    for period, values in (("december", res.december_share), ("annual", res.annual_share)):
        for block in ("province", "department", "communes"):
            b = block_index(C, block)
            total = 100 * (values[1, b] - values[0, b])
            got = behavioural[(behavioural.period == period) & (behavioural.block == block)].points.sum()
            apart = correction[(correction.period == period) & (correction.block == block)].points.sum()
            if not math.isnan(total):
                # behavioural levers add up to the headline's change; the correction to measured − behavioural
                assert got == pytest.approx(total, abs=0.01)
                assert apart == pytest.approx(100 * (measured[period][b] - values[1, b]), abs=0.01)


def test_contributions_do_not_depend_on_declaration_order():
    rec = builtin("recommendations")
    c1 = contributions(C, rec)
    assert set(c1.lever) == {lv.id for lv in LEVERS}
    # Shapley is symmetric: two identical levers would get equal shares; here check that the
    # recomputed value for one lever equals the average marginal over all orders of two levers.
    s = still(fee_cut__cut_pct=100, guidance__staff_help_pct=100)
    c2 = contributions(C, s)
    res = evaluate_scenarios(C, [still(), still(fee_cut__cut_pct=100), still(guidance__staff_help_pct=100), s])
    d = 100 * res.december_share[:, PROV]
    fee_expected = ((d[1] - d[0]) + (d[3] - d[2])) / 2
    got = c2[(c2.lever == "fee_cut") & (c2.period == "december") & (c2.block == "province")].points.iloc[0]
    assert got == pytest.approx(fee_expected, abs=1e-9)


# ------------------------------------------------------------------ goal seek


@pytest.mark.parametrize(
    "param,target,block,period",
    [
        ("fee_cut.cut_pct", 14.0, "province", "december"),
        ("guidance.staff_help_pct", 41.0, "department", "december"),
        ("paper_stop.commune_pct", 20.0, "province", "annual"),
        ("commune_enable.adoption_pct", 11.0, "province", "december"),
    ],
)
def test_goal_seek_answer_reaches_the_target(param, target, block, period):
    s = still()
    out = goal_seek(C, s, param, target, block, period)
    assert out.reachable
    trial = s.copy()
    trial.settings[param] = out.setting
    res = evaluate_scenarios(C, [trial])
    values = res.december_share if period == "december" else res.annual_share
    got = 100 * values[0, block_index(C, block)]
    assert got >= target - 1e-9 and got == pytest.approx(target, abs=0.01)


def test_goal_seek_says_plainly_when_unreachable():
    out = goal_seek(C, still(), "processing_time.reduction_pct", 50.0)
    assert not out.reachable and out.setting is None
    assert out.message_en == f"Not reachable with this lever alone; its maximum gives {out.at_max_pct:.2f}%."
    assert out.message_vi.startswith("Không đạt được chỉ với biện pháp này; mức tối đa cho ")
    assert "," in out.message_vi  # Vietnamese decimal comma


# ------------------------------------------------------------------ hand arithmetic, one lever at a time
# Each from January, no ramp, central effect size, momentum off.


def test_hand_fee_cut():
    # Sở GTVT: 334/28,073. Odds 334/27,739 = 0.0120408; × e^1.0 (full cut, central 1.0) = 0.0327305;
    # share = 0.0327305 / 1.0327305 = 0.0316932.
    res = evaluate_scenarios(C, [still(fee_cut__cut_pct=100)])
    assert share(res, "so-gtvt") == pytest.approx(0.0316932, abs=1e-6)
    # Half cut: odds × e^0.5 = 0.0198520 -> 0.0194656
    res = evaluate_scenarios(C, [still(fee_cut__cut_pct=50)])
    assert share(res, "so-gtvt") == pytest.approx(0.0194656, abs=1e-6)


def test_hand_processing_time():
    # 50% faster, central 0.2 log-odds: GTVT odds 0.0120408 × e^0.2 = 0.0147067 -> share 0.0144936
    res = evaluate_scenarios(C, [still(processing_time__reduction_pct=50)])
    assert share(res, "so-gtvt") == pytest.approx(0.0144936, abs=1e-6)


def test_hand_guidance_staff_help():
    # Sở Y tế: 620/1,931 = 0.321077; odds 620/1,311 = 0.472921; × e^0.8 (2.225541) = 1.052506 -> 1.052506/2.052506 = 0.512791
    res = evaluate_scenarios(C, [still(guidance__staff_help_pct=100)])
    assert share(res, "so-y-te") == pytest.approx(0.512791, abs=1e-6)


def test_hand_unit_targets():
    # The slider is the share of the gap actually closed, in share points, against the active target set.
    # Sở Y tế: 620/1,931 = 32.1077%; Decision 1434 gives departments 80%; closing 50% of the 47.8923-point gap
    # gives 32.1077 + 23.9462 = 56.0539%. Sông Mã's communes (5,977/105,797 = 5.6495%) with the districts' 50%:
    # 5.6495 + 0.5 × 44.3505 = 27.8248%.
    res = evaluate_scenarios(C, [still(unit_targets__gap_closed_pct=50)])
    assert 100 * share(res, "so-y-te") == pytest.approx(32.1077 + 0.5 * (80 - 32.1077), abs=1e-4)
    assert 100 * share(res, "song-ma:communes") == pytest.approx(5.6495 + 0.5 * (50 - 5.6495), abs=1e-4)
    # 100% of the gap lands exactly on the target: no cliff, no hidden effectiveness
    res = evaluate_scenarios(C, [still(unit_targets__gap_closed_pct=100)])
    assert share(res, "so-y-te") == pytest.approx(0.80, abs=1e-12)
    # Sở Công Thương is already above 80% (98.58%): unchanged
    assert share(res, "so-cong-thuong") == pytest.approx(15572 / 15797, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 100), st.floats(10, 100))
def test_unit_targets_are_linear_in_the_target_with_no_cliff_at_100(closed, department_target):
    """A unit's December share is share + closed/100 × max(0, target − share), whatever the target:
    moving the target from 95% to 100% moves it by exactly closed/100 × 5 points."""
    from model.targets import DECISION_1434

    targets = DECISION_1434.copy("test", "t", "t")
    targets.block_pct["department"] = department_target
    c = C.with_targets(targets)
    res = evaluate_scenarios(c, [still(unit_targets__gap_closed_pct=closed)])
    p0 = 620 / 1931
    expected = p0 + closed / 100 * max(0.0, department_target / 100 - p0)
    assert share(res, "so-y-te") == pytest.approx(expected, abs=1e-9)


def test_hand_paper_stop():
    # Sông Mã communes 5,977/105,797 = 0.056495; 20% covered × compliance 80% (the visible default) = 0.16 of
    # the paper share moves: 0.056495 + 0.943505 × 0.16 = 0.207456. Mai Sơn's communes have no service: stay 0.
    res = evaluate_scenarios(C, [still(paper_stop__commune_pct=20)])
    assert share(res, "song-ma:communes") == pytest.approx(0.207456, abs=1e-6)
    # compliance is a setting: at 100% "stop paper for 20%" moves exactly 20% of the paper dossiers
    res = evaluate_scenarios(C, [still(paper_stop__commune_pct=20, paper_stop__compliance_pct=100)])
    assert share(res, "song-ma:communes") == pytest.approx(0.056495 + 0.943505 * 0.20, abs=1e-6)
    assert share(res, "mai-son:communes") == 0.0
    assert share(res, "so-gtvt") == pytest.approx(334 / 28073, abs=1e-12)


def test_hand_commune_enable():
    # 10% in the 5 districts: their communes hold 12,324 + 4,639 + 6,143 + 2,128 + 42,162 = 67,396 dossiers;
    # province = (40,138 + 6,739.6) / 393,881 = 11.9015%
    res = evaluate_scenarios(C, [still(commune_enable__adoption_pct=10)])
    assert 100 * res.december_share[0, PROV] == pytest.approx(100 * 46877.6 / 393881, abs=1e-9)


def test_hand_ministry_connect():
    # GTVT and KH&ĐT counted at the true share 25%: the *measured* department block =
    # (22,322 − 334 − 0 + 0.25 × 28,073 + 0.25 × 517) / 57,504 = 29,135.5 / 57,504 = 50.667%.
    # The behavioural headline does not move: counting is not behaviour.
    res = evaluate_scenarios(C, [still(ministry_connect__connected_pct=100)])
    assert 100 * res.agg_share_measured[0, -1, DEPT] == pytest.approx(100 * 29135.5 / 57504, abs=1e-9)
    assert 100 * res.december_share[0, DEPT] == pytest.approx(100 * 22322 / 57504, abs=1e-9)


def test_hand_catalogue():
    # services KPI: 67.37% + (100 − 67.37%) × 100% built × 0.4 = 80.422%;
    # dossiers: GTVT odds 0.0120408 × e^0.1 = 0.0133072 -> 0.0131325
    res = evaluate_scenarios(C, [still(catalogue__built_pct=100)])
    assert 100 * res.services_kpi[0, -1] == pytest.approx(80.422, abs=1e-9)
    assert share(res, "so-gtvt") == pytest.approx(0.0131325, abs=1e-6)


# ------------------------------------------------------------------ uncertainty and sensitivity


def test_monte_carlo_is_reproducible_and_ordered():
    rec = builtin("recommendations")
    a, b = monte_carlo(C, rec, draws=500), monte_carlo(C, rec, draws=500)
    assert np.array_equal(a.monthly, b.monthly)
    assert np.all(a.monthly[0] <= a.monthly[1] + 1e-12) and np.all(a.monthly[1] <= a.monthly[2] + 1e-12)
    central = 100 * evaluate_scenarios(C, [rec]).december_share[0, PROV]
    assert 100 * a.december[0, PROV] < central < 100 * a.december[2, PROV]


def test_monte_carlo_stays_in_float32_end_to_end():
    """A float64 month array once promoted every (draws × months × segments) pass of the
    "float32" Monte Carlo to float64, doubling its cost without anyone noticing."""
    from model.analysis import SEED, draw_batch
    from model.engine import evaluate

    res = evaluate(C, draw_batch(C, builtin("recommendations"), 64, SEED), dtype=np.float32)
    assert res.share.dtype == res.agg_online.dtype == res.agg_volume.dtype == np.float32
    assert np.all((res.share >= 0) & (res.share <= 1))


@pytest.mark.parametrize("draws,tolerance_pts", [(512, 0.3), (1024, 0.25)])
def test_sobol_band_is_close_to_a_much_larger_one(draws, tolerance_pts):
    """The band on the Scenario page (512 Sobol points) and in exports (1,024) against 32,768 points:
    the P10 and P90 of every block in December and over the plan year."""
    rec = builtin("recommendations")
    mixed = rec.copy()
    mixed.settings.update({"fee_cut.cut_pct": 100.0, "paper_stop.commune_pct": 30.0, "guidance.staff_help_pct": 40.0})
    for s in (builtin("status_quo"), rec, mixed):
        small, large = monte_carlo(C, s, draws=draws), monte_carlo(C, s, draws=32768)
        for got, ref in ((small.december, large.december), (small.annual, large.annual)):
            assert np.nanmax(np.abs(100 * (got[[0, 2]] - ref[[0, 2]]))) <= tolerance_pts, s.name


def test_sensitivity_ranks_largest_swing_first():
    rec = builtin("recommendations")
    ranking = sensitivity(C, rec)
    assert list(ranking.swing_pts) == sorted(ranking.swing_pts, reverse=True)
    assert ranking.swing_pts.iloc[0] > 0.5
    assert set(ranking.id) >= {e.id for e in EFFECTS}


def test_grid_matches_single_runs():
    rec = builtin("recommendations")
    xs, ys = [0, 50, 100], [0, 20]
    g = grid(C, rec, "fee_cut.cut_pct", xs, "paper_stop.commune_pct", ys)
    single = rec.with_settings(fee_cut__cut_pct=50, paper_stop__commune_pct=20)
    assert g[1, 1] == pytest.approx(100 * evaluate_scenarios(C, [single]).december_share[0, PROV])
    assert np.all(np.diff(g, axis=1) >= 0) and np.all(np.diff(g, axis=0) >= 0)


# ------------------------------------------------------------------ scenarios as data


def test_shipped_scenarios_load_and_round_trip():
    shipped = builtin_scenarios()
    assert [s.name for s in shipped] == [
        "Hiện trạng có đà tăng giả định (Status quo, assumed momentum)",
        "Giữ nguyên mức 2022 (Flat: no momentum, no new measure)",
        "Khuyến nghị của báo cáo (The report's recommendations)",
    ]
    for path in sorted((ROOT / "data" / "scenarios").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        s = load_scenario_file(path)
        assert s.to_json() == text
        assert Scenario.from_json(s.to_json()) == s
    assert set(shipped[2].active_levers()) == {lv.id for lv in LEVERS}
    assert shipped[0].active_levers() == shipped[1].active_levers() == []
    # the status quo is named for what it is: it rises; the flat variant does not
    res = evaluate_scenarios(C, shipped[:2])
    assert res.december_share[0, PROV] > 40138 / 393881 + 0.005
    assert 100 * res.december_share[1, PROV] == pytest.approx(100 * 40138 / 393881, abs=1e-9)


@pytest.mark.parametrize(
    "patch,expected",
    [
        ({"schema_version": 9}, "schema_version: phiên bản 9 không được hỗ trợ (cần 1)"),
        ({"name": ""}, "name: thiếu tên kịch bản"),
        ({"levers": {"fee_cut": {"cut_pct": 150}}}, "levers.fee_cut.cut_pct: 150 ngoài khoảng cho phép 0–100"),
        ({"levers": {"fee_cut": {"cut_pct": "nhiều"}}}, "levers.fee_cut.cut_pct: 'nhiều' không phải là số"),
        ({"levers": {"tax_cut": {}}}, "levers.tax_cut: biện pháp không tồn tại"),
        (
            {"assumptions": {"start_point": "2021"}},
            "assumptions.start_point: phải là một trong annual_2022, december_run_rate, series_estimate, latest",
        ),
        ({"effects": {"fee_cut.logodds_full_cut": -1}}, "effects.fee_cut.logodds_full_cut: -1 phải là số không âm"),
        ({"plan_year": 1999}, "plan_year: năm kế hoạch phải là số nguyên từ 2000 đến 2100"),
    ],
)
def test_bad_scenario_is_rejected_whole_with_a_clear_message(patch, expected):
    data = builtin("recommendations").to_dict()
    data.update(patch)
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict(data)
    assert expected in err.value.messages_vi


def test_invalid_json_text():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_json("{ not json", source="x.json")
    assert err.value.messages_vi[0].startswith("x.json: dòng 1: JSON không hợp lệ")


def test_cli_run_prints_province_and_blocks():
    data = json.loads(model_cli("run", "data/scenarios/03_report_recommendations.json", "--json", "--draws", "300"))
    assert data["schema_version"] == 1 and data["measurement_units"]
    prov = data["blocks"]["province"]
    assert set(prov) >= {"annual_pct", "december_pct", "p10_pct", "p90_pct", "target_pct", "gap_pts"}
    assert prov["p10_pct"] <= prov["december_pct"] <= prov["p90_pct"]
    assert data["blocks"]["department"]["december_pct"] > prov["december_pct"] > 10.19
    total = sum(
        c["points_pts"]
        for c in data["contributions"]
        if c["block"] == "province" and c["period"] == "december" and c["kind"] != "measurement"
    )
    sq = json.loads(model_cli("run", "data/scenarios/01_status_quo_momentum.json", "--json", "--draws", "100"))
    assert total == pytest.approx(prov["december_pct"] - sq["blocks"]["province"]["december_pct"], abs=0.01)
    assert data["summary_vi"].startswith("Kịch bản bật: ")


def test_projection_is_one_typed_answer_with_a_tidy_frame():
    import model

    proj = model.project(load_report(), builtin("recommendations"), draws=64)
    assert isinstance(proj, model.Projection)
    prov = proj.block("province")
    assert prov.p10 <= prov.p50 <= prov.p90 and prov.target == pytest.approx(proj.target("province"))
    assert prov.gap == pytest.approx(prov.december - prov.target)
    assert prov.december_measured >= prov.december
    df = proj.to_frame()
    assert set(df.columns) == {"scenario", "plan_year", "level", "id", "name_vi", "name_en", "month", "measure", "value"}
    dec = df[(df.level == "block") & (df.id == "province") & (df.month == 12) & (df.measure == "share_pct")]
    assert dec.value.iloc[0] == pytest.approx(prov.december)
    assert len(df[df.level == "unit"]) == 12 * C.n_seg
    # the contributions add up from the flat start to the behavioural headline
    part = proj.contributions.query("period == 'december' and block == 'province' and kind != 'measurement'")
    assert prov.flat_december + (prov.status_quo_december - prov.flat_december) + part.points.sum() == pytest.approx(
        prov.december, abs=0.01
    )


def test_post_2025_structure_runs_through_the_model():
    c = compile_report(load_report(FIXTURES / "report_2025_communes"))
    assert c.p_run_rate is None and c.peer_commune_pct is None
    rec = builtin("recommendations")
    rec.start_point = "december_run_rate"  # unavailable: falls back to the reported shares
    flat = still()
    flat.plan_year = rec.plan_year = c.first_plan_year  # the data runs to 09/2025
    res = evaluate_scenarios(c, [flat, rec])
    # no district level: no district block and no district offices, anywhere
    assert c.blocks == ("province", "department", "communes")
    assert res.december_share.shape[1] == 3
    prov = block_index(c, "province")
    assert res.december_share[1, prov] > res.december_share[0, prov]
    assert np.all((res.share >= 0) & (res.share <= 1))


def test_post_2025_province_target_is_the_volume_weighted_target_of_the_blocks_that_exist():
    """Hand arithmetic on the fixture's own CSV: Decision 1434 gives departments 80% and the commune
    level 50%; the province target is their dossier-weighted mean (the old code weighted in an empty
    district block and fell back to a wrong figure)."""
    import csv

    import model

    rows = list(csv.DictReader(open(FIXTURES / "report_2025_communes" / "units.csv", encoding="utf-8")))
    dep = sum(int(r["dossiers"]) for r in rows if r["kind"] == "department" and r["dossiers"])
    com = sum(int(r["dossiers"]) for r in rows if r["kind"] == "commune" and r["dossiers"])
    expected = (80 * dep + 50 * com) / (dep + com)
    c = compile_report(load_report(FIXTURES / "report_2025_communes"))
    s = builtin("status_quo")
    s.plan_year = c.first_plan_year
    proj = model.project(c, s, draws=16)
    assert proj.blocks == ("province", "department", "communes")
    assert proj.target("province") == pytest.approx(expected, abs=1e-9)
    assert proj.block("province").gap == pytest.approx(proj.block("province").december - expected)


def test_momentum_runs_from_the_report_month_and_a_past_plan_year_is_refused():
    """Hand arithmetic: from the 12/2022 report, plan year Y+2's December carries 12 more months of
    momentum than Y+1's: for a unit at share p, logistic(logit(p) + m·(24/12)) vs logistic(logit(p) + m·(12/12)),
    where m is the momentum in log-odds a year. A plan year the data has passed is refused."""
    from scipy.special import expit, logit

    from model.scenario import PlanYearError

    s = builtin("status_quo")
    m = s.assumptions["momentum_logodds_per_year"]
    dep = C.seg.index[C.seg.seg_id == "so-tu-phap"][0]
    p = C.p_annual[dep]
    for years_after in (1, 2, 3):
        s.plan_year = 2022 + years_after
        res = evaluate_scenarios(C, [s])
        assert 100 * res.share[0, -1, dep] == pytest.approx(100 * expit(logit(p) + m * (12 * (years_after - 1) + 12) / 12))
    s.plan_year = 2022
    with pytest.raises(PlanYearError) as err:
        evaluate_scenarios(C, [s])
    assert "2023" in err.value.messages("vi")[0] and "12/2022" in err.value.messages("en")[0]
