"""Kịch bản — move levers, see the province respond."""

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import ui
from model import fmt
from model.analysis import goal_seek, sensitivity
from model.levers import ASSUMPTIONS, EFFECTS, LEVER_BY_ID, LEVERS, PARAM_BY_ID, Param
from model.limits import MAX_DESCRIPTION, MAX_NAME
from model.scenario import ADOPTION_PARAMS, resolved_start_point
from model.text import clean_text
from model.views import bridge, waterfall_steps
from ui import address_bar
from ui import index766 as index766_ui

ui.restore_widgets_if_needed()


def load_builtin():
    chosen = ui.scenario_by_id(st.session_state.get(ui.Key.BUILTIN_CHOICE) or "")
    if chosen is not None:
        ui.load_into_widgets(chosen)


def save_current():
    state = st.session_state
    name, removed = clean_text(state.get(ui.Key.SAVE_NAME) or "")
    if not name:
        state[ui.Key.SAVE_MESSAGE] = ("error", ui.pick("Hãy nhập tên kịch bản.", "Please type a scenario name."))
        return
    if len(name) > MAX_NAME:
        state[ui.Key.SAVE_MESSAGE] = (
            "error",
            ui.pick(f"Tên dài quá {MAX_NAME} ký tự.", f"Name longer than {MAX_NAME} characters."),
        )
        return
    s = ui.current_scenario()
    s.name = name
    s.description = (state.get(ui.Key.SAVE_DESCRIPTION) or "").strip()[:MAX_DESCRIPTION]
    kind, message = ui.save_scenario(
        s, (state.get(ui.Key.SAVE_AUTHOR) or "").strip()[:MAX_NAME], bool(state.get(ui.Key.SAVE_REPLACE))
    )
    if kind != "error":
        state[ui.Key.SCENARIO_NAME] = name
    if removed and kind != "error":
        kind, message = (
            "warning",
            message
            + ui.pick(
                f" Đã bỏ ký tự điều khiển ({', '.join(removed[:5])}) khỏi tên.",
                f" Control characters ({', '.join(removed[:5])}) were removed from the name.",
            ),
        )
    state[ui.Key.SAVE_MESSAGE] = (kind, message)


def lever_panel():
    """The main slider of every lever, grouped as in the report's section 4. Timing and the other
    settings are on the next tab, so a slider move redraws only these eight."""
    for group in ("b", "a"):
        st.markdown(f"**{ui.group_label(group)}**")
        for lever in [lv for lv in LEVERS if lv.group == group]:
            main = PARAM_BY_ID[lever.main_param]
            if main.id in ADOPTION_PARAMS and not ui.compiled().structural.any():
                st.caption(ui.no_structural_zero_reason(lever))
                continue
            lever_name = ui.pick(lever.label_vi, lever.label_en)
            if len(lever.params) > 1:
                lever_name += f" — {ui.pick(main.label_vi, main.label_en).lower()}"
            fixed = [p for p in lever.params if not p.switches]  # settings that shape the lever, e.g. compliance
            if fixed:
                lever_name += (
                    " ("
                    + "; ".join(
                        f"{ui.pick(p.label_vi, p.label_en).split(' (')[0].lower()} "
                        f"{ui.format_param_value(p, float(st.session_state.get(ui.Key.widget(p.id), p.default)))}"
                        for p in fixed
                    )
                    + ")"
                )
            ui.param_widget(main, label=lever_name, help_text=ui.lever_help(lever))


def details_panel():
    """One lever at a time: what it means, its evidence, its timing and its other settings."""
    st.caption(
        ui.pick(
            "Thời điểm bắt đầu, số tháng tăng dần và các thiết lập khác của từng biện pháp.",
            "Start month, ramp-up months and the other settings of each lever.",
        )
    )
    lever_ids = [lv.id for lv in LEVERS]
    # on the projector a list whose names wrap: a dropdown shows its value on one line, cut in this column
    chooser = st.radio if ui.presenting() else st.selectbox
    chosen = chooser(
        ui.pick("Biện pháp", "Lever"),
        lever_ids,
        key=ui.Key.DETAILS_LEVER,
        format_func=ui.labels(lever_ids, lambda lid: ui.pick(LEVER_BY_ID[lid].label_vi, LEVER_BY_ID[lid].label_en)),
    )
    lever_details(LEVER_BY_ID[chosen])


