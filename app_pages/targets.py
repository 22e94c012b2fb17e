"""Chỉ tiêu — next year's targets, in two views (the target set with each unit's status; the
allocation with its annex), and the Excel export under both."""

import numpy as np
import pandas as pd
import streamlit as st

import ui
from model import fmt
from model.allocation import DEFAULT_CAP_PCT, METHODS, effort
from model.excel import build_workbook
from model.targets import MEASURE_LABEL, TARGET_BLOCKS, TargetSet, target_for, validate_table
from ui import index766 as index766_ui

st.header(ui.pick("Chỉ tiêu năm kế hoạch", "Plan-year targets"))
c = ui.compiled()
seg = c.seg[c.seg.has_data & (c.seg.volume > 0)].reset_index(drop=True)
scenario = ui.remembered_current()
ui.show_evidence_notice(scenario)
sets = ui.target_sets()
lang = ui.lang()  # read once: the formatters below run once per cell

# %g: whole-number targets read "80", not "80.00" (the grid's number format is not locale-aware)
number = st.column_config.NumberColumn(min_value=0.0, max_value=100.0, step=0.01, format="%g")
online_col, services_col = ui.pick(*MEASURE_LABEL["online_pct"]), ui.pick(*MEASURE_LABEL["services_pct"])
code_col, scope_col = ui.pick("Mã", "Code"), ui.pick("Phạm vi", "Scope")


def editable(target_id: str):
    """Edits never change a shipped set: the first edit works on a copy marked "(đã sửa)"."""
    original = sets[target_id]
    return (
        original
        if target_id.startswith("custom")
        else original.copy(f"custom_{target_id}", original.name_vi + " (đã sửa)", original.name_en + " (edited)")
    )


def target_set_chooser() -> str:
    """The active target set's id, chosen above the answer (each unit against it)."""
    st.session_state.setdefault(ui.Key.TARGET_SET, ui.active_targets().id)
    set_id = st.selectbox(
        ui.pick(
            "Bộ chỉ tiêu đang dùng (cho mọi trang, tệp Excel và biện pháp giao chỉ tiêu)",
            "Active target set (for every page, the Excel file and the unit-target lever)",
        ),
        list(sets),
        key=ui.Key.TARGET_SET,
        persist_state="session",
        format_func=ui.labels(list(sets), lambda k: ui.pick(sets[k].name_vi, sets[k].name_en)),
    )
    active = sets[set_id]
    st.caption(
        ui.pick(
            f"Năm {active.year}. Nguồn: {ui.target_source(active)}. Chi tiết: trang Giả định & dữ liệu, phần Nguồn trích dẫn.",
            f"Year {active.year}. Source: {ui.target_source(active)}. Details: the Assumptions & data page, Sources cited.",
        )
    )
    index766_ui.threshold_note(active)
    return set_id


