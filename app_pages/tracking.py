"""Theo dõi thực hiện — the year's plan of record against the actual months."""

import html

import pandas as pd
import streamlit as st

import ui
from model import fmt
from model.analysis import DEFAULT_DRAWS
from model.calibration import BAND_LABEL
from model.excel import build_workbook
from model.limits import MAX_NAME
from model.scenario import Scenario
from model.targets import target_set_from_json
from model.tracking import STATUS_LABEL, PlanOfRecord, for_file, freeze, track
from ui import index766 as index766_ui

st.header(ui.pick("Theo dõi thực hiện kế hoạch", "Tracking the plan"))
STATUS_COLOUR = {"ahead": "#1a7f37", "on_track": "#0b5394", "behind": "#b42318", "no_data": "#555555"}


def save_current_as_plan() -> None:
    state = st.session_state
    name = (state.get(ui.Key.PLAN_NAME) or "").strip()
    if not name:
        state[ui.Key.PLAN_MESSAGE] = ("error", ui.pick("Hãy nhập tên kế hoạch.", "Please type a name for the plan."))
        return
    scenario = ui.remembered_current()
    # the plan keeps the export's band (more points than a slider move needs), frozen with the data version
    proj = ui.projection(scenario, draws=DEFAULT_DRAWS)
    state[ui.Key.PLAN_MESSAGE] = ui.save_plan(freeze(proj, name[:MAX_NAME], ui.data_version()))
    state.pop(ui.Key.PLAN_CHOICE, None)  # show the newest plan


plans = ui.saved_plans()
ui.store_warning()  # a read-only library: every plan listed, saving off — said here too
with st.expander(
    ui.pick("Lưu kịch bản đang dùng làm kế hoạch của năm", "Save the active scenario as the year's plan"), expanded=not plans
):
    current = ui.remembered_current()
    name = ui.plain(ui.scenario_name(current))  # the default name follows the language; a typed one shown as text
    st.caption(
        ui.pick(
            f"Kịch bản “{name}”, năm {current.plan_year}, theo {ui.active_targets().name_vi}. Quỹ đạo, khoảng "
            "P10–P90 và chỉ tiêu được lưu cố định cùng phiên bản số liệu; sửa kịch bản sau này không đổi kế hoạch đã lưu, "
            "lưu lại sẽ tạo phiên bản mới.",
            f"Scenario “{name}”, year {current.plan_year}, against {ui.active_targets().name_en}. Its trajectory, "
            "P10–P90 band and targets are frozen with the data version; editing the scenario later never changes a saved "
            "plan, and saving again makes a new version.",
        )
    )
    st.text_input(
        ui.pick("Tên kế hoạch", "Plan name"),
        key=ui.Key.PLAN_NAME,
        max_chars=MAX_NAME,
        placeholder=ui.pick(f"Kế hoạch năm {current.plan_year}", f"Plan {current.plan_year}"),
    )
    st.button(ui.pick("Lưu làm kế hoạch", "Save as the plan"), on_click=save_current_as_plan, icon=":material/flag:")
# outside the expander: it closes once a plan exists, and the outcome must stay in sight
ui.show_message(st.session_state.pop(ui.Key.PLAN_MESSAGE, None))

if not plans:
    st.info(
        ui.pick(
            "Chưa có kế hoạch nào được lưu. Lưu kịch bản đang dùng làm kế hoạch ở trên để theo dõi.",
            "No plan saved yet. Save the active scenario as the plan above to track it.",
        )
    )
    st.stop()

labels = list(plans)
choice = st.selectbox(ui.pick("Kế hoạch", "Plan"), labels, key=ui.Key.PLAN_CHOICE)
plan = ui.load_plan(plans[choice])
if not isinstance(plan, PlanOfRecord):  # a damaged row, named by its number; the others stay in the list
    st.error(ui.plain(ui.pick(plan.message_vi, plan.message_en)), icon=":material/error:")
    st.stop()
series = ui.active_series()
tracking = track(plan, series)
block = ui.block_chooser(plan.blocks)
target = plan.target(block)
planned, plan_p10, plan_p90 = plan.line(block, "plan"), plan.line(block, "p10"), plan.line(block, "p90")
actual = tracking.block_actual[tracking.block_actual.block == block]

# ---------------------------------------------------------------- the answer: where the block stands
c1, c2, c3 = st.columns(3)
if len(actual):
    last = actual.iloc[-1]
    word = ui.pick(*STATUS_LABEL[last.status])
    c1.metric(
        ui.pick(f"Thực tế tháng {int(last.month)}/{plan.plan_year}", f"Actual, {int(last.month)}/{plan.plan_year}"),
        ui.pct(last.share_pct),
        delta=f"{word} ({ui.pts(last.share_pct - last.plan_pct)})",
        delta_color={"ahead": "green", "behind": "red"}.get(last.status, "gray"),
        delta_arrow="off",
        border=True,
    )
    c2.metric(
        ui.pick("Kế hoạch tháng đó (P10–P90)", "Plan that month (P10–P90)"),
        ui.pct(last.plan_pct),
        delta=f"{fmt.number(last.p10_pct, ui.lang(), 1)}–{ui.pct(last.p90_pct, 1)}",
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=ui.pick(
            "Khoảng là dải dự báo tháng: nơi một tháng quan sát được nên rơi vào, 8 trên 10 lần.",
            "The range is the month band: where an observed month should fall, 8 times in 10.",
        )
        if plan.band_kind == "month"
        else ui.pick(
            "Khoảng là 80% kết quả mô phỏng theo khoảng giả định của các hệ số (kế hoạch lập từ báo cáo).",
            "The range holds 80% of the simulated results over the assumed effect sizes (a plan made from a report).",
        ),
    )
