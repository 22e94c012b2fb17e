"""Effects learned from the province's own months: the register of measures is read strictly, and the
estimate per lever is right where it can be checked (by hand, and over replications of panels with a
known effect), refuses where it must, and says why in both languages."""

from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from model.cli import main
from model.effects import EffectEstimate, EffectsError, EstimatedEffect, estimate_effects
from model.levers import LEVER_BY_ID, PARAM_BY_ID
from model.limits import MIN_TREATED_UNITS
from model.register import (
    REGISTER_SHEET,
    Measure,
    MeasureRegister,
    RegisterError,
    intensity_term,
    register_from_csv,
    register_from_xlsx,
)
from model.series import ReportSeries, month_index, period_of
from tests.effects_support import long_csv, measured_series

UNITS = {f"u{u:03d}" for u in range(40)}
WITH_INTENSITY = [lever.id for lever in LEVER_BY_ID.values() if intensity_term(lever) is not None]
WITHOUT_INTENSITY = [lever.id for lever in LEVER_BY_ID.values() if intensity_term(lever) is None]


# ---------------------------------------------------------------- the register


measures_strategy = st.lists(
    st.tuples(
        st.sampled_from(sorted(UNITS)),
        st.sampled_from(list(LEVER_BY_ID)),
        st.integers(month_index("2020-01"), month_index("2030-12")),
        st.integers(1, 50),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda m: (m[0], m[1]),
)


def _measure(unit: str, lever_id: str, month: int, raw: int) -> Measure:
    term = intensity_term(LEVER_BY_ID[lever_id])
    return Measure(unit, lever_id, period_of(month), None if term is None else float(raw))


@settings(max_examples=40, deadline=None)
@given(measures_strategy)
def test_a_register_round_trips_through_its_csv_text(rows):
    register = MeasureRegister(tuple(_measure(*r) for r in rows))
    text = register.to_csv()
    assert MeasureRegister.from_csv(text, units=UNITS) == register
    assert register_from_csv(("\ufeff" + text.replace(",", ";")).encode(), "r.csv", UNITS) == register


def test_an_intensity_scales_the_dose_by_the_setting_the_effect_is_stated_at():
    # processing time: the effect is stated for halving the time (full_at 50): a 25% cut is half of it
    assert Measure("u000", "processing_time", "2024-01", 25.0).dose == pytest.approx(0.5)
    assert Measure("u000", "fee_cut", "2024-01", 40.0).dose == pytest.approx(0.4)
    assert Measure("u000", "unit_targets", "2024-01").dose == 1.0


def _one_problem(text: str, units=UNITS):
    with pytest.raises(RegisterError) as err:
        register_from_csv(text.encode(), "bien-phap.csv", units)
    return err.value


BAD_ROWS = {
    # case: (row text, column, rule, words the Vietnamese message must carry, and the English)
    "unknown_unit": ("u999,unit_targets,2024-03,", "unit", "unit_known", "không phải mã đơn vị", "is not a unit code"),
    "missing_unit": (",unit_targets,2024-03,", "unit", "unit_known", "thiếu mã đơn vị", "missing"),
    "unknown_measure": ("u001,free_wifi,2024-03,", "measure", "measure_known", "không phải biện pháp", "is not a measure"),
    "month_slash": ("u001,unit_targets,03/2024,", "start", "month_format", "NNNN-TT", "YYYY-MM"),
    "month_13": ("u001,unit_targets,2024-13,", "start", "month_format", "NNNN-TT", "YYYY-MM"),
    "intensity_missing": ("u001,fee_cut,2024-03,", "intensity", "intensity_required", "cần cường độ", "needs its intensity"),
    "intensity_forbidden": (
        "u001,unit_targets,2024-03,40",
        "intensity",
        "intensity_allowed",
        "để trống",
        "leave this cell blank",
    ),
    "intensity_over": ("u001,fee_cut,2024-03,150", "intensity", "intensity_range", "không quá 100", "at most 100"),
    "intensity_zero": ("u001,fee_cut,2024-03,0", "intensity", "intensity_range", "trên 0", "above 0"),
    "intensity_text": ("u001,fee_cut,2024-03,nhiều", "intensity", "intensity_range", "phải là một số", "must be a number"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_every_broken_rule_names_file_row_column_and_rule_in_both_languages(case):
    row, column, rule, vi_words, en_words = BAD_ROWS[case]
    err = _one_problem(f"unit,measure,start,intensity\nu000,unit_targets,2024-01,\n{row}\n")
    assert len(err.problems) == 1
    problem = err.problems[0]
    assert (problem.file, problem.row, problem.column, problem.rule) == ("bien-phap.csv", 3, column, rule)
    (vi,), (en,) = err.messages("vi"), err.messages("en")
    assert vi.startswith('bien-phap.csv, dòng 3, cột "') and f"[quy tắc: {rule}]" in vi and vi_words in vi
    assert en.startswith('bien-phap.csv, row 3, column "') and f"[rule: {rule}]" in en and en_words in en


def test_a_unit_starts_a_measure_once_and_every_problem_is_listed():
    err = _one_problem(
        "unit,measure,start,intensity\n"
        "u001,unit_targets,2024-01,\n"
        "u002,fee_cut,2024-02,\n"
        "u001,unit_targets,2024-06,\n"
        "u003,guidance,2024-05,60\n"
    )
    assert [(p.row, p.rule) for p in err.problems] == [(3, "intensity_required"), (4, "one_start")]
    assert "dòng 2" in err.messages("vi")[1] and "row 2" in err.messages("en")[1]


@pytest.mark.parametrize(
    "text, rule",
    [
        ("", "empty"),
        ("unit,measure\nu001,fee_cut\n", "register_columns"),
        ("unit,measure,start,intensity\n", "empty"),
        ('unit,measure,start\n"u001,fee_cut,2024-01\n', "csv_quote"),
    ],
)
def test_a_file_that_is_not_a_register_is_refused_with_its_rule(text, rule):
    assert [p.rule for p in _one_problem(text).problems] == [rule]


def test_vietnamese_headers_and_a_percent_sign_are_read():
    register = register_from_csv("Đơn vị;Biện pháp;Tháng bắt đầu;Cường độ\nu001;fee_cut;2024-03;50,5%\n".encode(), "r.csv", UNITS)
    assert register.measures == (Measure("u001", "fee_cut", "2024-03", 50.5),)


def _workbook(sheet: str, rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    other = wb.create_sheet(sheet)
    for r in rows:
        other.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_register_sheet_of_a_workbook_is_read_with_the_same_rules():
    rows = [["unit", "measure", "start", "intensity"], ["u001", "fee_cut", "2024-03", 40], ["u002", "guidance", "2024-13", 30]]
    with pytest.raises(RegisterError) as err:
        register_from_xlsx(_workbook(REGISTER_SHEET, rows), "mau.xlsx", UNITS)
    assert [(p.file, p.row, p.column, p.rule) for p in err.value.problems] == [
        (f"mau.xlsx ({REGISTER_SHEET})", 3, "start", "month_format")
    ]
    rows[2][2] = "2024-12"
    register = register_from_xlsx(_workbook(REGISTER_SHEET, rows), "mau.xlsx", UNITS)
    assert register.measures == (Measure("u001", "fee_cut", "2024-03", 40.0), Measure("u002", "guidance", "2024-12", 30.0))
    with pytest.raises(RegisterError) as err:
        register_from_xlsx(_workbook("Sheet2", rows), "mau.xlsx", UNITS)
    assert "Biện pháp" in err.value.messages("vi")[0] and "no sheet" in err.value.messages("en")[0]


# ---------------------------------------------------------------- a hand-checked case


def _series(counts: dict[str, list[int]], dossiers: int, first: str = "2024-01") -> ReportSeries:
    start = month_index(first)
    obs = pd.DataFrame(
        [
            {"seg_id": u, "first": start + m, "last": start + m, "dossiers": dossiers, "online": y}
            for u, ys in counts.items()
            for m, y in enumerate(ys)
        ]
    )
    segments = pd.DataFrame({"seg_id": list(counts), "name_vi": list(counts), "name_en": list(counts), "kind": "commune"})
    segments["district_id"] = None
    return ReportSeries("communes", segments, obs, "thử", "test", synthetic=True)


def test_two_treated_and_three_control_units_give_the_plain_difference_in_differences():
    """Two units start a measure in month 9 of 12, three never do. Every unit's 12 monthly counts are a
    reordering of the same 12 numbers with the same dossiers, so every unit-month weighs the same, and
    the estimate must be the plain 2×2 difference in differences of the months' log-odds:
    (treated after − treated before) − (controls after − controls before)."""
    values = [130, 142, 150, 155, 161, 170, 176, 184, 231, 240, 252, 266]  # online, of 400 dossiers a month
    order = {  # treated: 8 of the smaller values before the start, the 4 larger after; controls: any order
        "a": [0, 6, 1, 7, 5, 4, 2, 3, 10, 9, 11, 8],
        "b": [3, 6, 4, 0, 5, 2, 7, 1, 9, 8, 10, 11],
        "c": [4, 3, 1, 6, 10, 5, 11, 9, 8, 7, 0, 2],
        "d": [4, 8, 9, 6, 1, 11, 3, 7, 10, 5, 2, 0],
        "e": [11, 5, 6, 10, 9, 1, 2, 7, 0, 4, 8, 3],
    }
    counts = {u: [values[i] for i in idx] for u, idx in order.items()}
    register = MeasureRegister((Measure("a", "unit_targets", "2024-09"), Measure("b", "unit_targets", "2024-09")))
    result = estimate_effects(_series(counts, 400), register, min_treated_units=2)
    est = result.estimates["unit_targets"]

    logodds = lambda y: math.log((y + 0.5) / (400 - y + 0.5))  # noqa: E731
    mean = lambda units, months: sum(logodds(counts[u][m]) for u in units for m in months) / (len(units) * len(months))  # noqa: E731
    before, after = range(8), range(8, 12)
    by_hand = (mean("ab", after) - mean("ab", before)) - (mean("cde", after) - mean("cde", before))

    assert est.status == "estimated", est.reason("en")
    assert est.estimate == pytest.approx(by_hand, abs=1e-9)
    assert (est.n_treated_units, est.n_treated_unit_months) == (2, 8)
    assert est.ci80[0] < est.estimate < est.ci80[1] and est.ci95[0] < est.ci80[0] and est.ci80[1] < est.ci95[1]
    assert list(est.curve.event_time) == [-5.5, -3.5, -1.5, 0, 1, 2, 3]


def test_too_few_treated_units_is_refused_saying_how_many_there_are_and_how_many_are_needed():
    series, register = measured_series({"unit_targets": 0.4}, n_units=20, seed=3)
    kept = MeasureRegister(register.measures[:2])
    est = estimate_effects(series, kept).estimates["unit_targets"]
    assert est.status == "too_few_units" and est.estimate is None and est.ci80 is None
    assert "chỉ 2 đơn vị" in est.reason("vi") and f"ít nhất {MIN_TREATED_UNITS}" in est.reason("vi")
    assert "only 2 unit(s)" in est.reason("en") and f"at least {MIN_TREATED_UNITS}" in est.reason("en")


# ---------------------------------------------------------------- replications with a known truth

REPS = 40
TRUE = {"fee_cut": 0.5, "guidance": 0.0}  # guidance: no effect at all


@pytest.fixture(scope="module")
def replications() -> list[dict[str, EffectEstimate]]:
    """40 panels of 40 units × 24 months with over-dispersion (AR(1) months), seasonality with a Tết
    dip, small unit trends and staggered starts (some after the panel's end)."""
    return [estimate_effects(*measured_series(TRUE, seed=100 + rep)).estimates for rep in range(REPS)]


def test_the_80_percent_interval_covers_the_true_effect_70_to_90_percent_of_the_time(replications):
    covered = [e.ci80[0] <= TRUE[lever] <= e.ci80[1] for rep in replications for lever, e in rep.items() if e.ci80 is not None]
    assert len(covered) >= 0.8 * 2 * REPS  # refusals (a pre-trend test failing by chance) stay rare
    assert 0.70 <= np.mean(covered) <= 0.90


def test_with_no_effect_an_effect_is_reported_at_most_one_time_in_five(replications):
    null = [rep["guidance"] for rep in replications if rep["guidance"].estimated]
    assert len(null) >= 0.8 * REPS
    assert np.mean([e.reported(0.80) for e in null]) <= 0.20


def test_a_real_effect_is_found_and_the_refusals_under_parallel_trends_are_rare(replications):
    fee = [rep["fee_cut"] for rep in replications if rep["fee_cut"].estimated]
    assert np.mean([e.reported(0.80) for e in fee]) >= 0.9
    assert np.mean([e.estimate for e in fee]) == pytest.approx(TRUE["fee_cut"], abs=0.1)
    refused = sum(e.status == "pretrend_failed" for rep in replications for e in rep.values())
    assert refused <= 0.15 * 2 * REPS


def test_with_parallel_trends_broken_the_pre_trend_test_flags_it():
    """The units that take the measure drift up by 1 log-odds a year relative to the others, before
    and after their start: the difference after the start is not the measure's."""
    flagged = []
    for rep in range(20):
        est = estimate_effects(*measured_series({"unit_targets": 0.0}, seed=500 + rep, pretrend_per_year=1.0))
        e = est.estimates["unit_targets"]
        flagged.append(e.status == "pretrend_failed")
        if e.status == "pretrend_failed":
            assert e.estimate is None and not e.curve.empty and e.pretrend_p < 0.05
            assert "xu hướng trước" in e.reason("vi") and "pre-trend test" in e.reason("en")
    assert np.mean(flagged) >= 0.9


# ---------------------------------------------------------------- the command line


def _cli(*args: str) -> tuple[int, str, str]:
    """The command line run in this process (pyfixest is imported once for all these tests)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory):
    from model.baseline import load_report
    from model.series import _segments_of

    codes = list(_segments_of(load_report()).seg_id)
    series, register = measured_series({"unit_targets": 0.5}, unit_codes=codes, seed=11)
    folder = tmp_path_factory.mktemp("effects")
    (folder / "chuoi.csv").write_bytes(long_csv(series))
    (folder / "bien-phap.csv").write_text(register.to_csv(), encoding="utf-8")
    return folder


def test_the_command_line_prints_each_estimate_and_its_json(cli_files):
    args = ["effects", "--series", str(cli_files / "chuoi.csv"), "--measures", str(cli_files / "bien-phap.csv")]
    code, text, err = _cli(*args)
    assert code == 0, err
    assert "Giao chỉ tiêu" in text and "80%: [" in text and "xu hướng trước" in text
    code, out, err = _cli("--lang", "en", *args, "--json")
    payload = json.loads(out)
    lever = payload["levers"]["unit_targets"]
    assert payload["units"] == 41 and payload["min_treated_units"] == MIN_TREATED_UNITS
    assert lever["status"] in ("estimated", "pretrend_failed")
    if lever["status"] == "estimated":
        assert lever["ci95"][0] < lever["ci80"][0] < lever["estimate_logodds"] < lever["ci80"][1] < lever["ci95"][1]
    assert lever["treated_units"] >= MIN_TREATED_UNITS and [p["bin"] for p in lever["event_time"]][:3] == [
        "-6…-5",
        "-4…-3",
        "-2…-1",
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_broken_register_on_the_command_line_is_its_messages_and_exit_code_2(cli_files, lang, tmp_path):
    bad = tmp_path / "sai.csv"
    bad.write_text("unit,measure,start\nkhong-co,unit_targets,2024-01\n", encoding="utf-8")
    code, _, err = _cli("--lang", lang, "effects", "--series", str(cli_files / "chuoi.csv"), "--measures", str(bad))
    assert code == 2
    assert err.strip() == (
        'sai.csv, dòng 2, cột "unit": “khong-co” không phải mã đơn vị của bộ số liệu [quy tắc: unit_known]'
        if lang == "vi"
        else 'sai.csv, row 2, column "unit": “khong-co” is not a unit code of the data [rule: unit_known]'
    )
    code, _, err = _cli("--lang", lang, "effects", "--measures", str(bad))
    assert code == 2 and "--series" in err and len(err.strip().splitlines()) == 1


def test_a_register_kept_with_a_dataset_is_what_effects_data_id_estimates_from(cli_files, tmp_path, monkeypatch):
    """`data attach` keeps the register with the dataset; `effects --data-id` then needs no file and
    prints what the files themselves give. A file that fails its checks keeps nothing (both or neither)."""
    monkeypatch.setenv("SONLA_DVCTT_DB", str(tmp_path / "thu-vien.sqlite3"))
    code, out, err = _cli("data", "import", str(cli_files / "chuoi.csv"), "--label", "Chuỗi thử", "--json")
    assert code == 0, err
    dataset_id = json.loads(out)["dataset"]["id"]
    code, _, err = _cli("--data-id", dataset_id, "effects")
    assert code == 2 and "data attach --measures" in err and len(err.strip().splitlines()) == 1
    bad = tmp_path / "chi-so-sai.csv"
    bad.write_text("unit_id,month,procedures_in_scope\nkhong-co,2024-01,3\n", encoding="utf-8")
    code, _, err = _cli(
        "--data-id", dataset_id, "data", "attach", "--measures", str(cli_files / "bien-phap.csv"), "--indicators", str(bad)
    )
    assert code == 2 and "chi-so-sai.csv" in err
    code, _, err = _cli("--data-id", dataset_id, "effects")
    assert code == 2, "a refused indicators file must not let the register through"
    code, out, err = _cli("--data-id", dataset_id, "data", "attach", "--measures", str(cli_files / "bien-phap.csv"))
    assert code == 0 and "bien-phap.csv" in out, err
    code, kept, err = _cli("--data-id", dataset_id, "effects", "--json")
    assert code == 0, err
    _, given, _ = _cli(
        "effects", "--series", str(cli_files / "chuoi.csv"), "--measures", str(cli_files / "bien-phap.csv"), "--json"
    )
    assert json.loads(kept)["levers"] == json.loads(given)["levers"]


def test_every_lever_with_an_intensity_states_its_range(tmp_path):
    """The intensity rule's message quotes the lever's own setting range, for every lever that has one."""
    for lever_id in WITH_INTENSITY:
        param = PARAM_BY_ID[LEVER_BY_ID[lever_id].main_param]
        err = _one_problem(f"unit,measure,start,intensity\nu001,{lever_id},2024-01,{param.max + 1:g}\n")
        assert f"không quá {param.max:g}" in err.messages("vi")[0] and f"at most {param.max:g}" in err.messages("en")[0]
    for lever_id in WITHOUT_INTENSITY:
        assert (
            register_from_csv(f"unit,measure,start\nu001,{lever_id},2024-01\n".encode(), "r.csv", UNITS).measures[0].dose == 1.0
        )


def test_an_estimate_becomes_the_effect_only_where_the_lever_s_effect_is_a_log_odds_shift(replications):
    from model.effects import estimated_effect

    fee, guidance = replications[0]["fee_cut"], replications[0]["guidance"]
    assert fee.estimated and fee.ci80 is not None
    effect = estimated_effect(fee, "bo-so-lieu-7")
    assert effect is not None and effect.effect_id == "fee_cut.logodds_full_cut"
    assert (effect.low, effect.central, effect.high) == pytest.approx((max(fee.ci80[0], 0), fee.estimate, fee.ci80[1]), abs=5e-5)
    assert (
        effect.label("vi") == "ước lượng từ bộ số liệu bo-so-lieu-7"
        and effect.label("en") == "estimated from dataset bo-so-lieu-7"
    )
    assert EstimatedEffect.from_dict(json.loads(json.dumps(effect.to_dict()))) == effect
    assert guidance.effect_id == "guidance.logodds_staff_help"  # guidance's intensity is its staff-help setting
    series, register = measured_series({"unit_targets": 0.4}, n_units=30, seed=4)
    targets = estimate_effects(series, register).estimates["unit_targets"]
    assert targets.effect_id is None and estimated_effect(targets, "x") is None  # a gap closed is not a log-odds shift
    refused = EffectEstimate("fee_cut", "too_few_units", 2, 10, effect_id="fee_cut.logodds_full_cut")
    assert estimated_effect(refused, "x") is None


# ---------------------------------------------------------------- the Assumptions page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_assumptions_page_shows_each_estimate_beside_its_assumption_and_uses_it(lang):
    from streamlit.testing.v1 import AppTest

    from model.baseline import load_report
    from model.series import _segments_of
    from tests.conftest import ROOT, shown_tables
    from tests.series_support import keep_series_dataset, long_csv_of
    from ui.keys import Key

    codes = list(_segments_of(load_report()).seg_id)
    series, register = measured_series({"fee_cut": 0.8, "unit_targets": 0.3}, unit_codes=codes, seed=21)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[Key.LANG] = lang
    at.session_state[Key.DATASET] = keep_series_dataset(long_csv_of(series), load_report())
    at.session_state[Key.REGISTER] = register.to_csv()
    at.session_state[Key.ASSUMPTIONS_VIEW] = "effects"
    at.run()
    at.switch_page("app_pages/assumptions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    cells = [" | ".join(map(str, row)) for t in shown_tables(at) for row in t.astype(str).to_numpy().tolist()]
    fee_row = next(r for r in cells if r.startswith("Giảm phí" if lang == "vi" else "Cut fees"))
    fee = estimate_effects(series, register).estimates["fee_cut"]
    assert fee.estimated and fee.estimate is not None and fee.ci80 is not None
    assumed, estimated = fee_row.split(" | ")[1:3]
    assert assumed == ("1 (0,5 – 2)" if lang == "vi" else "1 (0.5 – 2)")  # the assumption, beside …
    n = lambda x: fmt_number(x, lang)  # noqa: E731
    assert estimated == f"{n(fee.estimate)} ({n(fee.ci80[0])} – {n(fee.ci80[1])})"  # … the estimate from the data
    use = next(b for b in at.button if b.label.startswith("Dùng ước lượng này" if lang == "vi" else "Use this estimate"))
    use.click().run()
    assert not at.exception, [e.value for e in at.exception]
    used = at.session_state[Key.ESTIMATED_EFFECTS]["fee_cut.logodds_full_cut"]
    assert used.central == pytest.approx(fee.estimate, abs=5e-5) and used.dataset_id
    # the estimate as it is (four decimals), its 80% range kept with it in the scenario
    assert at.session_state[Key.effect("fee_cut.logodds_full_cut")] == pytest.approx(fee.estimate, abs=5e-5)
    scenario = json.loads(at.session_state[Key.CURRENT_JSON])
    assert scenario["effects"]["fee_cut.logodds_full_cut"] == pytest.approx(fee.estimate, abs=5e-5)
    [kept] = scenario["estimated_effects"]
    assert (kept["low"], kept["high"]) == pytest.approx((max(fee.ci80[0], 0), fee.ci80[1]), abs=5e-5)


def effects_view_with_a_kept_register(file_name: str | None, editor_open: bool = False, presenting: bool = False):
    """The effects view on a generated series kept as a dataset (fee cut, seed 21), with its register kept
    under `file_name` (None: no register kept). Returns (the app after its run, series, register, dataset id)."""
    from streamlit.testing.v1 import AppTest

    from model.baseline import load_report
    from model.series import _segments_of
    from model.store import ScenarioStore
    from tests.conftest import ROOT
    from tests.series_support import keep_series_dataset, long_csv_of
    from ui.keys import Key

    codes = list(_segments_of(load_report()).seg_id)
    series, register = measured_series({"fee_cut": 0.8}, unit_codes=codes, seed=21)
    dataset_id = keep_series_dataset(long_csv_of(series), load_report())
    if file_name is not None:
        ScenarioStore().save_dataset_file(dataset_id, "measures", file_name, register.to_csv())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[Key.DATASET] = dataset_id
    at.session_state[Key.ASSUMPTIONS_VIEW] = "effects"
    at.session_state[Key.REGISTER_EDITOR_OPEN] = editor_open
    if presenting:
        at.query_params["presentation"] = "true"
    at.run()
    at.switch_page("app_pages/assumptions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at, series, register, dataset_id


def test_a_register_kept_with_the_dataset_is_used_by_a_new_session():
    """A reload or a new tab: the register uploaded for this dataset is found in the library, and the
    page says it is kept with the dataset."""
    from tests.conftest import shown_tables

    at, series, register, _ = effects_view_with_a_kept_register("bien-phap-2025.csv")
    assert any("“bien-phap-2025.csv” được lưu cùng bộ số liệu" in c.value for c in at.caption)
    cells = [" | ".join(map(str, row)) for t in shown_tables(at) for row in t.astype(str).to_numpy().tolist()]
    assert any(r.startswith("Giảm phí") for r in cells)
    # the register's measures are level shifts in the status quo's calibration, and the page says in how many units
    from model.calibration import calibrate

    stepped = sum(kind == "register" for kind in calibrate(series, register=register.steps()).step_kind)
    assert stepped > 0
    assert any(f"bước tăng mức tại tháng bắt đầu ở {stepped} đơn vị" in c.value for c in at.caption)


def fmt_number(x: float, lang: str) -> str:
    from model import fmt

    return fmt.number(x, lang)


@pytest.mark.browser
def test_the_effects_view_in_chromium_in_presentation_mode(browser, tmp_path):
    """The user's path: upload a monthly series and a register of measures, read the estimates beside
    the assumptions in presentation mode, and use one; screenshots in artifacts/."""
    from model.baseline import load_report
    from model.series import _segments_of
    from tests.browser_support import ROOT, open_app_page, streamlit_server, wait_idle

    codes = list(_segments_of(load_report()).seg_id)
    series, register = measured_series({"fee_cut": 0.8, "unit_targets": 0.3}, unit_codes=codes, seed=21)
    (tmp_path / "chuoi-mo-phong.csv").write_bytes(long_csv(series))
    (tmp_path / "bien-phap.csv").write_text(register.to_csv(), encoding="utf-8")
    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with streamlit_server(ROOT / "app.py") as url:
        ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = ctx.new_page()
        open_app_page(page, url, "gia-dinh")
        page.get_by_text("Bộ số liệu & nhập", exact=True).first.click()
        wait_idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(1).set_input_files(str(tmp_path / "chuoi-mo-phong.csv"))
        wait_idle(page)
        page.get_by_role("button", name="Kiểm tra và dùng chuỗi số liệu này").click()
        wait_idle(page)
        page.get_by_text("Đang dùng số liệu:").first.wait_for(timeout=30000)
        page.get_by_text("Tác động từ số liệu", exact=True).first.click()
        wait_idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(tmp_path / "bien-phap.csv"))
        wait_idle(page)
        page.get_by_text("Giả định: trung tâm (thấp – cao)").first.wait_for(timeout=120_000)
        page.get_by_text("Chế độ trình chiếu").first.click()
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(artifacts / "gia-dinh-tac-dong-pres-1920x1080.png"), full_page=True)
        page.get_by_role("button", name="Dùng ước lượng này — Giảm phí, lệ phí khi nộp trực tuyến").click()
        wait_idle(page)
        page.get_by_text("Đang dùng (ước lượng từ bộ số liệu").first.wait_for()
        page.reload()  # the register was kept with the dataset: a reload estimates again without an upload
        wait_idle(page)
        page.get_by_text("Tác động từ số liệu", exact=True).first.click()  # the page's view is kept for the session only
        wait_idle(page)
        page.get_by_text("Giả định: trung tâm (thấp – cao)").first.wait_for(timeout=120_000)
        page.get_by_text("được lưu cùng bộ số liệu").first.wait_for()
        page.screenshot(path=str(artifacts / "gia-dinh-tac-dong-da-dung-pres-1920x1080.png"), full_page=True)
        page.mouse.move(0, 0)
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        assert page.locator(".js-plotly-plot .xtick").count() > 0  # the event-time curve is drawn
        page.screenshot(path=str(artifacts / "gia-dinh-tac-dong-bieu-do-pres-1920x1080.png"))
        page.get_by_text("English", exact=True).click()
        wait_idle(page)
        page.get_by_text("Assumed: central (low – high)").first.wait_for()
        page.screenshot(path=str(artifacts / "gia-dinh-tac-dong-pres-en-1920x1080.png"), full_page=True)
        ctx.close()


def test_measures_outside_the_months_are_said_not_guessed():
    series, register = measured_series({"unit_targets": 0.4}, n_units=20, seed=5)
    later = MeasureRegister(tuple(Measure(m.unit, m.measure, "2030-01") for m in register.measures))
    with pytest.raises(EffectsError) as err:
        estimate_effects(series, later)
    assert err.value.messages("vi") == ["không còn tháng nào có biện pháp đang áp dụng để so sánh"]
    assert err.value.messages("en") == ["no month under a measure is left to compare"]
    # a unit under the measure from before the first month has nothing to compare with: left out, and said
    earlier = MeasureRegister((Measure("u000", "unit_targets", "2020-01"), *(m for m in register.measures if m.unit != "u000")))
    result = estimate_effects(series, earlier)
    assert result.n_units == 19 and any("u000" in vi and "u000" in en for vi, en in result.notes)


def test_an_estimate_outside_the_assumed_range_is_used_as_estimated_and_every_page_says_so():
    from streamlit.testing.v1 import AppTest

    from model.baseline import load_report
    from model.series import _segments_of
    from tests.conftest import ROOT, shown_tables
    from tests.series_support import keep_series_dataset, long_csv_of
    from ui.keys import Key

    codes = list(_segments_of(load_report()).seg_id)
    series, register = measured_series({"fee_cut": 3.0}, unit_codes=codes, seed=22)
    fee = estimate_effects(series, register).estimates["fee_cut"]
    assert fee.estimated and fee.estimate is not None and fee.estimate > 2.0
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[Key.DATASET] = keep_series_dataset(long_csv_of(series), load_report())
    at.session_state[Key.REGISTER] = register.to_csv()
    at.session_state[Key.ASSUMPTIONS_VIEW] = "effects"
    at.run()
    at.switch_page("app_pages/assumptions.py").run()
    next(b for b in at.button if b.label.startswith("Dùng ước lượng này")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    # the estimate is used as it is, central and 80% range, and the page says it lies outside the assumption
    low, high = fee.ci80
    assert at.session_state[Key.effect("fee_cut.logodds_full_cut")] == pytest.approx(fee.estimate, abs=5e-5)
    note = " ".join(str(c) for t in shown_tables(at) for c in t.to_numpy().ravel())
    assert "Ước lượng nằm ngoài khoảng giả định" in note and "thay cho giả định" in note
    from model.scenario import Scenario

    edited = Scenario.from_json(at.session_state[Key.CURRENT_JSON])
    kept = edited.estimated["fee_cut.logodds_full_cut"]
    assert (kept.low, kept.central, kept.high) == pytest.approx((max(low, 0), fee.estimate, high), abs=5e-5)
    assert edited.effect_range("fee_cut.logodds_full_cut") == pytest.approx((max(low, 0), high), abs=5e-5)
    assert not edited.effects_outside_evidence()  # inside its own (estimated) range
    at.switch_page("app_pages/scenario.py").run()
    assert not at.exception
    assert any("dùng hệ số ước lượng từ số liệu" in i.value for i in at.info)
    # the lever's own help names the estimate where it named the assumption
    helps = [w.help or "" for w in [*at.slider, *at.select_slider]]
    assert any("Tác động của miễn phí hoàn toàn" in h and "ước lượng từ bộ số liệu" in h for h in helps)


# ------------------------------------------------------------------ an estimate in use: scenario, link, band, exports


@st.composite
def estimates_in_use(draw):
    """A scenario using 1–3 estimated effects: any effect of the model, any 0 ≤ low ≤ central ≤ high
    (inside, across or beyond the declared range), a dataset id."""
    from model.levers import EFFECTS, LEVERS
    from model.scenario import Scenario

    ids = draw(st.lists(st.sampled_from([e.id for e in EFFECTS]), min_size=1, max_size=3, unique=True))
    s = Scenario("Kịch bản có ước lượng")
    for eid in ids:
        low, central, high = sorted(draw(st.floats(0, 4, allow_nan=False).map(lambda x: round(x, 4))) for _ in range(3))
        lever = next(lv.id for lv in LEVERS if any(e.id == eid for e in lv.effects))
        s.estimated[eid] = EstimatedEffect(
            eid, lever, central, low, high, draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,19}", fullmatch=True))
        )
        s.effects[eid] = central
    return s


@settings(max_examples=40, deadline=None)
@given(estimates_in_use())
def test_a_scenario_using_estimates_round_trips_through_its_file_and_a_link(s):
    from model.links import scenario_from_query, scenario_to_query
    from model.scenario import Scenario

    again = Scenario.from_json(s.to_json())
    assert again.estimated == s.estimated and again.effects == s.effects and not again.effects_outside_evidence()
    linked, notices = scenario_from_query(scenario_to_query(s), s.name)
    assert notices == []
    assert linked.estimated == s.estimated and linked.effects == s.effects


@settings(max_examples=15, deadline=None)
@given(estimates_in_use())
def test_the_band_draws_an_estimated_effect_on_its_estimated_range_and_every_other_on_its_own(s):
    from model.analysis import default_compiled, draw_batch
    from model.levers import EFFECTS

    batch = draw_batch(default_compiled(), s, draws=64)
    for e in EFFECTS:
        low, high = s.effect_range(e.id)
        drawn = np.asarray(batch.columns[e.id])
        assert drawn.min() >= low - 1e-12 and drawn.max() <= high + 1e-12, e.id
        if e.id in s.estimated and high > low:
            assert drawn.max() > low  # drawn across the range, not fixed at its end


@pytest.mark.parametrize(
    "entry, rule",
    [
        (
            {"effect": "fee_cut.logodds_full_cut", "lever": "fee_cut", "central": 1, "low": 2, "high": 3, "dataset": "d"},
            "0 ≤ low ≤ central ≤ high",
        ),
        (
            {"effect": "fee_cut.logodds_full_cut", "lever": "fee_cut", "central": -1, "low": -2, "high": 0, "dataset": "d"},
            "0 ≤ low",
        ),
        ({"effect": "khong.co", "lever": "fee_cut", "central": 1, "low": 0, "high": 2, "dataset": "d"}, "không tồn tại"),
        (
            {"effect": "fee_cut.logodds_full_cut", "lever": "guidance", "central": 1, "low": 0, "high": 2, "dataset": "d"},
            "không thuộc biện pháp",
        ),
        (
            {"effect": "fee_cut.logodds_full_cut", "lever": "fee_cut", "central": 1, "low": 0, "high": 2, "dataset": ""},
            "mã bộ số liệu",
        ),
        (
            {
                "effect": "fee_cut.logodds_full_cut",
                "lever": "fee_cut",
                "central": 1,
                "low": 0,
                "high": 2,
                "dataset": "https://x.vn/a b",
            },
            "mã bộ số liệu",
        ),
        ({"effect": "fee_cut.logodds_full_cut", "central": 1, "low": 0, "high": 2, "dataset": "d"}, "đúng các trường"),
    ],
)
def test_a_bad_estimate_in_a_scenario_file_is_refused_and_named(entry, rule):
    from model.scenario import Scenario, ScenarioError

    data = json.loads(Scenario("x").to_json())
    data["estimated_effects"] = [entry]
    with pytest.raises(ScenarioError) as err:
        Scenario.from_json(json.dumps(data), "kich-ban.json")
    [message] = err.value.messages("vi")
    assert message.startswith("kich-ban.json: estimated_effects[0]: ") and rule in message


def test_an_estimate_in_use_is_named_by_run_and_in_the_workbook(tmp_path):
    """The command line's JSON and text, the workbook's cover, comparison and assumptions sheets: each
    says which effect comes from which dataset, with the range the band draws on."""
    import openpyxl

    from model.scenario import Scenario
    from tests.conftest import builtin, model_cli

    s = builtin("recommendations")
    s.estimated["fee_cut.logodds_full_cut"] = EstimatedEffect(
        "fee_cut.logodds_full_cut", "fee_cut", 0.7, 0.5, 0.9, "bo-so-lieu-7"
    )
    s.effects["fee_cut.logodds_full_cut"] = 0.7
    path = tmp_path / "kich-ban.json"
    path.write_text(s.to_json(), encoding="utf-8")
    payload = json.loads(model_cli("run", str(path), "--json", "--draws", "16"))
    [used] = payload["estimated_effects"]
    assert (used["effect"], used["low"], used["central"], used["high"], used["dataset"]) == (
        "fee_cut.logodds_full_cut",
        0.5,
        0.7,
        0.9,
        "bo-so-lieu-7",
    )
    assert "ước lượng từ bộ số liệu bo-so-lieu-7" in payload["summary_vi"] and "0,5–0,9" in payload["summary_vi"]
    assert "estimated from dataset bo-so-lieu-7" in model_cli("--lang", "en", "run", str(path), "--draws", "16")
    out = tmp_path / "ke-hoach.xlsx"
    model_cli("export", str(path), "--out", str(out))
    wb = openpyxl.load_workbook(out)
    cells = lambda name: [str(v) for row in wb[name].iter_rows(values_only=True) for v in row if v is not None]  # noqa: E731
    assert any("ước lượng từ bộ số liệu bo-so-lieu-7" in c for c in cells("Bìa"))
    assert "0,5–0,9 (ước lượng từ bộ số liệu bo-so-lieu-7)" in cells("So sánh")
    assert "ước lượng từ bộ số liệu bo-so-lieu-7" in cells("Giả định")
    assert Scenario.from_json(path.read_text(encoding="utf-8")).estimated == s.estimated


# ------------------------------------------------------------------ the register on the report template


@st.composite
def filled_registers(draw):
    """Rows a planner types on the template's sheet "Biện pháp": units of the report, any lever, a
    month, the intensity where the lever has one (within its setting), in any order."""
    from model.baseline import load_report
    from model.levers import LEVERS
    from model.register import intensity_term

    units = list(load_report().units.unit_id)
    chosen = draw(
        st.lists(
            st.tuples(st.sampled_from(units), st.sampled_from(LEVERS)),
            min_size=1,
            max_size=12,
            unique_by=lambda t: (t[0], t[1].id),
        )
    )
    rows = []
    for unit, lever in chosen:
        month = f"{draw(st.integers(2021, 2025))}-{draw(st.integers(1, 12)):02d}"
        intensity = None
        if intensity_term(lever) is not None:
            p = PARAM_BY_ID[lever.main_param]
            intensity = draw(st.integers(int(p.min) + 1, int(p.max)))
        rows.append([unit, lever.id, month, intensity])
    return rows


def _template_with(rows) -> bytes:
    from openpyxl import load_workbook

    from model.baseline import load_report
    from model.importer import template_xlsx

    wb = load_workbook(io.BytesIO(template_xlsx(load_report())))
    for row in rows:
        wb["Biện pháp"].append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@settings(max_examples=8, deadline=None)
@given(filled_registers())
def test_a_register_filled_in_on_the_template_is_kept_with_the_imported_dataset(rows):
    """`data import` of the template with its sheet "Biện pháp" filled in: the register comes back,
    row for row, as the dataset's kept register (what `effects --data-id` and the effects view read)."""
    import tempfile
    from pathlib import Path

    from model.register import MeasureRegister
    from model.store import ScenarioStore

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        mp.setenv("SONLA_DVCTT_DB", str(Path(folder) / "thu-vien.sqlite3"))
        path = Path(folder) / "mau-da-dien.xlsx"
        path.write_bytes(_template_with(rows))
        code, out, err = _cli("data", "import", str(path), "--json")
        assert code == 0, err
        dataset_id = json.loads(out)["dataset"]["id"]
        kept = ScenarioStore().dataset_file(dataset_id, "measures")
        assert kept is not None and kept[0] == "mau-da-dien.xlsx"
        register = MeasureRegister.from_csv(kept[2])
        assert [(m.unit, m.measure, m.start, m.intensity) for m in register.measures] == [
            (u, lv, start, None if i is None else float(i)) for u, lv, start, i in rows
        ]


@pytest.mark.parametrize(
    "row, where",
    [
        (["khong-co", "fee_cut", "2023-01", 50], 'dòng 2, cột "unit"'),
        (["so-y-te", "khong-co", "2023-01", None], 'dòng 2, cột "measure"'),
        (["so-y-te", "unit_targets", "01/2023", None], 'dòng 2, cột "start"'),
        (["so-y-te", "fee_cut", "2023-01", None], 'dòng 2, cột "intensity"'),
    ],
)
def test_a_bad_row_on_the_templates_register_refuses_the_whole_import(row, where, tmp_path, monkeypatch):
    """The counts are fine, one register row is not: nothing is kept, and the message names the file,
    the sheet, the row and the column."""
    from model.store import ScenarioStore

    monkeypatch.setenv("SONLA_DVCTT_DB", str(tmp_path / "thu-vien.sqlite3"))
    path = tmp_path / "mau-da-dien.xlsx"
    path.write_bytes(_template_with([row]))
    code, _, err = _cli("data", "import", str(path))
    assert code == 2
    assert err.startswith("mau-da-dien.xlsx (Biện pháp), " + where)
    assert ScenarioStore().dataset_records() == []


def test_a_past_measure_in_the_register_is_a_step_in_the_status_quo_not_a_trend(cli_files, tmp_path, monkeypatch):
    """With the register kept with the dataset, its measures enter the status quo's calibration as level
    shifts: the treated units' trends no longer carry the measure's effect into the plan year, so the
    status quo's December changes (the command line and the pages read the same kept register)."""
    from model.calibration import calibrate
    from model.register import MeasureRegister
    from model.series import series_from_long_csv

    monkeypatch.setenv("SONLA_DVCTT_DB", str(tmp_path / "thu-vien.sqlite3"))
    code, out, err = _cli("data", "import", str(cli_files / "chuoi.csv"), "--json")
    assert code == 0, err
    dataset_id = json.loads(out)["dataset"]["id"]
    status_quo = "data/scenarios/01_status_quo_momentum.json"
    code, out, err = _cli("--data-id", dataset_id, "run", status_quo, "--plan-year", "2026", "--json", "--draws", "16")
    assert code == 0, err
    before = json.loads(out)
    assert _cli("--data-id", dataset_id, "data", "attach", "--measures", str(cli_files / "bien-phap.csv"))[0] == 0
    after = json.loads(_cli("--data-id", dataset_id, "run", status_quo, "--plan-year", "2026", "--json", "--draws", "16")[1])
    assert after["blocks"]["province"]["december_pct"] != before["blocks"]["province"]["december_pct"]
    # the export of the same dataset prints the backtest's coverage, with the register as the calibration takes it
    import openpyxl

    out = tmp_path / "ke-hoach.xlsx"
    code, _, err = _cli("--data-id", dataset_id, "export", status_quo, "--plan-year", "2026", "--out", str(out))
    assert code == 0, err
    coverage = [r for r in openpyxl.load_workbook(out)["Kiểm định dự báo"].iter_rows(values_only=True)]
    assert coverage[2][0] == "Toàn tỉnh" and coverage[2][1] == 3 and 0 <= coverage[2][2] <= 1

    from model.baseline import load_report

    series = series_from_long_csv((cli_files / "chuoi.csv").read_bytes(), "chuoi.csv", load_report())
    register = MeasureRegister.from_csv((cli_files / "bien-phap.csv").read_text(encoding="utf-8"))
    with_steps, without = calibrate(series, register=register.steps()), calibrate(series)
    treated = [i for i, kind in enumerate(with_steps.step_kind) if kind == "register"]
    assert treated and {with_steps.seg_ids[i] for i in treated} <= {m.unit for m in register.measures}
    # the measure read as a trend without the register: the treated units' mean trend falls once it is a step
    assert np.nanmean(with_steps.trend[treated]) < np.nanmean(without.trend[treated])


def test_a_register_typed_on_the_page_goes_through_the_files_rules_and_is_kept_with_the_dataset():
    """The effects view's editor: rows typed or edited there are checked like a file (a bad month is
    named by row and column, nothing changes), and an accepted register replaces the one in use and is
    kept with the dataset."""
    from model.store import ScenarioStore
    from ui.keys import Key

    at, _, register, dataset_id = effects_view_with_a_kept_register(None, editor_open=True)
    typed = [{"unit": m.unit, "measure": m.measure, "start": m.start, "intensity": m.intensity} for m in register.measures]
    bad = [*typed[:-1], {**typed[-1], "start": "13/2024"}]
    at.session_state[Key.REGISTER_EDITOR] = {"edited_rows": {}, "added_rows": bad, "deleted_rows": []}
    save = next(b for b in at.button if b.label == "Kiểm tra và lưu sổ biện pháp này")
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(f'sổ nhập trên trang, dòng {len(bad) + 1}, cột "start"' in e.value for e in at.error)
    assert ScenarioStore().dataset_file(dataset_id, "measures") is None  # nothing kept
    at.session_state[Key.REGISTER_EDITOR] = {"edited_rows": {}, "added_rows": typed, "deleted_rows": []}
    next(b for b in at.button if b.label == "Kiểm tra và lưu sổ biện pháp này").click().run()
    assert not at.exception, [e.value for e in at.exception]
    kept = ScenarioStore().dataset_file(dataset_id, "measures")
    assert kept is not None and MeasureRegister.from_csv(kept[2]) == register


def test_on_the_projector_the_register_is_a_table_the_back_row_reads_not_a_grid():
    """Presentation mode: the register section shows the measures by name in an HTML table (a data grid's
    canvas is not enlarged) and says where to type; the normal mode has the editor."""
    from tests.conftest import shown_tables

    at, _, register, _ = effects_view_with_a_kept_register("bien-phap.csv", editor_open=True, presenting=True)
    first = shown_tables(at)[0]
    assert list(first.columns)[:2] == ["Đơn vị (mã)", "Biện pháp"] and len(first) == len(register)
    assert set(first["Biện pháp"]) == {"Giảm phí, lệ phí khi nộp trực tuyến"}
    assert any("chế độ thường" in c.value for c in at.caption)
    assert not any(b.label == "Kiểm tra và lưu sổ biện pháp này" for b in at.button)


@pytest.mark.parametrize("value", ["0.5~0.9~https://x.vn", "0.5~0.9~", "0.9~0.5~bo-1", "-1~0.5~bo-1", "a~b~bo-1", "0.5~0.9"])
def test_a_link_with_a_bad_estimate_keeps_the_assumption_and_says_so(value):
    from model.links import scenario_from_query

    s, notices = scenario_from_query({"estimated.fee_cut.logodds_full_cut": value, "fee_cut.logodds_full_cut": "0.7"}, "x")
    assert s.estimated == {} and s.effects["fee_cut.logodds_full_cut"] == 0.7
    assert any("estimated.fee_cut.logodds_full_cut" in vi and "thấp~cao~mã bộ số liệu" in vi for vi, _ in notices)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_estimate_notice_names_the_default_scenario_in_the_page_s_language(lang):
    """A scenario opened from a link gets the default name in Vietnamese before the language is known;
    the notice on every page names it in the language shown (it said “Kịch bản hiện tại” in English)."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(
        {"fee_cut.cut_pct": "50", "fee_cut.logodds_full_cut": "0.7", "estimated.fee_cut.logodds_full_cut": "0.5~0.9~bo-1"}
    )
    at.run()
    if lang == "en":
        at.segmented_control(key="lang").set_value("en").run()
    for page in ("app_pages/scenario.py", "app_pages/compare.py", "app_pages/targets.py"):
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        notices = [i.value for i in at.info if "ước lượng" in i.value or "estimated" in i.value]
        assert notices, page
        wanted, other = ("“Kịch bản hiện tại”", "“Current scenario”")[:: 1 if lang == "vi" else -1]
        assert all(wanted in n and other not in n for n in notices), notices
    # the Tracking page's plan caption names it the same way (it printed the stored Vietnamese name)
    at.switch_page("app_pages/tracking.py").run()
    captions = [c.value for c in at.caption if "Kịch bản “" in c.value or "Scenario “" in c.value]
    assert captions and all(wanted in c and other not in c for c in captions), captions
