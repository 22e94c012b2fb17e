"""The Assumptions page's "Effects from the data" view: each lever's assumed effect beside the estimate
learned from the active monthly series and a register of measures taken (model/effects.py), the
event-time curve behind it, and "Dùng ước lượng này", which puts the estimate into the scenario."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from model import fmt
from model.effects import EffectEstimate, EffectsError, EffectsResult, EstimatedEffect, estimate_effects, estimated_effect
from model.levers import EFFECT_BY_ID, LEVER_BY_ID
from model.limits import MIN_TREATED_UNITS
from model.register import (
    REGISTER_SHEET,
    MeasureRegister,
    RegisterError,
    register_from_csv,
    register_from_rows,
    register_from_xlsx,
)
from model.series import ReportSeries
from ui.actions import estimate_source, keep_dataset_file, read_kept_dataset_file
from ui.charts import OKABE_ITO, base_layout, show_chart, show_table
from ui.i18n import labels, lang, pick
from ui.keys import Key
from ui.state import (
    active_data,
    active_series,
    data_version,
    load_into_widgets,
    presenting,
    remember_current,
    remembered_current,
)
from ui.widgets import lazy_section


@st.cache_data(show_spinner=False, max_entries=8, hash_funcs={ReportSeries: lambda s: s.obs.to_json()})
def _effects(series: ReportSeries, register_csv: str) -> EffectsResult:
    return estimate_effects(series, MeasureRegister.from_csv(register_csv))


MEASURES_FILE = "measures"  # the kind of file kept with a dataset (model.store.DATASET_FILE_KINDS)


def active_register() -> MeasureRegister | None:
    """The register in use: this session's upload, or, on a first look at the dataset (a reload, a new
    tab), the one kept with it. A kept register the rules of the day refuse is not used, and says why."""
    state = st.session_state
    if Key.REGISTER not in state:
        units = set(active_series().segments.seg_id)
        kept = read_kept_dataset_file(MEASURES_FILE, lambda text, name: MeasureRegister.from_csv(text, name, units).to_csv())
        state[Key.REGISTER] = None
        if kept is not None:
            name, register_csv, err = kept
            state[Key.REGISTER] = register_csv
            if err is None:
                state[Key.REGISTER_NAME] = name
            else:
                state[Key.REGISTER_RESULT] = (err.messages("vi"), err.messages("en"))
    text = state.get(Key.REGISTER)
    return MeasureRegister.from_csv(text) if text else None


TYPED_REGISTER = "so-bien-phap-nhap-tren-trang.csv"  # the name a register typed on the page is kept under
EDITOR_COLUMNS = ("unit", "measure", "start", "intensity")


def _editor_rows() -> pd.DataFrame:
    """The register the editor starts from: the one in use, else an empty one."""
    register = active_register()
    rows = [] if register is None else [(m.unit, m.measure, m.start, m.intensity) for m in register.measures]
    table = pd.DataFrame(rows, columns=list(EDITOR_COLUMNS))
    return table.astype({"unit": object, "measure": object, "start": object, "intensity": float})


def _edited(base: pd.DataFrame, edits: dict) -> pd.DataFrame:
    """st.data_editor's edits (edited, added and deleted rows) applied to the table it was given: read
    in the button's callback, where the edit typed just before the click is already in the edits."""
    table = base.copy()
    for row, changes in (edits.get("edited_rows") or {}).items():
        for column, value in changes.items():
            table.loc[int(row), column] = value
    table = table.drop(index=[int(i) for i in edits.get("deleted_rows") or []], errors="ignore")
    added = pd.DataFrame(list(edits.get("added_rows") or []), columns=list(EDITOR_COLUMNS))
    return pd.concat([table, added], ignore_index=True)


def _editor_headers() -> list[str]:
    return [
        pick("Đơn vị (mã)", "Unit (code)"),
        pick("Biện pháp", "Measure"),
        pick("Tháng bắt đầu (NNNN-TT)", "Start month (YYYY-MM)"),
        pick("Mức áp dụng (%)", "Intensity (%)"),
    ]