def set_value(key: str, value: float) -> None:
    st.session_state[key] = value


def lever_details(lever):
    for p in lever.all_params():
        if p.id != lever.main_param:
            ui.param_widget(p)
    for value, name in ui.reference_points(PARAM_BY_ID[lever.main_param]):
        st.button(
            ui.pick(f"Đặt mức áp dụng = {name} ({ui.pct(value)})", f"Set the adoption to the {name} ({ui.pct(value)})"),
            key=f"ref:{lever.main_param}:{value}",
            on_click=set_value,
            args=(ui.Key.widget(lever.main_param), value),
            icon=":material/straighten:",
        )
    if any(p.id in ADOPTION_PARAMS for p in lever.params) and not ui.compiled().structural.any():
        st.caption(ui.no_structural_zero_reason(lever))
    elif any(p.id in ADOPTION_PARAMS for p in lever.params):  # a structural switch: which districts it switches on
        c = ui.compiled()
        units = c.report.units.set_index("unit_id")
        options = list(c.not_deployed_districts)
        st.session_state.setdefault(ui.Key.DISTRICTS, options)
        st.multiselect(
            ui.pick("Các huyện được bật", "Districts switched on"),
            options=options,
            key=ui.Key.DISTRICTS,
            persist_state="session",
            wrap=True,  # every chosen district in sight, on as many lines as it takes
            **ui.choice_words(),
            format_func=ui.labels(options, lambda d: units.loc[d, "name"] if ui.lang() == "vi" else units.loc[d, "name_en"]),
        )
    with st.container(border=True):
        st.markdown(ui.lever_help(lever))


def assumptions_panel():
    st.caption(
        ui.pick(
            "Giả định tách riêng khỏi biện pháp chính sách. Mọi hệ số tác động đều là giả định, "
            "có khoảng thấp–cao; khoảng P10–P90 được tính từ các khoảng này.",
            "Assumptions are kept apart from the policy levers. Every effect size is an assumption with a "
            "low–high range; the P10–P90 band comes from these ranges.",
        )
    )
    c = ui.compiled()
    first_year = ui.data_last_month() // 12 + 1
    years = list(range(first_year, first_year + 3))
    st.session_state.setdefault(ui.Key.PLAN_YEAR, first_year)
    if st.session_state[ui.Key.PLAN_YEAR] not in years:
        years = sorted({*years, st.session_state[ui.Key.PLAN_YEAR]})
    st.selectbox(
        ui.pick("Năm kế hoạch", "Plan year"),
        years,
        key=ui.Key.PLAN_YEAR,
        persist_state="session",
        help=ui.pick(
            "Mặc định là năm sau tháng cuối cùng có số liệu; nhãn tháng, chỉ số, tệp Excel và liên kết theo năm này.",
            "By default the year after the last month with data; month labels, KPIs, the Excel file and links follow it.",
        ),
    )
    available = {
        "annual_2022": True,
        "december_run_rate": c.p_run_rate is not None,
        "series_estimate": c.series_level is not None,
    }
    for a in ASSUMPTIONS:
        key = ui.Key.assumption(a.id)
        if a.choices:
            choices = [v for v, *_ in a.choices if available.get(v, True)]
            st.session_state.setdefault(key, choices[0])
            if st.session_state[key] not in choices:  # e.g. the series was replaced by a shorter one
                st.session_state[key] = choices[0]
            labels = {v: ui.pick(lv, le) for v, lv, le in a.choices}
            st.radio(
                ui.pick(a.label_vi, a.label_en),
                choices,
                key=key,
                format_func=labels.get,
                help=ui.pick(a.source_vi, a.source_en),
                persist_state="session",
            )
            st.caption(ui.start_point_reason(st.session_state[key]))
        else:
            st.session_state.setdefault(key, a.default)
            ui.param_widget(
                Param(
                    id=a.id,
                    label_vi=a.label_vi,
                    label_en=a.label_en,
                    help_vi=a.help_vi + " " + a.source_vi,
                    help_en=a.help_en + " " + a.source_en,
                    unit=a.unit,
                    unit_en=a.unit_en,
                    min=a.min,
                    max=a.max,
                    step=a.step,
                    default=a.default,
                ),
                key=key,
            )
    st.markdown(f"**{ui.pick('Hệ số tác động (giá trị trung tâm)', 'Effect sizes (central value)')}**")
    estimated = st.session_state.get(ui.Key.ESTIMATED_EFFECTS) or {}
    for e in EFFECTS:
        key = ui.Key.effect(e.id)
        st.session_state.setdefault(key, e.central)
        step = 0.05 if e.high - e.low > 0.5 else 0.01
        est = estimated.get(e.id)
        # an estimate's range replaces the assumption's; the slider spans both, so either can be read off it
        low, high = (min(e.low, est.low), max(e.high, est.high)) if est is not None else (e.low, e.high)
        kind = ui.estimate_source(est) if est is not None else ui.pick("giả định", "assumption")
        ui.param_widget(
            Param(
                id=e.id,
                label_vi=e.label_vi,
                label_en=e.label_en,
                help_vi=e.source_vi,
                help_en=e.source_en,
                unit=e.unit,
                unit_en=e.unit_en,
                min=low,
                max=high,
                step=step,
                default=e.central,
            ),
            key=key,
            label=f"{ui.pick(e.label_vi, e.label_en)} ({kind})",
        )