else:
    c1.metric(ui.pick("Thực tế", "Actual"), "—", border=True)
    c2.metric(ui.pick("Kế hoạch tháng 12", "Plan, December"), ui.pct(planned[12]), border=True)
c3.metric(
    ui.pick("Chỉ tiêu", "Target"),
    "—" if target is None else ui.pct(target),
    border=True,
    help=ui.pick(plan.target_set_name_vi, plan.target_set_name_en),
)
st.caption(ui.pick(tracking.note_vi, tracking.note_en))

series_lines = [{"name": ui.pick("Kế hoạch", "Plan"), "values": planned.to_numpy(), "color": ui.SCENARIO_COLOR}]
# A plan saved from the data's months carries the month band (where an observed month should fall),
# the band its verdicts use; an older or report-based plan its effect-size P10–P90 range.
band_name = ui.pick(*BAND_LABEL["month"]).capitalize() if plan.band_kind == "month" else ui.t("band")
fig = ui.trajectory_spec(
    series_lines,
    target,
    bands=[{"name": band_name, "low": plan_p10.to_numpy(), "high": plan_p90.to_numpy(), "fill": ui.MONTH_BAND_COLOR}],
    height=460 if ui.presenting() else 420,
)
if len(actual):
    fig["data"].append(
        dict(
            type="scatter",
            x=[fmt.MONTH_ABBR[ui.lang()][int(m) - 1] for m in actual.month],
            y=[float(v) for v in actual.share_pct],
            mode="markers",
            name=ui.pick("Thực tế", "Actual"),
            marker=dict(size=13, color="#000000", symbol="diamond"),
            customdata=[ui.pct(v) for v in actual.share_pct],
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
ui.show_chart(
    fig,
    pd.DataFrame(
        {
            "month": ui.month_labels(plan.plan_year),
            "plan_pct": planned.to_numpy(),
            "p10_pct": plan_p10.to_numpy(),
            "p90_pct": plan_p90.to_numpy(),
            "actual_pct": [actual.set_index("month").share_pct.get(m) for m in range(1, 13)],
            "target_pct": target,
        }
    ),
    "theo-doi",
    "tracking",
    alt=ui.pick("Kế hoạch và thực tế theo tháng", "Plan and actual by month"),
)

# ---------------------------------------------------------------- each unit
st.subheader(ui.pick("Từng đơn vị: kế hoạch và thực tế lũy kế", "Each unit: plan and actual, year to date"))
units = tracking.units
order = units.assign(_o=units.status.map({"behind": 0, "on_track": 1, "ahead": 2, "no_data": 3})).sort_values(["_o", "gap_pts"])
table = pd.DataFrame(
    {
        ui.pick("Đơn vị", "Unit"): order.name_vi if ui.lang() == "vi" else order.name_en,
        ui.pick("Kế hoạch lũy kế (%)", "Plan, year to date (%)"): order.plan_ytd_pct,
        ui.pick("Thực tế lũy kế (%)", "Actual, year to date (%)"): order.actual_ytd_pct,
        ui.pick("Chênh lệch (điểm %)", "Gap (pts)"): order.gap_pts,
        ui.pick("Trạng thái", "Status"): [ui.pick(*STATUS_LABEL[s]) for s in order.status],
        ui.pick("Chỉ tiêu (%)", "Target (%)"): order.target_pct,
        ui.pick(
            "Hồ sơ trực tuyến cần mỗi tháng còn lại", "Online dossiers needed a month for the rest of the year"
        ): order.needed_online_per_month,
    }
)
colours = [STATUS_COLOUR[s] for s in order.status]
cols = list(table.columns)
number = lambda v: "—" if v != v or v is None else fmt.fixed(v, ui.lang())  # noqa: E731
styled = table.style.format(
    {
        cols[1]: number,
        cols[2]: number,
        cols[3]: lambda v: "—" if v != v else ui.pts(v),
        cols[5]: number,
        cols[6]: lambda v: "—" if v != v else fmt.count(v, ui.lang()),
    }
).apply(lambda col: [f"color: {c}; font-weight: 600" for c in colours], subset=[cols[4]])
ui.show_table(styled, height=420)
st.caption(
    ui.pick(
        f"Kế hoạch “{html.escape(plan.name)}” phiên bản {plan.version}, lưu lúc {ui.moment(plan.created_at)}, số liệu {plan.data_version}. "
        "Đơn vị chậm nhất ở trên cùng.",
        f"Plan “{html.escape(plan.name)}” version {plan.version}, saved {ui.moment(plan.created_at)}, data {plan.data_version}. "
        "Units furthest behind first.",
    )
)
d1, d2 = st.columns(2)
with d1:
    # the file as the table reads: shares to two decimals, dossiers whole
    ui.csv_button(for_file(table, [table.columns[-1]]), "theo-doi-don-vi", "tracking-units")
# read in the run: the file is built later, on the click, without the session
indicators_766, compiled_now, coverage = index766_ui.indicators(), ui.compiled(), ui.export_coverage()
d2.download_button(
    ui.pick("Tải tệp Excel (có trang Theo dõi)", "Download Excel (with the Tracking sheet)"),
    data=lambda: build_workbook(
        compiled_now,
        [Scenario.from_json(plan.scenario_json)],
        target_set_from_json(plan.target_set_json),
        tracking=tracking,
        indicators=indicators_766,
        coverage=coverage(),
    ),
    file_name=f"theo-doi-{plan.plan_year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="excel-tracking",
    icon=":material/table_view:",
    on_click="ignore",
)