def target_sets_section(set_id: str) -> TargetSet:
    """The active target set (returned), its table (edited at the desk in the grid, in front of the
    room one row at a time) and its JSON."""
    st.subheader(ui.pick("Bộ chỉ tiêu", "The target set"))
    active = sets[set_id]

    rows = [
        {code_col: b, scope_col: ui.block_label(b), online_col: active.block_pct.get(b), services_col: active.services_pct.get(b)}
        for b in TARGET_BLOCKS
        if b in c.blocks  # the blocks this data has: no district rows after 7/2025
    ]
    # by columns, not seg.itertuples(): a row tuple reads every text cell through pandas' Arrow strings
    # one by one (400 units: ≈ 10 ms per visit)
    rows += [
        {
            code_col: seg_id,
            scope_col: name,
            online_col: active.unit_pct.get(seg_id),
            services_col: active.unit_services_pct.get(seg_id),
        }
        for seg_id, name in zip(seg.seg_id.tolist(), (seg.name_vi if lang == "vi" else seg.name_en).tolist())
    ]
    table = pd.DataFrame(rows).astype({online_col: float, services_col: float})  # blank = NaN, shown empty
    if ui.presenting():
        # On the projector: an HTML table the back row can read (a data grid draws on a canvas that the
        # presentation CSS cannot enlarge), edited one row at a time in large fields (ui.target_row_editor).
        ui.show_table(
            table.drop(columns=[code_col]).assign(
                **{col: [("—" if v != v else fmt.number(v, lang)) for v in table[col]] for col in (online_col, services_col)}
            )
        )
        edited = ui.target_row_editor(table, code_col, scope_col, (online_col, services_col), ui.Key.target_editor(set_id))
    else:
        edited = st.data_editor(
            table,
            key=ui.Key.target_editor(set_id),
            disabled=[code_col, scope_col],
            column_config={code_col: None, online_col: number, services_col: number},  # codes are for the program
            height=300,
            hide_index=True,
            placeholder="",  # a blank cell means "use the block's target", as the caption says; not "None"
        )
    st.caption(
        ui.pick(
            "Để trống ô đơn vị thì đơn vị theo chỉ tiêu của khối. Chỉ nhận số từ 0 đến 100.",
            "Leave a unit blank to use its block's target. Only numbers from 0 to 100 are accepted.",
        )
    )
    problems = validate_table(edited, (online_col, services_col), scope_col)
    if problems:
        st.error(ui.pick("Bảng chỉ tiêu chưa được lưu vì:", "The targets were not saved because:"))
        for p in problems:
            st.text(ui.pair(p))
    elif not edited.equals(table):
        target = editable(set_id)
        for r in edited.itertuples(index=False):
            online, services = r[2], r[3]
            stores = (
                (target.block_pct, target.services_pct) if r[0] in TARGET_BLOCKS else (target.unit_pct, target.unit_services_pct)
            )
            for store_, value in zip(stores, (online, services)):
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    store_.pop(r[0], None)
                else:
                    store_[r[0]] = float(value)
        ui.keep_target_set(target)
        if target.id != set_id:
            # the first edit made a copy: it becomes the active set on the next run (the selectbox holding
            # the active set's key is already drawn in this one)
            st.session_state[ui.Key.TARGET_SET_NEXT] = target.id
            st.rerun()
    st.download_button(
        ui.pick(
            "Tải bộ chỉ tiêu (tệp để lưu hoặc gửi)",
            "Download the target set (a file to keep or send)",
        ),
        active.to_json().encode("utf-8"),
        f"chi-tieu-{active.id}.json",
        "application/json",
        key="download-target-set",
        icon=":material/download:",
    )
    return active


def unit_status_section() -> None:
    """Each unit's scenario December against its target."""
    st.subheader(ui.pick("Từng đơn vị so với chỉ tiêu", "Each unit against its target"))
    if not ui.block_only_start(scenario):
        ui.unit_status_table(scenario)
    st.caption(
        ui.pick(
            f"Kịch bản đang dùng: {ui.plain(ui.scenario_name(scenario))}. Trạng thái ghi bằng chữ (✓ Đạt / ✗ Chưa đạt), màu chỉ nhắc lại.",
            f"Active scenario: {ui.plain(ui.scenario_name(scenario))}. Status is written out (✓ / ✗); colour only repeats it.",
        )
    )