def _save_typed_register() -> None:
    """The typed register through the same rules as a file (every problem named by row and column);
    accepted, it replaces the register in use and is kept with the dataset."""
    state = st.session_state
    table = _edited(_editor_rows(), state.get(Key.REGISTER_EDITOR) or {})
    text = lambda x: "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)  # noqa: E731
    number = lambda x: "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{float(x):g}"  # noqa: E731
    rows = [list(EDITOR_COLUMNS)] + [
        [text(r.unit), text(r.measure), text(r.start), number(r.intensity)] for r in table.itertuples(index=False)
    ]
    try:
        register = register_from_rows(
            rows, pick("sổ nhập trên trang", "the register typed on the page"), set(active_series().segments.seg_id)
        )
    except RegisterError as err:
        state[Key.REGISTER_RESULT] = (err.messages("vi"), err.messages("en"))
        return
    state[Key.REGISTER] = register.to_csv()
    state[Key.REGISTER_NAME] = TYPED_REGISTER
    state[Key.REGISTER_RESULT] = None
    state.pop(Key.REGISTER_EDITOR, None)  # the editor starts again from the register now in use
    failed = keep_dataset_file(MEASURES_FILE, TYPED_REGISTER, state[Key.REGISTER])
    state[Key.REGISTER_KEPT_ERROR] = None if failed is None else (failed.message_vi, failed.message_en)


def _register_editor() -> None:
    if presenting():
        # a data grid draws on a canvas the presentation CSS cannot enlarge: on the projector the register
        # is a table the back row can read, and it is typed in the normal mode
        rows = _editor_rows()
        rows["measure"] = [pick(LEVER_BY_ID[m].label_vi, LEVER_BY_ID[m].label_en) for m in rows["measure"]]
        rows["intensity"] = [fmt.number(x, lang()) if x == x else "—" for x in rows["intensity"]]
        if len(rows):
            show_table(rows.rename(columns=dict(zip(EDITOR_COLUMNS, _editor_headers()))).fillna("—"))
        st.caption(
            pick(
                "Nhập hoặc sửa sổ biện pháp ở chế độ thường (tắt “Chế độ trình chiếu”).",
                "Type or edit the register in the normal mode (switch off “Presentation mode”).",
            )
        )
        return
    units = sorted(active_series().segments.seg_id)
    lever_label = {lv.id: pick(lv.label_vi, lv.label_en) for lv in LEVER_BY_ID.values()}
    st.data_editor(
        _editor_rows(),
        key=Key.REGISTER_EDITOR,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "unit": st.column_config.SelectboxColumn(_editor_headers()[0], options=units, required=True),
            "measure": st.column_config.SelectboxColumn(
                _editor_headers()[1], options=list(lever_label), format_func=lever_label.__getitem__, required=True
            ),
            "start": st.column_config.TextColumn(_editor_headers()[2], required=True),
            "intensity": st.column_config.NumberColumn(
                _editor_headers()[3],
                help=pick(
                    "Chỉ với biện pháp có mức (giảm phí, rút ngắn thời gian, hướng dẫn, danh mục); để trống với biện pháp khác.",
                    "Only for measures with a setting (fee cut, processing time, guidance, catalogue); blank for the others.",
                ),
            ),
        },
    )
    st.button(
        pick("Kiểm tra và lưu sổ biện pháp này", "Check and keep this register"),
        key="register-editor-save",
        on_click=_save_typed_register,
        type="primary",
    )


def register_steps_in_calibration() -> int:
    """How many units' calibration has a register measure as a level shift."""
    cal = active_data().calibration
    return 0 if cal is None else sum(1 for kind in cal.step_kind if kind == "register")