def save_load_panel():
    ui.store_warning()
    # no max_chars: the browser would refuse a longer paste outright, leaving an empty field; the limit is
    # checked on saving, with a message
    st.text_input(
        ui.pick(f"Tên kịch bản (tối đa {MAX_NAME} ký tự)", f"Scenario name (at most {MAX_NAME} characters)"),
        key=ui.Key.SAVE_NAME,
        persist_state="session",
    )
    st.text_input(
        ui.pick("Mô tả (không bắt buộc)", "Description (optional)"),
        key=ui.Key.SAVE_DESCRIPTION,
        max_chars=MAX_DESCRIPTION,
        persist_state="session",
    )
    st.text_input(
        ui.pick("Người lập (không bắt buộc)", "Author (optional)"),
        key=ui.Key.SAVE_AUTHOR,
        max_chars=MAX_NAME,
        persist_state="session",
    )
    st.checkbox(
        ui.pick("Ghi đè nếu đã có kịch bản cùng tên", "Replace a scenario with the same name"),
        key=ui.Key.SAVE_REPLACE,
        persist_state="session",
    )
    st.button(ui.pick("Lưu kịch bản", "Save scenario"), on_click=save_current, icon=":material/save:")
    ui.show_message(st.session_state.pop(ui.Key.SAVE_MESSAGE, None))
    st.selectbox(
        ui.pick("Kịch bản có sẵn / đã lưu", "Built-in / saved scenarios"),
        choices := ui.scenario_ids(),
        key=ui.Key.BUILTIN_CHOICE,
        format_func=ui.labels(choices, ui.scenario_label),
        persist_state="session",
    )
    st.button(ui.pick("Nạp vào bảng điều chỉnh", "Load into the builder"), on_click=load_builtin, icon=":material/upload:")


def goal_seek_panel(s, block):
    gs_params = [lv.main_param for lv in LEVERS]
    gs_param = st.selectbox(
        ui.pick("Biện pháp", "Lever"),
        gs_params,
        key=ui.Key.GOAL_PARAM,
        format_func=ui.labels(
            gs_params, lambda pid: ui.pick(LEVER_BY_ID[pid.split(".")[0]].label_vi, LEVER_BY_ID[pid.split(".")[0]].label_en)
        ),
    )
    gcol1, gcol2 = st.columns(2)
    gs_period = gcol1.selectbox(
        ui.pick("Thời điểm", "Measure"),
        ["december", "annual"],
        key=ui.Key.GOAL_PERIOD,
        format_func=ui.labels(
            ["december", "annual"],
            lambda v: ui.pick("Tháng 12", "December") if v == "december" else ui.pick("Cả năm", "Plan year"),
        ),
    )
    gs_target = ui.percent_input(gcol2, ui.pick("Mục tiêu (%)", "Target (%)"), 20.0, ui.Key.GOAL_TARGET)
    result = goal_seek(ui.compiled(), s, gs_param, gs_target, block, gs_period)
    (st.success if result.reachable else st.warning)(ui.plain(ui.pick(result.message_vi, result.message_en)))