def allocation_section(active: TargetSet, volumes: dict) -> float:
    """2. A province (or block) target shared out among the units; returns the target aimed at."""
    st.subheader(ui.pick("Phân bổ chỉ tiêu cho các đơn vị", "Allocate targets to units"))
    st.caption(
        ui.pick(
            f"Bộ chỉ tiêu đang dùng: {active.name_vi} (chọn ở phần “Bộ chỉ tiêu và từng đơn vị”).",
            f"Active target set: {active.name_en} (chosen under “Target set and each unit”).",
        )
    )
    st.info(
        ui.pick(
            "**Nỗ lực** = tổng, có trọng số theo số hồ sơ, của bình phương mức thay đổi tỷ số odds (theo thang logarit) "
            "của từng đơn vị — nên nâng một "
            "đơn vị lớn tốn nhiều hơn một đơn vị nhỏ, và nâng từ 1% lên 5% tốn ngang nâng từ 50% lên 83%.",
            "**Effort** = the dossier-weighted sum of squared changes in each unit's odds (on a log scale) — so raising a big "
            "unit costs more "
            "than a small one, and 1% → 5% costs about as much as 50% → 83%.",
        ),
        icon=":material/functions:",
    )
    a1, a2 = st.columns(2)
    alloc_blocks = ["province", "department", "district_incl_communes", "communes"]
    alloc_block = a1.selectbox(
        ui.pick("Phạm vi mục tiêu", "Target scope"),
        alloc_blocks,
        key=ui.Key.ALLOC_BLOCK,
        persist_state="session",
        format_func=ui.labels(alloc_blocks, ui.block_label),
    )
    default_goal = target_for(active, alloc_block, volumes) or 30.0
    alloc_target = ui.percent_input(
        a2,
        ui.pick("Mục tiêu cả năm kế hoạch (%)", "Plan-year target (%)"),
        round(default_goal, 2),
        ui.Key.alloc_target(alloc_block),
    )
    with st.expander(
        ui.pick(
            f"Mức trần từng đơn vị (mặc định {fmt.pct(DEFAULT_CAP_PCT, lang, 0)})",
            f"Cap per unit (default {fmt.pct(DEFAULT_CAP_PCT, lang, 0)})",
        )
    ):
        caps_table = pd.DataFrame(
            {
                code_col: seg.seg_id,
                ui.pick("Đơn vị", "Unit"): seg.name_vi if lang == "vi" else seg.name_en,
                ui.pick("Trần (%)", "Cap (%)"): DEFAULT_CAP_PCT,
            }
        )
        if ui.presenting():
            caps_edit = caps_table
            ui.show_table(caps_table.drop(columns=[code_col]))
        else:
            caps_edit = st.data_editor(
                caps_table,
                key=ui.Key.ALLOC_CAPS,
                disabled=[code_col, caps_table.columns[1]],
                column_config={code_col: None, caps_table.columns[2]: number},
                hide_index=True,
                placeholder="",
            )
    cap_problems = validate_table(caps_edit, (caps_table.columns[2],), caps_table.columns[1])
    if cap_problems:
        for p in cap_problems:
            st.error(ui.pair(p))
        st.stop()
    caps = {r[0]: float(r[2]) for r in caps_edit.itertuples(index=False) if r[2] == r[2]}

    method_label = {
        "least_effort": ui.pick("Nỗ lực ít nhất", "Least effort"),
        "same_uplift": ui.pick("Cùng tăng số điểm %", "Same uplift in points"),
        "same_gap_fraction": ui.pick("Cùng thu hẹp một tỷ lệ khoảng cách tới 100%", "Same fraction of the gap to 100%"),
    }
    results = ui.allocations(scenario, alloc_target, alloc_block, caps)
    best = results["least_effort"]
    (st.success if best.feasible else st.error)(ui.plain(ui.pick(best.message_vi, best.message_en)))
    compare_rows = [
        {
            ui.pick("Cách phân bổ", "Method"): method_label[m],
            ui.pick("Đạt được (%)", "Achieved (%)"): fmt.number(r.achieved_pct, lang),
            ui.pick("Nỗ lực", "Effort"): fmt.number(effort(r.table), lang, 3),
            ui.pick("Khả thi", "Feasible"): ui.pick("có", "yes") if r.feasible else ui.pick("không", "no"),
        }
        for m, r in results.items()
    ]
    ui.show_table(pd.DataFrame(compare_rows))
    method = st.radio(
        ui.pick("Phụ lục theo cách", "Annex by method"),
        METHODS,
        key=ui.Key.ALLOC_METHOD,
        persist_state="session",
        horizontal=True,
        format_func=ui.labels(list(METHODS), method_label.get),
    )
    chosen = results[method].table
    annex = pd.DataFrame(
        {
            ui.pick("Đơn vị", "Unit"): chosen.name_vi if lang == "vi" else chosen.name_en,
            ui.pick(f"Thực tế đến {ui.report_month()} (%)", f"Actual to {ui.report_month()} (%)"): chosen.report_share_pct,
            ui.pick("Chỉ tiêu đề xuất (%)", "Proposed target (%)"): chosen.target_pct,
            ui.pick("Hồ sơ trực tuyến tăng thêm/tháng", "Extra online dossiers/month"): chosen.extra_online_per_month,
        }
    )
    check = (chosen.volume * chosen.target_pct).sum() / chosen.volume.sum()
    st.caption(
        ui.pick(
            f"Kiểm tra: chỉ tiêu đơn vị, theo trọng số số hồ sơ, cho {fmt.pct(check, 'vi')} "
            f"(mục tiêu {fmt.pct(alloc_target, 'vi')}). Không đơn vị nào dưới mức hiện tại; không vượt trần.",
            f"Check: the unit targets, weighted by dossiers, give {fmt.pct(check, 'en')} "
            f"(target {fmt.pct(alloc_target, 'en')}). No unit below its current share; none above its cap.",
        )
    )
    cols = list(annex.columns)
    ui.show_table(
        annex.style.format(
            {
                cols[1]: lambda v: fmt.fixed(v, lang),
                cols[2]: lambda v: fmt.fixed(v, lang),
                cols[3]: lambda v: fmt.count(v, lang),
            }
        ),
        height=320,
    )
    d1, d2 = st.columns(2)
    with d1:
        ui.csv_button(annex, "phu-luc-chi-tieu", "annex", label=ui.pick("Tải phụ lục (CSV)", "Download the annex (CSV)"))

    def use_as_targets():
        target = editable(active.id)
        target.unit_pct.update({r.seg_id: round(float(r.target_pct), 2) for r in chosen.itertuples()})
        ui.keep_target_set(target)
        st.session_state[ui.Key.TARGET_SET] = target.id  # a callback runs before the selectbox is drawn
        st.session_state[ui.Key.TARGETS_MESSAGE] = (
            "success",
            ui.pick(
                f"Đã dùng làm chỉ tiêu đơn vị của bộ “{target.name_vi}”, bộ đang dùng (xem ở phần “Bộ chỉ tiêu và từng đơn vị”).",
                f"Now the unit targets of “{target.name_en}”, the active set (see “Target set and each unit”).",
            ),
        )

    d2.button(
        ui.pick("Dùng làm chỉ tiêu đơn vị của bộ đang dùng", "Use as the unit targets of the active set"),
        on_click=use_as_targets,
        icon=":material/task_alt:",
    )
    ui.show_message(st.session_state.pop(ui.Key.TARGETS_MESSAGE, None))
    return alloc_target


