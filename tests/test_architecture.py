"""The architecture's promises: deep links work on a fresh server, one target set reaches every
reader, a lever is one declaration, limits have one home, and the lever semantics a planner reads."""

import json
import subprocess
import sys
import textwrap
import tomllib

import numpy as np
import openpyxl
import pytest
from babel.numbers import parse_decimal
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from model import limits
from model.analysis import default_compiled, evaluate_scenarios
from model.levers import EFFECTS
from model.scenario import Scenario, ScenarioError
from tests.browser_support import streamlit_server, wait_idle
from tests.conftest import ROOT, builtin, model_cli

APP = str(ROOT / "app.py")
C = default_compiled()


# ------------------------------------------------------------------ deep links on a fresh server


@pytest.mark.browser
@pytest.mark.parametrize("path", ["kich-ban", "chi-tieu", "so-sanh"])
def test_a_deep_link_on_a_fresh_server_shows_the_page_and_no_dialog(browser, path):
    """The page scripts live in app_pages/, which Streamlit does not auto-discover, so the first
    address typed after a start is the page itself, with no "Page not found" box over it."""
    with streamlit_server(ROOT / "app.py") as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{url}/{path}")
        wait_idle(page)
        page.wait_for_timeout(1500)  # the dialog came a moment after the first render
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator('[role="dialog"]').count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.url.split("?")[0].rstrip("/").endswith(path)
        page.close()


# ------------------------------------------------------------------ one target set reaches every reader


def _kpi(at: AppTest) -> tuple[float, str]:
    metric = next(m for m in at.metric if m.label.startswith("Tháng 12/"))
    return float(parse_decimal(metric.value.rstrip("%"), locale="vi")), metric.delta or ""