def unit_table(proj):
    if ui.block_only_start(proj.scenario):
        return
    u = proj.units[proj.units.has_data & (proj.units.report_dossiers > 0)]
    target = u.target_pct.to_numpy()
    language = ui.lang()  # read once: the formatters below run once per cell
    year = proj.plan_year
    table = pd.DataFrame(
        {
            ui.pick("Đơn vị", "Unit"): u.name_vi if language == "vi" else u.name_en,
            ui.pick("Hồ sơ/tháng", "Dossiers/month"): u.december_dossiers,
            ui.pick(f"Đến {ui.report_month()} (%)", f"To {ui.report_month()} (%)"): u.report_share_pct,
            ui.pick(f"T12/{year} (%)", f"Dec {year} (%)"): u.december_pct,
            ui.pick("Chỉ tiêu (%)", "Target (%)"): target,
            ui.pick("Chênh lệch (điểm %)", "Gap (pts)"): u.gap_pts,
        }
    )
    table[ui.pick("Trạng thái", "Status")] = [
        ui.status_text(v, None if tg != tg else tg, language=language)[0] for v, tg in zip(u.december_pct, target)
    ]
    cols = list(table.columns)
    number = lambda v: "—" if v != v else fmt.fixed(v, language)  # noqa: E731
    styled = table.style.format(
        {
            cols[1]: lambda v: fmt.count(v, language),
            cols[2]: number,
            cols[3]: number,
            cols[4]: number,
            cols[5]: lambda v: "—" if v != v else fmt.points(v, language).replace(" điểm %", "").replace(" pts", ""),
        }
    )
    st.caption(ui.pick(f"Chỉ tiêu theo {proj.target_set.name_vi}.", f"Targets from {proj.target_set.name_en}."))
    ui.show_table(styled, height=420)
    ui.csv_button(table, "don-vi", "units")


def sensitivity_panel(s, block):
    sens = sensitivity(ui.compiled(), s, block)
    # an assumption whose low and high ends give the same share (its lever is off in this scenario) is
    # named in a sentence, not drawn as an empty row reading "11,10% 11,10%"
    moves = (sens.at_high_pct - sens.at_low_pct).abs() >= 0.005
    still = [ui.pick(a, b_) for a, b_ in zip(sens.label_vi[~moves], sens.label_en[~moves])]
    if still:
        st.caption(
            ui.pick(
                f"{len(still)} giả định không làm kết quả thay đổi trong kịch bản này (biện pháp của chúng chưa được dùng): "
                + "; ".join(still)
                + ".",
                f"{len(still)} assumptions do not change the result in this scenario (their levers are not used): "
                + "; ".join(still)
                + ".",
            )
        )
    if not moves.any():
        return
    top = sens[moves].head(8).iloc[::-1]
    names_s = [ui.pick(a, b_) for a, b_ in zip(top.label_vi, top.label_en)]
    fig_s = go.Figure()
    for at_end, (vi, en), colour in (
        (top.at_low_pct, ("Mức thấp", "Low"), ui.OKABE_ITO[3]),
        (top.at_high_pct, ("Mức cao", "High"), ui.OKABE_ITO[5]),
    ):
        fig_s.add_trace(
            go.Bar(
                y=names_s,
                x=at_end - top.central_pct,
                base=top.central_pct,
                orientation="h",
                name=ui.pick(vi, en),
                marker_color=colour,
                text=[ui.pct(v) for v in at_end],
                textposition="outside",
                cliponaxis=False,
            )
        )
    ui.base_layout(fig_s, height=120 + 40 * len(top))
    fig_s.update_layout(barmode="overlay", margin=dict(l=10, r=90, t=40, b=10))
    # room on both sides for the value labels: a label outside its bar is never cut at the axis
    lo, hi = float(min(top.at_low_pct.min(), top.central_pct.min())), float(max(top.at_high_pct.max(), top.central_pct.max()))
    pad = max(0.5, 0.45 * (hi - lo))
    fig_s.update_xaxes(ticksuffix="%", range=[max(0.0, lo - pad), min(100.0, hi + pad)])
    ui.show_chart(
        fig_s, sens, "do-nhay", "sensitivity", alt=ui.pick("Độ nhạy theo từng giả định", "Sensitivity to each assumption")
    )