def allocation_goal(active: TargetSet, volumes: dict) -> float:
    """The allocation's target as last typed (or the active set's), for the Excel annex when the
    allocation view is not the one in sight."""
    block = st.session_state.get(ui.Key.ALLOC_BLOCK) or "province"
    typed = ui.percent_entered(ui.Key.alloc_target(block))
    return float(typed) if typed is not None else round(target_for(active, block, volumes) or 30.0, 2)


with st.spinner(ui.t("computing")):
    proj = ui.projection(scenario)
volumes = proj.block_volumes()
# One view at a time (as on the Assumptions page): the set's table with each unit's status, or the
# allocation with its annex. Both on one page were four data grids, ≈ 85 ms more per visit.
VIEWS = {
    "units": ("Bộ chỉ tiêu và từng đơn vị", "Target set and each unit"),
    "allocate": ("Phân bổ chỉ tiêu cho các đơn vị", "Allocate targets to units"),
}
view = ui.view_chooser(VIEWS, ui.Key.TARGETS_VIEW)
if view == "units":
    # the answer first: the chosen set, then each unit against it; the set's table to edit below
    chosen_set = target_set_chooser()
    unit_status_section()
    active = target_sets_section(chosen_set)
    alloc_target = allocation_goal(active, volumes)
else:
    active = ui.active_targets()
    alloc_target = allocation_section(active, volumes)

st.subheader(ui.pick("Xuất Excel cho văn bản", "Excel for the official documents"))
st.caption(
    ui.pick(
        "Bìa, số liệu gốc, mỗi kịch bản một trang, so sánh (có biểu đồ), phụ lục chỉ tiêu, điểm QĐ 766, giả định. "
        "Mọi tỷ lệ là công thức của ô số đếm.",
        "Cover, baseline, one sheet per scenario, comparison (with a chart), target annex, Decision 766 points, assumptions. "
        "Every ratio is a formula of its count cells.",
    )
)
# Everything the file needs is read in the run: it is built later, on the click, without the session
# (a download's function runs outside the script run: no session state, no active dataset).
indicators_766 = index766_ui.indicators()
export_scenarios = ui.builtins() + [scenario]
coverage = ui.export_coverage()
st.download_button(
    ui.pick("Tải tệp Excel (kịch bản có sẵn + kịch bản đang dùng)", "Download Excel (built-in + active scenario)"),
    # the plan (its annex, its contributions) is the active scenario, named by its place after the built-ins
    data=lambda: build_workbook(
        c,
        export_scenarios,
        active,
        annex_target_pct=alloc_target,
        plan=len(export_scenarios) - 1,
        indicators=indicators_766,  # the plan's Decision 766 points, on their own sheet
        coverage=coverage(),  # the backtest's coverage, on the assumptions sheet
    ),
    file_name=f"ke-hoach-dvctt-{scenario.plan_year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="excel",
    icon=":material/table_view:",
    type="primary",
)