def test_a_target_edited_on_the_targets_page_reaches_the_scenario_badge_the_excel_annex_and_the_cli(tmp_path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/scenario.py").run()
    at.segmented_control(key="block").set_value("department").run()
    value, badge = _kpi(at)
    assert "Chưa đạt" in badge and "−40," in badge  # 39,75% against Decision 1434's 80%

    # The Targets page's editor writes a copy of the set and makes it active; AppTest cannot type
    # into st.data_editor, so the edit is made the way the page stores it.
    from model.targets import DECISION_1434

    edited = DECISION_1434.copy("custom_qd1434_2022", "QĐ 1434 (đã sửa)", "Decision 1434 (edited)")
    edited.block_pct["department"] = 39.0
    at.session_state["target_sets"] = {"qd1434_2022": DECISION_1434, edited.id: edited}
    at.session_state["target_set"] = edited.id
    at.switch_page("app_pages/targets.py").run()
    assert not at.exception and at.selectbox(key="target_set").value == edited.id
    at.switch_page("app_pages/scenario.py").run()
    assert not at.exception
    value_after, badge_after = _kpi(at)
    assert value_after == value and "✓ Đạt" in badge_after and "+0,75" in badge_after

    # Excel: the annex and the cover use the same edited set
    from model.excel import build_workbook

    workbook = build_workbook(C, [builtin("status_quo")], edited, draws=16)
    wb = openpyxl.load_workbook(__import__("io").BytesIO(workbook))
    assert "QĐ 1434 (đã sửa)" in wb["Phụ lục chỉ tiêu"]["A4"].value
    assert "QĐ 1434 (đã sửa)" in wb["Bìa"]["A5"].value

    # the command line, with the set downloaded from the Targets page as JSON
    target_file = tmp_path / "chi-tieu.json"
    target_file.write_text(edited.to_json(), encoding="utf-8")
    out = model_cli("run", "data/scenarios/01_status_quo_momentum.json", "--json", "--draws", "16", "--targets", str(target_file))
    data = json.loads(out)
    assert data["blocks"]["department"]["target_pct"] == 39.0 and data["target_set"]["id"] == "custom_qd1434_2022"
    assert data["blocks"]["department"]["gap_pts"] == pytest.approx(value - 39.0, abs=0.005)


def test_the_unit_target_lever_aims_at_the_active_target_set():
    s = Scenario("t").with_settings(unit_targets__gap_closed_pct=50)
    s.assumptions["momentum_logodds_per_year"] = 0.0
    low = C.with_targets(C.target_set.copy("low", "l", "l"))
    low.target_set.block_pct.update(department=40.0)
    low = C.with_targets(low.target_set)
    dep = 1  # department block
    a = evaluate_scenarios(C, [s]).december_share[0, dep]
    b = evaluate_scenarios(low, [s]).december_share[0, dep]
    assert b < a


# ------------------------------------------------------------------ a new lever is one declaration

THROWAWAY = textwrap.dedent("""
    import json, sys
    from model import levers
    levers.declare_lever(levers.Lever(
        id="sms_reminder", group="b", label_vi="Nhắc nộp trực tuyến qua tin nhắn", label_en="SMS reminders",
        help_vi="Tin nhắn nhắc người dân nộp trực tuyến.", help_en="Text messages reminding citizens to submit online.",
        acts_on_vi="Mọi đơn vị đã có DVCTT", acts_on_en="Every unit with online services",
        params=(levers.Param(id="sms_reminder.coverage_pct", label_vi="Độ phủ tin nhắn", label_en="SMS coverage",
                             help_vi="Phần người dân nhận tin nhắn.", help_en="Share of citizens reached.",
                             unit="%", min=0, max=100, step=10, default=0.0),),
        effects=(levers.Effect(id="sms_reminder.logodds", label_vi="Tác động của tin nhắn", label_en="Effect of SMS",
                               unit="log-odds", low=0.0, central=0.3, high=0.6, source_vi="Giả định.",
                               source_en="Assumption."),),
        terms=(levers.LogOddsShift(effect="sms_reminder.logodds", setting="sms_reminder.coverage_pct", full_at=100),),
        main_param="sms_reminder.coverage_pct"))

    # the model: engine, scenario JSON, contributions, formula text
    from model.analysis import contributions, default_compiled, evaluate_scenarios
    from model.scenario import Scenario
    c = default_compiled()
    off = Scenario("off"); off.assumptions["momentum_logodds_per_year"] = 0.0
    on = off.with_settings(sms_reminder__coverage_pct=100)
    res = evaluate_scenarios(c, [off, on])
    gtvt = list(c.seg.seg_id).index("so-gtvt")
    odds = 334 / (28073 - 334) * 2.718281828459045 ** 0.3
    round_trip = Scenario.from_json(on.to_json())
    contrib = contributions(c, on)
    print(json.dumps({
        "before": float(res.share[0, -1, gtvt]), "after": float(res.share[1, -1, gtvt]), "hand": odds / (1 + odds),
        "round_trip": round_trip.settings["sms_reminder.coverage_pct"], "active": on.active_levers(),
        "contributions": sorted(set(contrib.lever)),
        "formula": levers.lever_formula(levers.LEVER_BY_ID["sms_reminder"], "vi"),
    }))

    # the pages: the Scenario page draws its slider from the declaration
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(sys.argv[1], default_timeout=60)
    at.run()
    at.switch_page("app_pages/scenario.py").run()
    slider = at.slider(key="p:sms_reminder.coverage_pct")
    before = next(m for m in at.metric if m.label.startswith("Tháng 12/")).value
    slider.set_value(100.0).run()
    after = next(m for m in at.metric if m.label.startswith("Tháng 12/")).value
    at.session_state["assumptions_view"] = "levers"
    at.switch_page("app_pages/assumptions.py").run()
    print(json.dumps({"slider": slider.label, "before": before, "after": after, "exceptions": len(at.exception),
                      "listed": any("Nhắc nộp trực tuyến qua tin nhắn" in text for text in
                                    [*(str(df.value.values) for df in at.dataframe), *(h.proto.body for h in at.get("html"))])}))
""")


def test_a_throwaway_lever_is_one_declaration():
    """Declared in a fresh process, with no engine or page edit: the engine applies it (checked by
    hand), scenarios carry it, contributions include it, the formula text describes it, the Scenario
    page draws its slider and the Assumptions page lists it."""
    done = subprocess.run([sys.executable, "-c", THROWAWAY, APP], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    model_out, page_out = (json.loads(line) for line in done.stdout.strip().splitlines()[-2:])
    assert model_out["before"] == pytest.approx(334 / 28073, abs=1e-12)
    assert model_out["after"] == pytest.approx(model_out["hand"], abs=1e-9)
    assert model_out["round_trip"] == 100.0 and model_out["active"] == ["sms_reminder"]
    assert model_out["contributions"] == ["sms_reminder"]
    assert model_out["formula"].startswith("log-odds + [tác động của tin nhắn] × [độ phủ tin nhắn]/100")
    assert page_out["slider"] == "Nhắc nộp trực tuyến qua tin nhắn" and page_out["exceptions"] == 0
    assert float(parse_decimal(page_out["after"].rstrip("%"), locale="vi")) > float(
        parse_decimal(page_out["before"].rstrip("%"), locale="vi")
    )
    assert page_out["listed"]


# ------------------------------------------------------------------ limits have one home


def test_the_server_upload_limit_is_the_declared_one_and_covers_every_file_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == limits.SERVER_UPLOAD_MB
    for n_bytes in (limits.MAX_SCENARIO_FILE_BYTES, limits.MAX_TARGET_FILE_BYTES, limits.MAX_REPORT_UPLOAD_BYTES):
        assert n_bytes <= limits.SERVER_UPLOAD_MB * 1_000_000


def test_model_never_imports_streamlit():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, model, model.projection, model.excel, model.cli, "
            "model.importer, model.store; print('streamlit' in sys.modules)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"


# ------------------------------------------------------------------ lever semantics a planner can check


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(EFFECTS), st.floats(0, 50), st.booleans())
def test_an_effect_outside_its_evidence_range_needs_the_scenario_to_say_so(effect, value, flagged):
    data = builtin("recommendations").to_dict()
    data["effects"] = {effect.id: value}
    if flagged:
        data["outside_evidence"] = True
    inside = effect.low <= value <= effect.high
    if inside or flagged:
        s = Scenario.from_dict(data)
        assert s.effects[effect.id] == value
        assert (effect.id in s.effects_outside_evidence()) == (not inside)
    else:
        with pytest.raises(ScenarioError) as err:
            Scenario.from_dict(data)
        assert any("ngoài khoảng có căn cứ" in m for m in err.value.messages_vi)


def test_a_scenario_outside_the_evidence_is_named_on_the_pages_that_use_it():
    data = builtin("recommendations").to_dict()
    data["effects"] = {"fee_cut.logodds_full_cut": 5.0}
    data["outside_evidence"] = True
    s = Scenario.from_dict(data)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.session_state["current_json"] = s.to_json()
    for page in ("app_pages/scenario.py", "app_pages/compare.py", "app_pages/targets.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert any("ngoài khoảng có căn cứ" in w.value for w in at.warning), page


def test_a_scenario_saved_before_the_change_still_loads_and_says_what_changed():
    old = json.loads((ROOT / "data" / "scenarios" / "03_report_recommendations.json").read_text(encoding="utf-8"))
    old["levers"]["unit_targets"].update(department_target_pct=80.0, local_target_pct=50.0)
    old["levers"]["paper_stop"].pop("compliance_pct")
    old["effects"].update({"unit_targets.effectiveness": 0.4, "paper_stop.compliance": 0.6})
    s = Scenario.from_dict(old)
    assert s.settings["paper_stop.compliance_pct"] == 60.0
    assert len(s.notices) == 4 and all(vi and en for vi, en in s.notices)


def test_fractional_months_and_toggles_are_refused():
    data = builtin("recommendations").to_dict()
    data["levers"]["fee_cut"]["start_month"] = 3.7
    data["levers"]["guidance"]["assistant_on"] = 0.5
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict(data)
    assert "levers.fee_cut.start_month: 3.7 phải là số nguyên" in err.value.messages_vi
    assert "levers.guidance.assistant_on: 0.5 phải là số nguyên" in err.value.messages_vi


def test_shares_never_leave_0_100_and_the_headline_never_falls_when_compliance_rises():
    base = builtin("recommendations")
    rows = [base.with_settings(paper_stop__compliance_pct=v) for v in np.linspace(0, 100, 11)]
    res = evaluate_scenarios(C, rows)
    assert np.all((res.share >= 0) & (res.share <= 1))
    assert np.all(np.diff(res.share, axis=0) >= -1e-12)


# ------------------------------------------------------------------ pages only lay out

# The array fields of the model's results (Projection, PlanOfRecord, BatchResult): a page reads them
# through named accessors (proj.line(block, "p10"), proj.block(block), plan.line(block)), never by an
# axis position, and does no arithmetic on them.
MODEL_ARRAYS = {
    "monthly",
    "monthly_measured",
    "status_quo_monthly",
    "flat_monthly",
    "annual",
    "annual_measured",
    "band_monthly",
    "band_december",
    "band_annual",
    "services_monthly",
    "services_band",
    "block_dossiers",
    "block_online",
    "block_share_report",
    "targets",
    "unit_monthly",
    "unit_dossiers_monthly",
    "unit_dossiers",
    "band",
    "trend_band_monthly",
    "month_band_monthly",
    "block_matrix",
    "share",
    "agg_share",
}


def _model_array_uses(source: str) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr in MODEL_ARRAYS:
            found.append(f"line {node.lineno}: .{node.value.attr}[...]")
        if isinstance(node, ast.BinOp):
            for side in (node.left, node.right):
                if isinstance(side, ast.Attribute) and side.attr in MODEL_ARRAYS:
                    found.append(f"line {node.lineno}: arithmetic on .{side.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "index":
            if isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "blocks":
                found.append(f"line {node.lineno}: .blocks.index(...)")
    return found


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "app_pages").glob("*.py")))
def test_a_page_never_indexes_or_computes_on_model_arrays(page):
    """The blocks come from the data (no district block after 7/2025): a position on the block axis
    means something else per dataset, so pages read figures by name and only lay them out."""
    assert _model_array_uses((ROOT / "app_pages" / page).read_text(encoding="utf-8")) == []


def test_the_architecture_check_catches_positional_reads_and_arithmetic():
    bad = "b = proj.blocks.index(block)\nx = proj.monthly[:, b]\ny = plan.band[0] - 1\nz = proj.targets * 2\n"
    assert len(_model_array_uses(bad)) == 4
    assert _model_array_uses("x = proj.line(block, 'p10')\nf = proj.block('province').december\n") == []