st.header(ui.pick("Kịch bản — điều chỉnh biện pháp", "Scenario builder — move the levers"))


def trajectory_view(proj, block):
    lines = proj.lines(block)
    target = proj.target(block)
    fig = ui.trajectory_spec(
        [
            {"name": ui.t("scenario_line"), "values": lines["scenario"].to_numpy(), "color": ui.SCENARIO_COLOR},
            {
                "name": ui.pick("Hiện trạng (chỉ đà tăng giả định)", "Status quo (assumed momentum only)"),
                "values": lines["status_quo"].to_numpy(),
                "color": ui.OKABE_ITO[1],
                "width": 2,
            },
            {
                "name": ui.t("baseline_line"),
                "values": lines["flat"].to_numpy(),
                "color": ui.BASELINE_COLOR,
                "dash": "dot",
                "width": 2,
            },
        ],
        target,
        height=ui.chart_height(),
        **ui.projection_bands(proj, block),
    )
    traj = pd.DataFrame(
        {
            "month": ui.month_labels(proj.plan_year),
            "scenario_pct": lines["scenario"].to_numpy(),
            "p10_pct": lines["p10"].to_numpy(),
            "p90_pct": lines["p90"].to_numpy(),
            "status_quo_pct": lines["status_quo"].to_numpy(),
            "baseline_pct": lines["flat"].to_numpy(),
            "measured_pct": lines["measured"].to_numpy(),
            "target_pct": target,
        }
        | {f"{name}_pct": lines[name].to_numpy() for name in proj.NAMED_BAND_LINES if name in lines}
    )
    ui.show_chart(
        fig,
        traj,
        "quy-dao",
        "trajectory",
        fit=ui.chart_fit(),
        alt=ui.pick(
            f"Quỹ đạo tỷ lệ hồ sơ trực tuyến {ui.block_label(block)} theo tháng", f"Monthly trajectory, {ui.block_label(block)}"
        ),
    )


def waterfall_view(proj, block):
    """Starting point → momentum → each behavioural lever (Shapley, December) → scenario, then the
    measurement correction → measured, apart."""
    figures = proj.block(block)
    steps = waterfall_steps(proj, ui.lever_contributions(proj.scenario), block)
    names = [ui.pick(step.label_vi, step.label_en) for step in steps]
    values = [step.value for step in steps]
    measures = [step.measure for step in steps]
    start = steps[0].value
    values = [float(v) for v in values]
    layout = ui.layout_spec(height=max(ui.chart_height(), 80 + 38 * len(values)))
    layout["xaxis"].update(ticksuffix="%", range=[0, max(values[-1], figures.december, start) * 1.25 + 1])
    # Plotly adds the steps up in data order, so the data run start → levers → scenario and the
    # axis is reversed to read top-down (reversing the data instead summed from the scenario bar).
    layout["yaxis"]["autorange"] = "reversed"
    layout.update(showlegend=False, margin=dict(l=10, r=70, t=10, b=10))
    # long lever names on two or three lines, so the bars keep their width at 1280 px
    wrapped = ["<br>".join(textwrap.wrap(name, 30)) for name in names]
    wf = {
        "layout": layout,
        "data": [
            dict(
                type="waterfall",
                orientation="h",
                y=wrapped,
                x=values,
                measure=measures,
                text=[ui.pct(v) if m != "relative" else ui.pts(v) for v, m in zip(values, measures)],
                textposition="outside",
                cliponaxis=False,
                increasing=dict(marker=dict(color=ui.OKABE_ITO[2])),
                decreasing=dict(marker=dict(color=ui.OKABE_ITO[3])),
                totals=dict(marker=dict(color=ui.OKABE_ITO[0])),
                connector=dict(line=dict(color="#888")),
            )
        ],
    }
    ui.show_chart(
        wf,
        pd.DataFrame({"step": names, "points_or_share": values, "measure": measures}),
        "dong-gop",
        "waterfall",
        alt=ui.pick("Đóng góp của từng biện pháp", "Contribution of each lever"),
    )
    st.caption(
        ui.pick(
            "Đóng góp tính theo giá trị Shapley: không phụ thuộc thứ tự áp dụng và cộng lại đúng bằng tổng thay đổi.",
            "Contributions are Shapley values: independent of the order levers are applied in, and they add up "
            "to the total change.",
        )
    )