def _read_register() -> None:
    """The uploaded register, checked against the active series' units; kept as its CSV text (the form
    a dataset stores it in)."""
    state = st.session_state
    upload = state.get(Key.REGISTER_FILE)
    if upload is None:
        return
    units = set(active_series().segments.seg_id)
    read = register_from_xlsx if upload.name.lower().endswith(".xlsx") else register_from_csv
    try:
        register = read(upload.getvalue(), upload.name, units)
    except RegisterError as err:
        state[Key.REGISTER_RESULT] = (err.messages("vi"), err.messages("en"))
        return
    state[Key.REGISTER] = register.to_csv()
    state[Key.REGISTER_NAME] = upload.name
    state[Key.REGISTER_RESULT] = None
    failed = keep_dataset_file(MEASURES_FILE, upload.name, state[Key.REGISTER])
    state[Key.REGISTER_KEPT_ERROR] = None if failed is None else (failed.message_vi, failed.message_en)


def _use_estimate(effect: EstimatedEffect) -> None:
    """Set the effect's central value and range in the scenario being edited from the estimate: its
    band draws on the estimated range, and the scenario, its links, the workbook and the command
    line name the dataset it was learned from."""
    scenario = remembered_current()
    scenario.effects[effect.effect_id] = effect.central
    scenario.estimated[effect.effect_id] = effect
    scenario.outside_evidence = bool(scenario.effects_outside_evidence())
    load_into_widgets(scenario)
    remember_current(scenario)


def _drop_estimate(effect_id: str) -> None:
    """Back to the assumption: the declared central value and range."""
    scenario = remembered_current()
    scenario.estimated.pop(effect_id, None)
    scenario.effects[effect_id] = EFFECT_BY_ID[effect_id].central
    scenario.outside_evidence = bool(scenario.effects_outside_evidence())
    load_into_widgets(scenario)
    remember_current(scenario)


def _range(low: float, central: float, high: float) -> str:
    n = lambda x: fmt.number(x, lang())  # noqa: E731
    return f"{n(central)} ({n(low)} – {n(high)})"


def _status(e: EffectEstimate, used: EstimatedEffect | None) -> str:
    if not e.estimated:
        return e.reason(lang())
    if e.effect_id is None:
        return pick(
            "Chỉ để so sánh: trong mô hình, biện pháp này không tác động bằng một bước trên thang logit.",
            "For comparison only: in the model, this lever does not act as a step on the logit scale.",
        )
    if used is not None:
        declared = EFFECT_BY_ID[used.effect_id]
        in_use = pick(
            f"Đang dùng ({estimate_source(used)}): trung tâm {_range(used.low, used.central, used.high)} thay cho giả định.",
            f"In use ({estimate_source(used)}): central {_range(used.low, used.central, used.high)} instead of the assumption.",
        )
        if not declared.low <= used.central <= declared.high:
            return in_use + pick(
                f" Ước lượng nằm ngoài khoảng giả định ({fmt.number(declared.low, lang())} – "
                f"{fmt.number(declared.high, lang())}): mọi trang dùng kịch bản này ghi rõ điều đó.",
                f" The estimate lies outside the assumed range ({fmt.number(declared.low, lang())} – "
                f"{fmt.number(declared.high, lang())}): every page using this scenario says so.",
            )
        return in_use
    return pick("Có thể dùng thay giả định.", "Can replace the assumption.")


def comparison_table(result: EffectsResult) -> pd.DataFrame:
    used = st.session_state.get(Key.ESTIMATED_EFFECTS, {})
    rows = []
    for e in result.estimates.values():
        lever = LEVER_BY_ID[e.lever]
        declared = EFFECT_BY_ID.get(e.effect_id) if e.effect_id else None
        n = lambda x: fmt.number(x, lang())  # noqa: E731
        rows.append(
            {
                pick("Biện pháp", "Lever"): pick(lever.label_vi, lever.label_en),
                pick("Giả định: trung tâm (thấp – cao)", "Assumed: central (low – high)"): "—"
                if declared is None
                else _range(declared.low, declared.central, declared.high),
                pick("Ước lượng từ số liệu (khoảng 80%)", "From the data (80% interval)"): "—"
                if e.estimate is None or e.ci80 is None
                else _range(e.ci80[0], e.estimate, e.ci80[1]),
                pick("Khoảng 95%", "95% interval"): "—" if e.ci95 is None else f"{n(e.ci95[0])} – {n(e.ci95[1])}",
                pick("Đơn vị / đơn vị-tháng áp dụng", "Treated units / unit-months"): (
                    f"{fmt.count(e.n_treated_units, lang())} / {fmt.count(e.n_treated_unit_months, lang())}"
                ),
                pick("Kiểm định xu hướng trước (p)", "Pre-trend test (p)"): "—"
                if e.pretrend_p is None
                else fmt.number(e.pretrend_p, lang(), 3),
                pick("Ghi chú", "Note"): _status(e, used.get(e.effect_id) if e.effect_id else None),
            }
        )
    return pd.DataFrame(rows)


