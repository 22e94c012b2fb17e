"""Page logic through streamlit.testing.v1.AppTest (no browser)."""

import pytest
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from model.indicators import read_indicators
from model.levers import LEVER_BY_ID, LEVERS, PARAM_BY_ID, PaymentShare
from tests.conftest import ROOT, builtin, html_table_cells, is_html_table, shown_tables

APP = str(ROOT / "app.py")
PAGES = [
    "app_pages/overview.py",
    "app_pages/scenario.py",
    "app_pages/compare.py",
    "app_pages/targets.py",
    "app_pages/library.py",
    "app_pages/assumptions.py",
]


def new_app(lang="vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    return at


def december_pct(at: AppTest, lang="vi") -> float:
    label = "Tháng 12/2023 (dự báo)" if lang == "vi" else "December 2023 (projected)"
    metric = next(m for m in at.metric if m.label == label)
    return float(parse_decimal(metric.value.rstrip("%"), locale=lang))


HEADERS = {
    "vi": [
        "Tổng quan — số liệu đến hết 12/2022",
        "Kịch bản — điều chỉnh biện pháp",
        "So sánh kịch bản",
        "Chỉ tiêu năm kế hoạch",
        "Thư viện kịch bản",
        "Giả định & dữ liệu",
    ],
    "en": [
        "Overview — figures to end of 12/2022",
        "Scenario builder — move the levers",
        "Compare scenarios",
        "Plan-year targets",
        "Scenario library",
        "Assumptions & data",
    ],
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_runs_without_exception(lang):
    at = new_app(lang)
    for page, header in zip(PAGES, HEADERS[lang]):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.header[0].value == header


def test_overview_headline_numbers_in_both_locales():
    at = new_app("vi")
    values = {m.label: m.value for m in at.metric}
    assert values["Toàn tỉnh"] == "10,19%"
    assert values["Khối sở, ban, ngành"] == "38,82%"
    assert values["Khối huyện (gồm cấp xã)"] == "5,30%"
    assert values["DVCTT có phát sinh hồ sơ trực tuyến"] == "67,37%"
    assert any("Chưa đạt" in (m.delta or "") for m in at.metric)  # status in words, not colour alone
    at.session_state["lang"] = "en"
    at.run()
    values = {m.label: m.value for m in at.metric}
    assert values["Province"] == "10.19%" and values["Department block"] == "38.82%"


def measured_pct(at: AppTest) -> float:
    """The measured share ("đo được") the Scenario page shows under its KPIs, else the headline."""
    import re

    for caption in at.caption:
        found = re.search(r"(?:Đo được|Measured)[^*]*\*\*([\d.,]+)%\*\*", caption.value)
        if found:
            return float(parse_decimal(found.group(1), locale=at.session_state["lang"]))
    return december_pct(at, at.session_state["lang"])


def payment_points(at: AppTest) -> float:
    """December's Decision 766 online-payment points, the one thing the online-payment lever moves."""
    import re

    for line in at.markdown:
        found = re.search(r"(?:thanh toán trực tuyến|online payment) \*\*([\d.,]+)\*\*/10", line.value)
        if found:
            return float(parse_decimal(found.group(1), locale=at.session_state["lang"]))
    raise AssertionError("no online-payment points on the page")


def lever_widget(at: AppTest, param_id: str):
    """A lever's widget as drawn: a plain slider for whole percentages, a select_slider where the
    values carry labels (months, the commune adoption with its peer reference points)."""
    key = f"p:{param_id}"
    for widgets in (at.slider, at.select_slider):
        try:
            return widgets(key=key)
        except KeyError:
            pass
    raise KeyError(key)


def open_details(at: AppTest, lever_id: str) -> None:
    """The user opens the "Chi tiết" (details: timing and other settings) panel and picks the lever."""
    at.session_state["scenario_view"] = "details"
    at.run()
    at.selectbox(key="details_lever").set_value(lever_id).run()


def lever_cases():
    for lever in LEVERS:
        for p in lever.params:
            if p.monotone:
                yield pytest.param(lever.id, p.id, id=p.id)


@pytest.mark.parametrize("lever_id,param_id", list(lever_cases()))
def test_every_lever_at_min_and_max_moves_the_headline_the_right_way(lever_id, param_id):
    p = PARAM_BY_ID[param_id]
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    lever = LEVER_BY_ID[lever_id]
    if not p.switches:  # a setting that shapes a lever (compliance) acts once the lever is on
        lever_widget(at, lever.main_param).set_value(PARAM_BY_ID[lever.main_param].max).run()
    if param_id != lever.main_param:
        open_details(at, lever_id)
    # a measurement correction moves the measured share, shown apart; the online-payment lever the
    # Decision 766 payment points (given indicators to score); every other lever the headline
    read = measured_pct if lever.kind == "measurement" else december_pct
    if all(isinstance(t, PaymentShare) for t in lever.terms):
        at.session_state["indicators_766"] = read_indicators(
            "unit_id,month,dossiers_with_fee,dossiers_paid_online,procedures_with_fee,procedures_paid_online,procedures_fee_data\n"
            "province,2022-12,1000,100,10,1,1\n"
        )
        read = payment_points
    readings = []
    for value in (p.min, p.max):
        if p.widget == "toggle":
            at.toggle(key=f"p:{param_id}").set_value(bool(value)).run()
        else:
            lever_widget(at, param_id).set_value(float(value)).run()
        assert not at.exception
        readings.append(read(at))
    assert readings[1] > readings[0], (param_id, readings)


def test_a_measurement_correction_never_moves_the_behavioural_headline():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    before = december_pct(at)
    lever_widget(at, "ministry_connect.connected_pct").set_value(100.0).run()
    assert december_pct(at) == before
    assert measured_pct(at) > before + 1  # "đo được" shown beside "thực tế"


def test_state_survives_page_switches():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    lever_widget(at, "fee_cut.cut_pct").set_value(50.0).run()
    lever_widget(at, "paper_stop.commune_pct").set_value(20.0).run()
    moved = december_pct(at)
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    at.session_state["compare_summary_open"] = True  # the user opens the summary table
    at.run()
    table = shown_tables(at)[0]
    edited = [c for c in table.columns if c.startswith("Đang điều chỉnh")][0]
    fee_row = table[table.iloc[:, 1] == "Mức giảm phí trực tuyến"]
    assert fee_row[edited].iloc[0].startswith("50%")
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/scenario.py").run()
    assert lever_widget(at, "fee_cut.cut_pct").value == 50.0
    assert lever_widget(at, "paper_stop.commune_pct").value == 20.0
    assert december_pct(at) == moved


def test_loading_the_report_recommendations_sets_every_lever():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    open_save_section(at)
    at.selectbox(key="builtin_choice").set_value("builtin:recommendations").run()
    next(b for b in at.button if b.label == "Nạp vào bảng điều chỉnh").click().run()
    assert lever_widget(at, "fee_cut.cut_pct").value == 50.0
    assert december_pct(at) == pytest.approx(33.02, abs=0.005)
    summary = [m.value for m in at.markdown if m.value.startswith("**Tóm tắt:**")][0]
    assert "Kịch bản bật" in summary and "33,02%" in summary


def test_save_scenario_needs_a_name_and_keeps_it_for_the_session():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    open_save_section(at)
    save = lambda: next(b for b in at.button if b.label == "Lưu kịch bản").click().run()  # noqa: E731
    save()
    assert [e.value for e in at.error] == ["Hãy nhập tên kịch bản\\."]
    at.text_input(key="save_name").set_value("Phương án *A* <b>x</b>").run()
    save()
    assert at.success[0].value.startswith("Đã lưu kịch bản")
    assert "Phương án *A* <b>x</b>" in at.selectbox(key="builtin_choice").options
    at.switch_page("app_pages/compare.py").run()
    assert "Phương án *A* <b>x</b>" in at.multiselect(key="compare_choice").options
    # typed text is shown literally: escaped for Markdown, never as HTML
    assert any("Phương án \\*A\\* \\<b\\>x\\</b\\>" in c.value for c in at.caption)


def test_goal_seek_on_the_scenario_page():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    at.session_state["goal_open"] = True  # the user opens "Cần bao nhiêu để đạt?"
    at.run()
    at.selectbox(key="gs_param").set_value("fee_cut.cut_pct").run()
    at.text_input(key="gs_target").set_value("14").run()
    assert at.success and at.success[0].value.startswith("Cần")
    at.text_input(key="gs_target").set_value("90").run()
    assert at.warning[0].value.startswith("Không đạt được chỉ với biện pháp này")


def test_lever_details_keep_their_values_when_their_panel_closes():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    open_details(at, "fee_cut")
    lever_widget(at, "fee_cut.start_month").set_value(6.0).run()
    at.session_state["scenario_view"] = "levers"
    at.run()
    lever_widget(at, "fee_cut.cut_pct").set_value(100.0).run()
    assert "p:fee_cut.start_month" not in [w.key for w in at.select_slider]  # closed: not rebuilt
    late = december_pct(at)
    open_details(at, "fee_cut")
    assert lever_widget(at, "fee_cut.start_month").value == 6.0
    lever_widget(at, "fee_cut.start_month").set_value(1.0).run()
    assert december_pct(at) == late  # December is after both start months: full effect either way


def test_main_sliders_are_plain_sliders_with_the_named_steps_in_their_help():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    fee = at.slider(key="p:fee_cut.cut_pct")
    assert (fee.min, fee.max, fee.step, fee.value) == (0.0, 100.0, 5.0, 0.0)
    assert "40% — Như Huế (40%)" in fee.help and "100% — Miễn phí (Nghệ An)" in fee.help
    # the commune adoption's reference points (measured from the data) are named in its help...
    adoption = at.slider(key="p:commune_enable.adoption_pct")
    assert "3,68% — bình quân huyện bạn" in adoption.help and "10,90% — huyện bạn tốt nhất" in adoption.help
    before = december_pct(at)
    # ...and set exactly from the details tab; the slider then shows the value with its name
    open_details(at, "commune_enable")
    click(at, "Đặt mức áp dụng = bình quân huyện bạn (3,68%)")
    assert not at.exception
    at.session_state["scenario_view"] = "levers"
    at.run()
    labelled = at.select_slider(key="p:commune_enable.adoption_pct")
    assert labelled.value == pytest.approx(3.680011) and labelled.format_func(labelled.value) == "3,68% — bình quân huyện bạn"
    assert december_pct(at) > before
    assert at.session_state["current_json"].count('"adoption": "peer"') == 1


def live_figures(at: AppTest) -> list:
    """The plotly figures sent to the page's charts, validated by plotly's own schema."""
    import json

    import plotly.graph_objects as go

    return [
        go.Figure(json.loads(json.loads(e.proto.json)["figure"]))
        for e in at.get("bidi_component")
        if e.proto.component_name == "sonla_live_chart"
    ]


def test_live_charts_send_valid_plotly_figures_with_the_projection():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    lever_widget(at, "fee_cut.cut_pct").set_value(50.0).run()
    (trajectory,) = live_figures(at)
    scenario = next(tr for tr in trajectory.data if tr.name == "Kịch bản")
    assert round(scenario.y[11], 2) == december_pct(at)
    # 54,38% is far above lines near 11%: the axis follows the data and the target is a marker at the top
    assert any(a.text.startswith("▲ Chỉ tiêu 54,38%") for a in trajectory.layout.annotations)
    assert trajectory.layout.yaxis.range[1] < 30
    at.session_state["result_view"] = "waterfall"
    at.run()
    (waterfall,) = live_figures(at)
    bars = waterfall.data[0]
    # plotly sums the steps in data order: start, momentum, each lever, then the scenario total
    # (the first version listed them reversed and drew the bars from the wrong base)
    assert bars.type == "waterfall" and list(bars.measure) == ["absolute"] + ["relative"] * (len(bars.x) - 2) + ["total"]
    assert bars.x[-1] == pytest.approx(december_pct(at), abs=0.005)
    assert bars.x[0] + sum(bars.x[1:-1]) == pytest.approx(bars.x[-1], abs=1e-6)
    assert waterfall.layout.yaxis.autorange == "reversed"  # read top-down: start first


def test_waterfall_only_when_its_view_is_chosen():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    lever_widget(at, "fee_cut.cut_pct").set_value(50.0).run()
    keys = lambda: [getattr(b, "key", "") for b in at.get("download_button")]  # noqa: E731
    assert "csv-trajectory" in keys() and "csv-waterfall" not in keys()
    at.session_state["result_view"] = "waterfall"
    at.run()
    assert not at.exception
    assert "csv-waterfall" in keys() and "csv-trajectory" not in keys()


def test_sensitivity_ranking_only_when_opened():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    assert not any(getattr(b, "key", "") == "csv-sensitivity" for b in at.get("download_button"))
    at.session_state["sensitivity_open"] = True
    at.run()
    assert not at.exception
    assert any(getattr(b, "key", "") == "csv-sensitivity" for b in at.get("download_button"))


def test_unit_table_when_opened():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    assert not shown_tables(at)
    at.session_state["units_open"] = True
    at.run()
    table = shown_tables(at)[0]
    gtvt = table[table["Đơn vị"] == "Sở Giao thông vận tải"].iloc[0]
    assert gtvt["Đến 12/2022 (%)"] == pytest.approx(100 * 334 / 28073)
    assert gtvt["Chỉ tiêu (%)"] == 80 and gtvt["Trạng thái"].startswith("✗ Chưa đạt")


def status_table(at: AppTest):
    """The Targets page's table of every unit against its target, as shown."""
    at.switch_page("app_pages/targets.py").run()
    assert not at.exception
    return shown_tables(at)[0]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_unit_status_table_is_never_one_drawn_for_other_choices(seed):
    """The Targets page draws its 400-row status table once per data, target set, scenario, language
    and mode, and replays that drawing on later visits. Along a random walk over those choices (and
    back to earlier ones), the table shown is always the one drawn afresh with nothing kept."""
    import random

    from ui.results import _unit_status_table

    rng = random.Random(seed)
    at = new_app()
    status_table(at)
    sets = at.selectbox(key="target_set").options
    shown_before = []
    for _ in range(7):
        change = rng.choice(["lever", "set", "lang", "presentation"])
        if change == "lever":
            at.switch_page("app_pages/scenario.py").run()
            lever_widget(at, "fee_cut.cut_pct").set_value(rng.choice([0, 20, 50, 100])).run()
        elif change == "set":
            status_table(at)
            at.selectbox(key="target_set").select_index(rng.randrange(len(sets))).run()
        elif change == "lang":
            at.session_state["lang"] = rng.choice(["vi", "en"])
        else:
            at.session_state["presentation"] = rng.choice([False, True])
        shown = status_table(at)
        _unit_status_table.clear()
        assert shown.equals(status_table(at)), change
        shown_before.append(shown)
    assert len({t.to_json() for t in shown_before}) > 1  # the walk changed what the table says


def click(at, label):
    next(b for b in at.button if b.label == label).click().run()


def open_save_section(at):
    """The user opens the Scenario page's "Lưu và nạp kịch bản" section (built only while open)."""
    at.session_state["save_open"] = True
    at.run()


@pytest.mark.parametrize(
    "page, key, built",
    [
        ("app_pages/scenario.py", "save_open", lambda at: [w for w in at.text_input if w.key == "save_name"]),
        ("app_pages/scenario.py", "goal_open", lambda at: [w for w in at.text_input if w.key == "gs_target"]),
        ("app_pages/compare.py", "compare_summary_open", shown_tables),
    ],
)
def test_an_open_section_stays_open_across_a_language_switch(page, key, built):
    """An expander's state was keyed to its label too: switching language closed every open section."""
    at = new_app()
    at.switch_page(page).run()
    at.session_state[key] = True
    at.run()
    assert built(at)
    for lang in ("en", "vi"):
        at.session_state["lang"] = lang
        at.run()
        assert built(at) and not at.exception, lang
    at.session_state[key] = False
    at.run()
    at.session_state["lang"] = "en"
    at.run()
    assert not built(at)  # and a closed one stays closed


def test_the_save_section_is_built_only_when_open_and_keeps_what_was_typed_while_closed():
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    assert not [w for w in at.text_input if w.key == "save_name"]  # closed: nothing built or sent
    open_save_section(at)
    at.text_input(key="save_name").set_value("Phương án Mộc Châu").run()
    at.text_input(key="save_author").set_value("Chị Lan").run()
    at.session_state["save_open"] = False
    at.run()
    assert not [w for w in at.text_input if w.key == "save_name"]
    at.switch_page("app_pages/compare.py").run()
    at.switch_page("app_pages/scenario.py").run()
    open_save_section(at)
    assert at.text_input(key="save_name").value == "Phương án Mộc Châu"
    assert at.text_input(key="save_author").value == "Chị Lan"
    assert not at.exception


def test_saved_scenario_lands_in_the_sqlite_library_and_can_be_managed(scenario_database):
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    lever_widget(at, "fee_cut.cut_pct").set_value(40.0).run()
    open_save_section(at)
    at.text_input(key="save_name").set_value("Phương án Huế").run()
    at.text_input(key="save_author").set_value("Anh Tuấn").run()
    click(at, "Lưu kịch bản")
    assert at.success[0].value.startswith("Đã lưu kịch bản")
    assert scenario_database.exists()
    at.switch_page("app_pages/library.py").run()
    table = shown_tables(at)[0]
    row = table[table["Tên"] == "Phương án Huế"].iloc[0]
    assert row["Loại"] == "đã lưu" and row["Người lập"] == "Anh Tuấn" and row["Năm kế hoạch"] == "2023"
    at.selectbox(key="library_choice").set_value("Phương án Huế").run()
    at.text_input(key="library_new_name").set_value("Phương án Huế 2").run()
    click(at, "Nhân bản với tên mới")
    assert set(shown_tables(at)[0]["Tên"]) >= {"Phương án Huế", "Phương án Huế 2"}
    delete = next(b for b in at.button if b.label == "Xóa kịch bản")
    assert delete.disabled  # nothing is deleted without the confirmation
    at.checkbox(key="library_confirm_delete").check().run()
    click(at, "Xóa kịch bản")
    assert "Phương án Huế" not in set(shown_tables(at)[0]["Tên"])
    assert "Phương án Huế 2" in set(shown_tables(at)[0]["Tên"])


def test_builtin_scenarios_cannot_be_deleted():
    at = new_app()
    at.switch_page("app_pages/library.py").run()
    at.selectbox(key="library_choice").set_value(builtin("status_quo").name).run()
    assert not [b for b in at.button if b.label == "Xóa kịch bản"]


def test_a_session_only_import_is_reported_as_a_warning_in_the_library(scenario_database):
    """With the library file unusable, an import is kept for the session and save_many answers
    "warning"; the library page showed every non-error outcome as a success."""
    scenario_database.write_bytes(b"not a database" * 50)
    at = new_app()
    at.switch_page("app_pages/library.py").run()
    at.session_state["library_message"] = ("warning", "Đã nhập trong phiên này: Phương án A.")
    at.run()
    assert any("Phương án A" in w.value for w in at.warning)
    assert not any("Phương án A" in m.value for m in at.success)


def test_corrupt_database_the_app_still_runs_with_builtins(scenario_database):
    scenario_database.write_bytes(b"not a database" * 50)
    before = scenario_database.read_bytes()
    at = new_app()
    at.switch_page("app_pages/library.py").run()
    assert not at.exception
    assert any("bị hỏng" in w.value for w in at.warning)
    from model.scenario import BUILTIN_LABELS

    assert list(shown_tables(at)[0]["Tên"])[:3] == [vi for vi, _ in BUILTIN_LABELS.values()]
    assert scenario_database.read_bytes() == before


def open_link(query: dict[str, str]) -> AppTest:
    """A fresh session opened from a shared link, on the Scenario page."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/scenario.py").run()
    return at


def test_a_link_opens_the_same_scenario():
    at = open_link({"fee_cut.cut_pct": "50", "paper_stop.commune_pct": "20"})
    assert lever_widget(at, "fee_cut.cut_pct").value == 50.0
    linked = december_pct(at)
    fresh = new_app()
    fresh.switch_page("app_pages/scenario.py").run()
    lever_widget(fresh, "fee_cut.cut_pct").set_value(50.0).run()
    lever_widget(fresh, "paper_stop.commune_pct").set_value(20.0).run()
    assert december_pct(fresh) == linked


def test_a_bad_link_falls_back_to_defaults_with_a_notice():
    at = open_link({"fee_cut.cut_pct": "999", "guidance.staff_help_pct": "nhiều"})
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any("fee\\_cut" in n or "fee_cut" in n for n in notices) and len(notices) == 2
    assert lever_widget(at, "fee_cut.cut_pct").value == 0.0


def allocation_view(at):
    """The user picks the Targets page's second view, "2. Phân bổ chỉ tiêu cho các đơn vị"."""
    at.session_state["targets_view"] = "allocate"
    at.run()


def test_targets_page_allocation_reaches_the_target():
    at = new_app()
    at.switch_page("app_pages/targets.py").run()
    assert not at.exception
    allocation_view(at)
    at.text_input(key="alloc_target_province").set_value("35").run()
    assert at.success[0].value.startswith("Chỉ tiêu 35,00% toàn tỉnh đạt được")
    check = [c.value for c in at.caption if c.value.startswith("Kiểm tra:")][0]
    assert "cho 35,00% (mục tiêu 35,00%)" in check
    assert any(b.label.startswith("Tải tệp Excel") for b in at.get("download_button"))


def test_targets_page_rejects_out_of_range_targets_and_keeps_the_set():
    at = new_app()
    at.switch_page("app_pages/targets.py").run()
    # AppTest cannot type into st.data_editor, so the page's rule is checked directly
    import pandas as pd

    from model.targets import validate_table

    bad = pd.DataFrame({"Phạm vi": ["Toàn tỉnh", "Sở Y tế"], "Tỷ lệ hồ sơ trực tuyến (%)": [150.0, "nhiều"]})
    assert [vi for vi, _ in validate_table(bad, ("Tỷ lệ hồ sơ trực tuyến (%)",), "Phạm vi")] == [
        "Dòng 1 (Toàn tỉnh), cột “Tỷ lệ hồ sơ trực tuyến (%)”: 150 phải nằm trong khoảng 0–100.",
        "Dòng 2 (Sở Y tế), cột “Tỷ lệ hồ sơ trực tuyến (%)”: “nhiều” không phải là số.",
    ]
    assert [en for _, en in validate_table(bad, ("Tỷ lệ hồ sơ trực tuyến (%)",), "Phạm vi")][1] == (
        "Row 2 (Sở Y tế), column “Tỷ lệ hồ sơ trực tuyến (%)”: “nhiều” is not a number."
    )
    assert at.selectbox(key="target_set").value == "qd1434_2022"


def test_targets_page_says_infeasible_under_the_caps():
    at = new_app()
    at.switch_page("app_pages/targets.py").run()
    allocation_view(at)
    at.text_input(key="alloc_target_province").set_value("99").run()
    assert at.error[0].value.startswith("Không khả thi với các mức trần này")


def test_the_targets_views_build_one_at_a_time_and_keep_what_was_chosen():
    """The set's table with each unit's status, or the allocation with its annex: only the view in
    sight is built, the allocation's target and method survive a trip to the other view, and
    "use as the unit targets" says what it did and makes that set the active one."""
    at = new_app()
    at.switch_page("app_pages/targets.py").run()
    assert at.selectbox(key="target_set").value == "qd1434_2022"
    assert not [w for w in at.text_input if w.key == "alloc_target_province"]  # not built
    assert any(b.key == "excel" for b in at.get("download_button"))  # the export is under both views
    allocation_view(at)
    assert not [s for s in at.selectbox if s.key == "target_set"]
    assert any("Quyết định 1434" in c.value or "1434" in c.value for c in at.caption)  # the active set is named
    at.text_input(key="alloc_target_province").set_value("40").run()
    at.radio(key="alloc_method").set_value("same_uplift").run()
    assert any(b.key == "excel" for b in at.get("download_button"))
    at.session_state["targets_view"] = "units"
    at.run()
    allocation_view(at)
    assert at.text_input(key="alloc_target_province").value == "40"
    assert at.radio(key="alloc_method").value == "same_uplift"
    next(b for b in at.button if b.label == "Dùng làm chỉ tiêu đơn vị của bộ đang dùng").click().run()
    assert not at.exception
    assert any("Đã dùng làm chỉ tiêu đơn vị" in s.value for s in at.success)
    at.session_state["targets_view"] = "units"
    at.run()
    assert at.selectbox(key="target_set").value == "custom_qd1434_2022"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_runs_on_the_post_2025_example_with_no_district_anywhere(lang):
    """The built-in example after 7/2025 (departments, 75 communes and wards): every page runs, says
    the numbers are made up, and shows no district block, district office or district lever."""
    at = new_app(lang)
    at.session_state["dataset"] = "vi-du-2025"
    at.run()
    district_words = (
        "Khối huyện",
        "UBND cấp huyện",
        "UBND các huyện",
        "District block",
        "District offices",
        "District People's",
        "Các huyện được bật",
    )
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        label = "Ví dụ (số liệu giả lập)" if lang == "vi" else "Example (made-up numbers)"
        assert any(label in c.value.replace("\\", "") for c in at.caption), page  # the data label shows on every page
        # said first in the header, on every page (not only in the data's name)
        made_up = "Số liệu giả lập, không phải số liệu của tỉnh Sơn La" if lang == "vi" else "Made-up numbers, not Sơn La's data"
        assert any(made_up in c.value.replace("\\", "") for c in at.caption), page
        shown = [m.label for m in at.metric] + [str(o) for sc in at.get("button_group") for o in sc.proto.options]
        shown += [str(cell) for table in shown_tables(at) for cell in [*table.columns, *table.to_numpy().ravel()]]
        shown += [h.value for h in [*at.header, *at.subheader]]
        assert not [text for text in shown if any(w in text for w in district_words)], page
        assert not [text for text in shown if "synthetic" in text], page  # the example's words are Vietnamese
    at.switch_page("app_pages/assumptions.py").run()
    communes = next(t for t in shown_tables(at) if len(t) == 75)  # the second raw table: the communes and wards
    assert {"Tên cơ quan", "Agency"} & set(communes.columns)
    at.switch_page("app_pages/targets.py").run()
    allocation_view(at)  # the Targets page's second view
    assert not at.exception, [e.value for e in at.exception]
    assert any(b.label.startswith("Dùng làm") or b.label.startswith("Use as") for b in at.button)


def test_objects_loaded_at_start_are_kept_out_of_the_per_run_garbage_collection():
    """Streamlit collects garbage after every run; with pandas, plotly, scipy and Babel loaded that
    full collection cost ≈ 70 ms per slider move until the start-up objects were frozen."""
    import gc

    new_app()
    assert gc.get_freeze_count() > 100_000


def address_bar_data(at: AppTest) -> dict:
    import json

    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == "sonla_address_bar"]
    return json.loads(element.proto.json)


def test_every_page_hands_the_address_bar_the_whole_session_state():
    """The address bar element gets the session's state on every page (the scenario, the Compare
    selection, the target set) and writes it in the browser; the server never writes the query
    string on a slider move (that re-rendered the whole app and pushed a history entry per step)."""
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    lever_widget(at, "fee_cut.cut_pct").set_value(50.0).run()
    assert "fee_cut.cut_pct" not in at.query_params
    assert "fee_cut.cut_pct=50" in address_bar_data(at)["query"]
    at.switch_page("app_pages/compare.py").run()
    at.run()  # the page's first run sets its default selection; the address follows on the next
    query = address_bar_data(at)["query"]
    assert "fee_cut.cut_pct=50" in query and "compare=current" in query and "compare=builtin%3Astatus_quo" in query
    at.switch_page("app_pages/overview.py").run()
    assert "fee_cut.cut_pct=50" in address_bar_data(at)["query"]


def test_the_language_switch_keeps_the_compare_selection():
    at = new_app()
    at.switch_page("app_pages/compare.py").run()
    at.multiselect(key="compare_choice").set_value(["builtin:flat", "current"]).run()
    before = list(at.multiselect(key="compare_choice").value)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert list(at.multiselect(key="compare_choice").value) == before
    assert [o for o in at.multiselect(key="compare_choice").options if "Flat" in o]


@pytest.mark.parametrize("page", PAGES)
def test_a_120_character_name_never_breaks_a_page(page):
    """The Compare page once re-checked "Đang điều chỉnh: " + a 120-character name against the
    120 limit and showed a traceback; names are checked once, where they are typed."""
    from model.limits import MAX_NAME
    from model.scenario import Scenario

    at = new_app()
    long = Scenario(("Phương án thí điểm cấp xã " * 10)[:MAX_NAME])
    at.session_state["current_json"] = long.to_json()
    at.session_state["scenario_name"] = long.name
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_project_error_on_a_page_is_a_message_not_a_traceback(monkeypatch):
    at = new_app("en")
    at.session_state["current_json"] = '{"schema_version": 1, "name": ""}'  # a stored scenario that no longer loads
    at.switch_page("app_pages/compare.py").run()
    assert not at.exception
    assert any("the scenario needs a name" in e.value for e in at.error)


def test_the_run_rate_start_shows_no_invented_unit_figures():
    """A single report's last-month run-rate is known per block only: no unit figure is shown for it."""
    at = new_app()
    at.switch_page("app_pages/scenario.py").run()
    at.session_state["a:start_point"] = "december_run_rate"
    at.session_state["units_open"] = True
    at.run()
    assert not at.exception and any("chỉ biết theo khối" in i.value for i in at.info)
    assert not shown_tables(at)  # no unit table
    at.switch_page("app_pages/targets.py").run()
    assert not at.exception and any("chỉ biết theo khối" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_table_shows_none_for_a_missing_value(lang):
    """A grid without a placeholder draws "None" in every empty cell (as the Targets editor did in every
    unit row without its own target). Every table on every page must say what a blank means instead."""
    at = new_app(lang)
    counts = {"grids": 0, "html": 0}

    def check(page):
        for grid in at.dataframe:
            counts["grids"] += 1
            assert grid.proto.HasField("placeholder"), (page, lang)
            assert grid.proto.placeholder in ("", "—"), (page, grid.proto.placeholder)
        for node in at.main:  # short tables are plain HTML, which has no placeholder: no blank may reach it
            if is_html_table(node):
                counts["html"] += 1
                shown = set(html_table_cells(node.proto.body).to_numpy().ravel())
                assert not shown & {"", "None", "nan", "NaN", "<NA>"}, (page, lang, shown)

    for page in [*PAGES, "app_pages/tracking.py"]:
        at.switch_page(page).run()
        check(page)
    at.switch_page("app_pages/targets.py").run()
    allocation_view(at)  # the methods' table and the annex
    check("targets: allocation")
    assert counts["grids"] >= 3 and counts["html"] >= 3


def test_a_target_is_typed_with_the_vietnamese_decimal_comma_and_a_misread_keeps_the_last_value():
    at = new_app()
    at.switch_page("app_pages/targets.py").run()
    allocation_view(at)
    field = at.text_input(key="alloc_target_province")
    assert "." not in field.value  # the default is written the Vietnamese way
    field.set_value("54,38").run()
    assert at.success[0].value.startswith("Chỉ tiêu 54,38% toàn tỉnh đạt được")
    at.text_input(key="alloc_target_province").set_value("54.38").run()
    assert any("dấu phẩy" in e.value and "Vẫn dùng 54,38%" in e.value for e in at.error)
    assert at.success[0].value.startswith("Chỉ tiêu 54,38% toàn tỉnh đạt được")
    at.session_state["lang"] = "en"
    at.run()
    assert at.text_input(key="alloc_target_province").value == "54.38"
    assert not at.exception


def legend_lines(at: AppTest) -> list[str]:
    import html

    names = []
    for chart in live_figures(at):
        for trace in chart.to_dict()["data"]:
            if trace.get("showlegend", True) and trace.get("name"):
                names.append(trace["name"])
    return [html.unescape(line) for name in names for line in name.split("<br>")]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_legend_entries_wrap_instead_of_running_off_the_chart(lang, scenario_database):
    """ "Being edited: Current scenario (same as Status quo, assumed momentum)" ran past the chart's edge
    at 1280 px and was clipped. Every legend line now fits, with the longest name a user may type."""
    from ui.charts import LEGEND_LINE_CHARS

    at = new_app(lang)
    at.switch_page("app_pages/scenario.py").run()
    open_save_section(at)
    at.text_input(key="save_name").set_value(("Phương án " + "rất dài " * 20)[:120]).run()
    next(b for b in at.button if b.label in ("Lưu kịch bản", "Save scenario")).click().run()
    at.switch_page("app_pages/compare.py").run()
    choice = at.multiselect(key="compare_choice")
    choice.set_value([*choice.value, next(o for o in choice.options if "rất dài" in o)]).run()
    assert not at.exception
    lines = legend_lines(at)
    assert any("(trùng với" in line or "(same as" in line for line in lines)
    assert lines and max(len(line) for line in lines) <= LEGEND_LINE_CHARS


@given(text=st.text(min_size=1, max_size=200))
def test_a_legend_label_keeps_every_word_and_escapes_markup(text):
    import html

    from ui.charts import LEGEND_LINE_CHARS, legend_label

    label = legend_label(text)
    lines = [html.unescape(line) for line in label.split("<br>")]
    assert "".join("".join(lines).split()) == "".join(text.expandtabs().split())
    assert all(len(line) <= LEGEND_LINE_CHARS for line in lines) or not text.split()
    assert "<" not in label.replace("<br>", "")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_summary_table_is_built_when_opened_and_lists_every_chosen_scenario(lang):
    """The summary table sits in a section that is built only when opened (a visit does not pay for
    it); opened, it has one column per chosen scenario, with the December figures as shown above."""
    at = new_app(lang)
    at.switch_page("app_pages/compare.py").run()
    assert not shown_tables(at)  # closed: nothing built or sent
    at.session_state["compare_summary_open"] = True  # the user opens the section
    at.run()
    assert not at.exception
    (frame,) = shown_tables(at)
    chosen = at.multiselect(key="compare_choice")
    assert len(frame.columns) == 2 + len(chosen.value)
    first = frame.iloc[0, 2:].tolist()
    assert all(v.endswith("%") for v in first)
    assert ("," if lang == "vi" else ".") in first[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("presenting", [False, True])
def test_every_chart_on_every_page_is_a_valid_plotly_figure(lang, presenting):
    """Charts are sent as plain plotly JSON (no per-visit validation cost): plotly's own schema checks
    every one of them here (Tracking's chart, which needs a plan and a series, in test_series)."""
    at = new_app(lang)
    at.session_state["presentation"] = presenting
    at.session_state["heat_open"] = at.session_state["sensitivity_open"] = True  # charts on demand too
    charts = 0
    for page in [*PAGES, "app_pages/tracking.py"]:
        at.switch_page(page).run()
        assert not at.exception, page
        figures = live_figures(at)  # go.Figure(...) raises on any property plotly does not know
        charts += len(figures)
        for figure in figures:
            assert figure.data, page
    assert charts >= 6


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_heat_map_is_built_when_opened_and_keeps_its_levers_while_closed(lang):
    """The two-lever grid is on demand: closed, nothing is computed or drawn; opened, an 11 × 11 grid of
    province December shares whose corner is the base scenario; its chosen levers survive closing it."""
    at = new_app(lang)
    at.switch_page("app_pages/compare.py").run()
    assert len(live_figures(at)) == 1  # the trajectories only
    at.session_state["heat_open"] = True
    at.run()
    assert not at.exception
    heat = next(f for f in live_figures(at) if f.data[0].type == "heatmap")
    assert len(heat.data[0].z) == 11 and all(len(row) == 11 for row in heat.data[0].z)
    assert all(0 <= v <= 100 for row in heat.data[0].z for v in row)
    # every cell's label is the share in the user's number format
    assert heat.data[0].text[0][0].endswith("%") and ("," if lang == "vi" else ".") in heat.data[0].text[0][0]
    at.selectbox(key="heat_x").set_value("guidance.staff_help_pct").run()
    at.session_state["heat_open"] = False
    at.run()
    at.session_state["heat_open"] = True
    at.run()
    assert at.selectbox(key="heat_x").value == "guidance.staff_help_pct"
    at.selectbox(key="heat_y").set_value("guidance.staff_help_pct").run()
    assert at.warning  # the same lever on both axes