def view_switch(key: str, label_vi: str, label_en: str, views: dict[str, tuple[str, str, object, tuple]]) -> None:
    """The view chooser (ui.view_chooser) with each view's panel: only the chosen one runs, so a slider
    move rebuilds only what is in sight. views: id → (label_vi, label_en, render, args). (A tab bar
    redrawn on every slider move cost the browser ≈ 13 ms per bar, `bench/browser_profile.py`.)"""
    choice = ui.view_chooser({v: (vi, en) for v, (vi, en, _, _) in views.items()}, key, label_vi, label_en)
    _, _, render, args = views[choice]
    render(*args)


@st.fragment
def builder():
    left, right = st.columns([0.37, 0.63], gap="medium")
    # The projection comes before any element is sent: the widgets' new values are already in
    # session state, and the browser then gets the whole page in one burst and renders it once,
    # instead of rendering the sliders while the model runs and everything again after it.
    s = ui.current_scenario()
    ui.remember_current(s)
    # No spinner: an uncached projection takes about 15 ms on the 2022 report and 70 ms on 400 units with
    # 36 months (`make bench`), and a spinner shown and removed on every move costs the browser more than
    # it saves.
    proj = ui.projection(s)

    with right:
        block = ui.block_chooser(proj.blocks)
        figures = proj.block(block)
        targets = proj.target_set
        # Two cards and one line, not four cards: at 1280×720 the answer and the whole chart fit on the
        # first screen (four cards pushed the chart's month axis below it).
        k1, k2 = st.columns(2)
        text, colour = ui.status_text(figures.december, figures.target, show_target=True)
        target_help = (
            ui.pick(
                f"Chỉ tiêu: {ui.pct(figures.target)} ({targets.name_vi})", f"Target: {ui.pct(figures.target)} ({targets.name_en})"
            )
            if figures.target is not None
            else None
        )
        k1.metric(
            ui.pick(f"Tháng 12/{s.plan_year} (dự báo)", f"December {s.plan_year} (projected)"),
            ui.pct(figures.december),
            delta=text,
            delta_color=colour,
            delta_arrow="off",
            border=True,
            help=target_help,
        )
        if proj.has_named_bands:
            # Started from the data's months: the month band says where December's observed share should
            # fall (month noise, shocks and the binomial at December's volume included).
            low, high = proj.line(block, "month_p10").loc[12], proj.line(block, "month_p90").loc[12]
            k2.metric(
                ui.pick("Dải dự báo tháng 12 (P10–P90)", "December month band (P10–P90)"),
                f"{fmt.number(low, ui.lang(), 1)}–{ui.pct(high, 1)}",
                border=True,
                help=ui.pick(
                    "Tháng 12 quan sát được nằm trong dải này ở 8 trên 10 lần, theo dao động các tháng đã có số liệu "
                    "(kiểm định trên các tháng giữ lại: trang Giả định). Dải của xu hướng, hẹp hơn, là nơi tỷ lệ kỳ vọng nằm.",
                    "An observed December falls in this band 8 times in 10, given how the months with data varied "
                    "(checked on held-out months: Assumptions page). The narrower trend band is where the expected share lies.",
                ),
            )
        else:
            k2.metric(
                ui.pick("Khoảng P10–P90", "P10–P90 range"),
                f"{fmt.number(figures.p10, ui.lang(), 1)}–{ui.pct(figures.p90, 1)}",
                border=True,
                help=ui.pick(
                    "80% kết quả mô phỏng nằm trong khoảng này, theo khoảng giả định của các hệ số.",
                    "80% of the simulated results lie within this range, given the assumed effect-size ranges.",
                ),
            )
        services = proj.services(12)
        # data without service counts (the monthly CSV has none) says nothing rather than "no data" in bold
        services_vi = "" if math.isnan(services) else f" · DVCTT có hồ sơ trực tuyến (T12): **{ui.pct(services)}**"
        services_en = "" if math.isnan(services) else f" · Services with online dossiers (Dec): **{ui.pct(services)}**"
        st.markdown(
            ui.pick(
                f"Cả năm {s.plan_year}: **{ui.pct(figures.annual)}**{services_vi}",
                f"Plan year {s.plan_year}: **{ui.pct(figures.annual)}**{services_en}",
            )
        )
        # With indicators loaded, the points are part of the answer: beside the share, above the chart.
        points = index766_ui.scenario_score(proj)
        points_shown = index766_ui.scenario_points(points, s.plan_year)
        view_switch(
            ui.Key.RESULT_VIEW,
            "Biểu đồ",
            "Chart",
            {
                "trajectory": ("Quỹ đạo theo tháng", "Monthly trajectory", trajectory_view, (proj, block)),
                "waterfall": (
                    "Đóng góp của từng biện pháp (T12)",
                    "Contribution of each lever (Dec)",
                    waterfall_view,
                    (proj, block),
                ),
            },
        )
        # Below the chart: at 1280×720 the answer and the whole chart come first; these explain it. The
        # notice of estimated effects is here too (above the page it pushed the chart off the first screen).
        ui.show_evidence_notice(s)
        index766_ui.scenario_hint(points, s.plan_year, points_shown)
        step = bridge(proj, ui.data_standing(), block, resolved_start_point(ui.compiled(), s) == "series_estimate")
        if step is not None:
            last, first = ui.month_text(step.last_period), f"01/{s.plan_year}"
            st.caption(
                ui.pick(
                    f"Tháng {first} dự báo {ui.pct(step.first_pct)}, tháng có số liệu cuối ({last}) là {ui.pct(step.last_pct)}: "
                    f"khác {ui.pts(step.gap_pts)} vì {step.reason_vi}.",
                    f"{first} is projected at {ui.pct(step.first_pct)}, the last month with data ({last}) was "
                    f"{ui.pct(step.last_pct)}: {ui.pts(step.gap_pts)} apart because {step.reason_en}.",
                )
            )
        if proj.has_measurement_correction():
            st.caption(
                ui.pick(
                    f"Đo được (kể cả kết nối hệ thống bộ): **{ui.pct(figures.december_measured)}** — hiệu chỉnh đo lường "
                    f"{ui.pts(figures.december_measured - figures.december)}, không phải người dân nộp trực tuyến nhiều hơn.",
                    f"Measured (with the ministry-system link): **{ui.pct(figures.december_measured)}** — a measurement "
                    f"correction of {ui.pts(figures.december_measured - figures.december)}, not more citizens submitting online.",
                )
            )

    with left:
        # short labels: all three fit the lever column at 1280 px in presentation mode
        view_switch(
            ui.Key.SCENARIO_VIEW,
            "Bảng điều chỉnh",
            "Panel",
            {
                "levers": ("Biện pháp", "Levers", lever_panel, ()),
                "details": ("Chi tiết", "Details", details_panel, ()),
                "assumptions": ("Giả định", "Assumptions", assumptions_panel, ()),
            },
        )

    st.markdown(f"**{ui.pick('Tóm tắt', 'Summary')}:** " + ui.plain(ui.scenario_summary(proj)))
    ui.lazy_section("Cần bao nhiêu để đạt?", "What would it take?", ui.Key.GOAL_OPEN, goal_seek_panel, s, block)
    index766_ui.lever_points_section(s)
    ui.lazy_section(
        "Từng đơn vị: số liệu báo cáo, kịch bản tháng 12, chỉ tiêu",
        "Each unit: the report, scenario December, target",
        ui.Key.UNITS_OPEN,
        unit_table,
        proj,
    )
    ui.lazy_section(
        "Giả định nào ảnh hưởng nhiều nhất? (độ nhạy)",
        "Which assumption matters most? (sensitivity)",
        ui.Key.SENSITIVITY_OPEN,
        sensitivity_panel,
        s,
        block,
    )
    address_bar.follow("kich-ban")


builder()
# Outside the fragment: saving and loading act on a click, not on a slider move, so a move does not
# redraw them. Loading sets the widgets from a callback, and the full rerun redraws the builder.
# Built only while open (its seven inputs were a sixth of a visit's browser time, below the fold);
# what is typed in it is kept while it is closed.
ui.lazy_section("Lưu và nạp kịch bản", "Save and load", ui.Key.SAVE_OPEN, save_load_panel)