def event_time_figure(e: EffectEstimate) -> go.Figure:
    """Each month's effect since the start (and the months before it, which should sit at 0), with its
    95% interval: the curve a committee reads "did it rise after the start, and not before?" from."""
    curve = e.curve
    before, after = curve[curve.event_time < 0], curve[curve.event_time >= 0]
    fig = go.Figure()
    for part, colour, name in (
        (before, OKABE_ITO[1], pick("Trước khi bắt đầu", "Before the start")),
        (after, OKABE_ITO[0], pick("Sau khi bắt đầu", "After the start")),
    ):
        fig.add_trace(
            go.Scatter(
                x=part.event_time,
                y=part.estimate,
                mode="markers+lines",
                name=name,
                marker=dict(color=colour, size=9),
                line=dict(color=colour),
                error_y=dict(
                    type="data", symmetric=False, array=part.high95 - part.estimate, arrayminus=part.estimate - part.low95
                ),
                text=part.bin,
                hovertemplate="%{text}: %{y:.2f}<extra></extra>",
            )
        )
    fig.add_hline(y=0, line=dict(color="#333", width=1))
    fig.add_vline(x=-0.5, line=dict(color="#777", dash="dot"))
    base_layout(fig, height=380)
    fig.update_xaxes(title=pick("Tháng kể từ khi bắt đầu", "Months since the start"))
    fig.update_yaxes(title=pick("Tác động (bước trên thang logit)", "Effect (step on the logit scale)"))
    return fig


