"""So sánh — scenarios side by side, against the targets."""

import pandas as pd
import streamlit as st

import ui
from model import fmt
from model.levers import LEVER_BY_ID, LEVERS, PARAM_BY_ID
from model.scenario import ADOPTION_PARAMS, resolved_adoption_pct
from model.views import compare_lines

st.header(ui.pick("So sánh kịch bản", "Compare scenarios"))

ids = ui.scenario_ids() + [ui.CURRENT_ID]
# identity by id, never by label: the language switch and a long name change labels, not the selection
st.session_state.setdefault(ui.Key.COMPARE_CHOICE, ["builtin:status_quo", "builtin:recommendations", ui.CURRENT_ID])
st.session_state[ui.Key.COMPARE_CHOICE] = [i for i in st.session_state[ui.Key.COMPARE_CHOICE] if i in ids]
chosen = st.multiselect(
    ui.pick("Chọn kịch bản (từ 2 trở lên)", "Choose scenarios (two or more)"),
    ids,
    key=ui.Key.COMPARE_CHOICE,
    format_func=ui.labels(ids, ui.scenario_label),
    persist_state="session",
    wrap=True,
    **ui.choice_words(),
)
if len(chosen) < 2:
    st.warning(ui.pick("Hãy chọn ít nhất 2 kịch bản để so sánh.", "Choose at least two scenarios to compare."))
    st.stop()
scenarios = [ui.scenario_by_id(i) for i in chosen]
names = [ui.scenario_label(i) for i in chosen]
for s in scenarios:
    ui.show_evidence_notice(s)
with st.spinner(ui.t("computing")):
    projs = [ui.projection(s) for s in scenarios]
badge_blocks = [b for b in projs[0].blocks if b != "district_offices"]

# ---------------------------------------------------------------- the answer first: trajectories, then targets met
block = ui.block_chooser(projs[0].blocks)
view = compare_lines(projs, names, block)
left, right = st.columns([0.62, 0.38], gap="medium")
with left:
    # names typed by users are escaped and wrapped (by the chart: ui.legend_label); a line hidden exactly under
    # another is named in the legend ("trùng với …"), so nobody wonders where it went
    series = []
    for i, (name, twin) in enumerate(zip(names, view.twins)):
        label = name + (ui.pick(f" (trùng với {twin})", f" (same as {twin})") if twin else "")
        series.append(
            {
                "name": label,
                "values": view.lines[name].to_numpy(),
                "color": ui.OKABE_ITO[i % 8] if i != 3 else ui.OKABE_ITO[4],
                "dash": "dash" if twin else "solid",
            }
        )
    fig = ui.trajectory_spec(series, projs[0].target(block), height=ui.chart_height())
    data = pd.DataFrame({"month": ui.month_labels(scenarios[0].plan_year), **{n: view.lines[n].to_numpy() for n in names}})
    ui.show_chart(
        fig, data, "quy-dao-so-sanh", "compare-trajectories", alt=ui.pick("Quỹ đạo các kịch bản", "Trajectories of the scenarios")
    )
with right:
    st.markdown(f"**{ui.pick('Đạt chỉ tiêu? (tháng 12)', 'Targets met? (December)')}**")
    for name, proj in zip(names, projs):
        figures = proj.block(block)
        text, colour = ui.status_text(figures.december, figures.target)
        # coloured inline text wraps on a narrow screen (a badge would be cut off); ✓/✗ and the words carry it
        st.markdown(f"{ui.plain(name)}: **{ui.pct(figures.december)}** — :{colour}[**{text}**]")

# ---------------------------------------------------------------- summary table (Scenario Manager style), collapsible


def summary_table() -> None:
    """Every block's figures and every lever's setting, one column a scenario. Built only while its
    section is open: a visit to the page does not format and send ~40 rows nobody has opened."""
    rows = []
    for blk in badge_blocks:
        figures = [p.block(blk) for p in projs]
        rows.append([f"{ui.block_label(blk)} — {ui.pick('T12', 'Dec')}"] + [ui.pct(f.december) for f in figures])
        if blk == "province":
            rows.append([f"{ui.block_label(blk)} — P10–P90"] + [f"{ui.pct(f.p10, 1)} – {ui.pct(f.p90, 1)}" for f in figures])
            rows.append([f"{ui.block_label(blk)} — {ui.pick('cả năm', 'plan year')}"] + [ui.pct(f.annual) for f in figures])
            if any(p.has_measurement_correction() for p in projs):
                rows.append(
                    [
                        f"{ui.block_label(blk)} — {ui.pick('T12 đo được (kể cả kết nối hệ thống bộ)', 'Dec measured (incl. ministry link)')}"
                    ]
                    + [ui.pct(f.december_measured) for f in figures]
                )
    rows.append(
        [ui.pick("DVCTT có hồ sơ trực tuyến — T12", "Services with online dossiers — Dec")]
        + [ui.pct(p.services(12)) for p in projs]
    )
    for lever in LEVERS:
        for param in lever.params:
            settings_ = [s.settings[param.id] for s in scenarios]
            if param.id in ADOPTION_PARAMS:
                settings_ = [resolved_adoption_pct(ui.compiled(), s, param.id) for s in scenarios]
            label = (ui.pick(lever.label_vi, lever.label_en), ui.pick(param.label_vi, param.label_en))
            cells = [
                (ui.pick("bật", "on") if v else ui.pick("tắt", "off"))
                if param.widget == "toggle"
                else ui.format_param_value(param, v)
                for v in settings_
            ]
            start = [fmt.month_label(int(s.settings[lever.start_param]), s.plan_year, ui.lang()) for s in scenarios]
            rows.append(
                [*label]
                + [
                    f"{c} ({ui.pick('từ', 'from')} {m})" if v and param.switches else c
                    for c, m, v in zip(cells, start, settings_)
                ]
            )
    rows = [r if len(r) == len(chosen) + 2 else [r[0], ""] + r[1:] for r in rows]
    summary_table = pd.DataFrame(
        rows, columns=[ui.pick("Chỉ số / biện pháp", "KPI / lever"), ui.pick("Tham số", "Setting")] + names
    )
    ui.show_table(summary_table, height=ui.grid_height(len(rows), most=620))
    ui.csv_button(summary_table, "so-sanh", "compare")