def effects_section() -> None:
    """The view: the register, the comparison, the curve of one lever, and the buttons."""
    series = active_series()
    st.caption(
        pick(
            "Tác động của từng biện pháp ước lượng từ chính các tháng của tỉnh: so sánh đơn vị đã áp dụng với đơn vị "
            "chưa áp dụng (sai khác kép nhiều thời điểm, ước lượng hai bước của Gardner), sai số chuẩn theo "
            f"cụm đơn vị. Không ước lượng khi có ít hơn {MIN_TREATED_UNITS} đơn vị áp dụng, hoặc khi kiểm định xu hướng "
            "trước không đạt.",
            "Each measure's effect estimated from the province's own months: units that took it against units that had "
            "not (yet) (staggered difference-in-differences, Gardner's two-stage estimator), standard errors "
            f"clustered by unit. No estimate with fewer than {MIN_TREATED_UNITS} treated units, or when the pre-trend "
            "test fails.",
        )
    )
    st.file_uploader(
        pick(
            f"Sổ biện pháp đã thực hiện (CSV, hoặc Excel có trang “{REGISTER_SHEET}”): unit, measure, start, intensity",
            f"Register of measures taken (CSV, or Excel with a sheet “{REGISTER_SHEET}”): unit, measure, start, intensity",
        ),
        type=["csv", "xlsx"],
        key=Key.REGISTER_FILE,
        on_change=_read_register,
    )
    lazy_section(
        "Nhập hoặc sửa sổ biện pháp trên trang",
        "Type or edit the register on the page",
        Key.REGISTER_EDITOR_OPEN,
        _register_editor,
    )
    problems = st.session_state.get(Key.REGISTER_RESULT)
    if problems:
        st.error("\n".join(f"- {line}" for line in (problems[0] if lang() == "vi" else problems[1])[:50]))
    register = active_register()
    if register is None:
        st.info(pick("Chưa có sổ biện pháp cho bộ số liệu này.", "No register of measures for this data yet."))
        return
    name = st.session_state.get(Key.REGISTER_NAME) or ""
    kept_error = st.session_state.get(Key.REGISTER_KEPT_ERROR)
    if kept_error:
        st.warning(
            pick(kept_error[0], kept_error[1])
            + " "
            + pick("Sổ biện pháp chỉ được giữ trong phiên làm việc này.", "The register lasts for this session only."),
            icon=":material/warning:",
        )
    else:
        st.caption(
            pick(
                f"Sổ biện pháp “{name}” được lưu cùng bộ số liệu: tải lại trang hay mở thẻ mới vẫn dùng nó; "
                "tải lên sổ mới sẽ thay sổ này.",
                f"The register “{name}” is kept with the dataset: a reload or a new tab still uses it; "
                "uploading a new one replaces it.",
            )
        )
    stepped = register_steps_in_calibration()
    if stepped:
        st.caption(
            pick(
                f"Hiện trạng (đường cơ sở) tính các biện pháp trong sổ là một bước tăng mức tại tháng bắt đầu ở {stepped} đơn vị, "
                "không phải một xu hướng kéo dài sang năm kế hoạch.",
                f"The status quo takes the register's measures as a step in level at their start month in {stepped} units, "
                "not as a trend carried into the plan year.",
            )
        )
    try:
        result = _effects(series, register.to_csv())
    except EffectsError as err:
        st.warning(err.messages(lang())[0])
        return
    st.markdown(
        pick(
            f"**{len(register)} biện pháp đã ghi, {fmt.count(result.n_units, 'vi')} đơn vị, {result.period_label}** "
            "— tác động tính bằng bước trên thang logit (như hệ số của biện pháp), ở mức đầy đủ của biện pháp.",
            f"**{len(register)} measures recorded, {fmt.count(result.n_units, 'en')} units, {result.period_label}** "
            "— effects as steps on the logit scale (as the lever's effect size), at the measure's full setting.",
        )
    )
    show_table(comparison_table(result))
    for vi, en in result.notes:
        st.caption(pick(vi, en))
    dataset = data_version()
    for e in result.estimates.values():
        effect = estimated_effect(e, dataset)
        if effect is None:
            continue
        lever = LEVER_BY_ID[e.lever]
        if st.session_state.get(Key.ESTIMATED_EFFECTS, {}).get(effect.effect_id) == effect:
            st.button(
                pick(f"Dùng lại giả định — {lever.label_vi}", f"Back to the assumption — {lever.label_en}"),
                key=f"drop-estimate-{e.lever}",
                on_click=_drop_estimate,
                args=(effect.effect_id,),
            )
            continue
        st.button(
            pick(f"Dùng ước lượng này — {lever.label_vi}", f"Use this estimate — {lever.label_en}"),
            key=f"use-estimate-{e.lever}",
            on_click=_use_estimate,
            args=(effect,),
            help=pick(
                f"Đặt giá trị trung tâm và khoảng thấp–cao (khoảng 80%) của hệ số bằng ước lượng ({estimate_source(effect)}).",
                f"Sets the effect's central value and low–high range (the 80% interval) to the estimate "
                f"({estimate_source(effect)}).",
            ),
        )
    with_curve = [e for e in result.estimates.values() if not e.curve.empty]
    if not with_curve:
        return
    options = [e.lever for e in with_curve]
    chosen = st.selectbox(
        pick("Đường tác động theo tháng của", "Event-time curve of"),
        options,
        format_func=labels(options, lambda lever_id: pick(LEVER_BY_ID[lever_id].label_vi, LEVER_BY_ID[lever_id].label_en)),
        key=Key.EFFECTS_LEVER,
    )
    estimate = result.estimates[chosen]
    show_chart(
        event_time_figure(estimate),
        estimate.curve,
        f"tac-dong-theo-thang-{chosen}",
        key=f"event-time-{chosen}",
        alt=pick("Tác động theo tháng kể từ khi bắt đầu biện pháp", "Effect by month since the measure started"),
    )