ui.lazy_section(
    "Bảng tóm tắt (mọi khối, mọi biện pháp)",
    "Summary table (every block, every lever)",
    ui.Key.COMPARE_SUMMARY_OPEN,
    summary_table,
)

# ---------------------------------------------------------------- two-lever heat map, on demand


def heat_map() -> None:
    """Province December share over a grid of two levers' settings. Built only while its section is
    open: its 121 labelled cells were the heaviest thing drawn on a visit to this page (≈ 100 ms of
    browser time), and the answer (the trajectories and the targets met) is above it."""
    params = [lv.main_param for lv in LEVERS] + ["paper_stop.department_pct", "paper_stop.district_pct"]
    label_of = lambda pid: (
        f"{ui.pick(LEVER_BY_ID[pid.split('.')[0]].label_vi, LEVER_BY_ID[pid.split('.')[0]].label_en)}"
        + (
            ""
            if pid == LEVER_BY_ID[pid.split(".")[0]].main_param
            else f" — {ui.pick(PARAM_BY_ID[pid].label_vi, PARAM_BY_ID[pid].label_en)}"
        )
    )
    hc1, hc2, hc3 = st.columns(3)
    px = hc1.selectbox(
        ui.pick("Biện pháp trục ngang", "Lever on the x axis"),
        params,
        index=1,
        key=ui.Key.HEAT_X,
        persist_state="session",  # kept while the section is closed
        format_func=ui.labels(params, label_of),
    )
    py = hc2.selectbox(
        ui.pick("Biện pháp trục dọc", "Lever on the y axis"),
        params,
        index=2,
        key=ui.Key.HEAT_Y,
        persist_state="session",
        format_func=ui.labels(params, label_of),
    )
    base_id = hc3.selectbox(
        ui.pick("Các biện pháp khác giữ như", "Other levers as in"),
        chosen,
        key=ui.Key.HEAT_BASE,
        format_func=ui.labels(chosen, ui.scenario_label),
    )
    if px == py:
        st.warning(ui.pick("Hãy chọn hai biện pháp khác nhau.", "Choose two different levers."))
    else:
        xs, ys, z = ui.heat(scenarios[chosen.index(base_id)], px, py)
        unit_x, unit_y = PARAM_BY_ID[px].unit, PARAM_BY_ID[py].unit
        tick = lambda v, u: ui.pct(v, 0 if v == int(v) else 1) if u == "%" else fmt.number(v, ui.lang())
        # a plain plotly dict: a go.Figure validates every property (≈ 15 ms of each visit)
        layout = ui.layout_spec(height=520)
        # long lever names wrap: the y title runs along the plot's 520-px height and was cut off at 1280 px
        layout["xaxis"].update(title=dict(text=ui.wrapped_text(label_of(px), 60)), type="category")
        layout["yaxis"].update(title=dict(text=ui.wrapped_text(label_of(py), 34)), type="category")
        heat = {
            "data": [
                dict(
                    type="heatmap",
                    x=[tick(v, unit_x) for v in xs],
                    y=[tick(v, unit_y) for v in ys],
                    z=[[float(v) for v in row] for row in z],
                    colorscale="Cividis",
                    text=[[ui.pct(v, 1) for v in row] for row in z],
                    texttemplate="%{text}",
                    hovertemplate="%{x}, %{y}: %{text}<extra></extra>",
                    colorbar=dict(title=dict(text=ui.pick("T12", "Dec")), ticksuffix="%"),
                )
            ],
            "layout": layout,
        }
        table = pd.DataFrame(z, columns=[f"{px}={v:g}" for v in xs])
        table.insert(0, py, ys)
        ui.show_chart(heat, table, "bang-do-nhay", "heatmap", alt=ui.pick("Bảng độ nhạy hai biện pháp", "Two-lever sensitivity"))


ui.lazy_section(
    "Bảng độ nhạy hai biện pháp (tỷ lệ toàn tỉnh tháng 12)",
    "Two-lever sensitivity (province, December)",
    ui.Key.HEAT_OPEN,
    heat_map,
)
