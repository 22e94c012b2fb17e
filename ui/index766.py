"""Decision 766 points on the pages: the two groups' points beside the shares (as reported on the
Overview, projected with P10–P90 on the Scenario page), the indicators' upload, and where a share
target stops earning points (Targets)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model import fmt
from model.analysis import index_contributions
from model.index766 import CURRENT, NO_DATA, IndexScore, points_text, score_indicators, threshold_pct
from model.indicators import IndicatorError, Indicators, read_indicators, template_csv
from model.levers import LEVER_BY_ID
from model.projection import Projection
from model.scenario import Scenario
from model.targets import TargetSet
from ui.actions import keep_dataset_file, read_kept_dataset_file
from ui.charts import show_table
from ui.i18n import block_label, lang, pct, pick
from ui.keys import Key
from ui.state import active_targets, compiled, report, results_version
from ui.widgets import lazy_section

ONLINE_SHARE_PART = "online_dossiers"
UPLOAD_KEY = "index766-upload"


INDICATORS_FILE = "indicators_766"  # the kind of file kept with a dataset (model.store.DATASET_FILE_KINDS)


def indicators() -> Indicators | None:
    """The indicators in use: this session's upload, or, on a first look at the dataset (a reload, a
    new tab), the ones kept with it. Kept counts the rules of the day refuse are not used, and say why."""
    state = st.session_state
    if Key.INDICATORS_766 not in state:
        units = set(report().units.unit_id)
        kept = read_kept_dataset_file(INDICATORS_FILE, lambda text, name: Indicators.from_csv(text, name, units))
        state[Key.INDICATORS_766] = None
        if kept is not None:
            _name, kept_indicators, err = kept
            state[Key.INDICATORS_766] = kept_indicators
            if err is not None:
                state[Key.INDICATORS_766_MESSAGE] = err.messages(lang())
    return state.get(Key.INDICATORS_766)


def _points(result: IndexScore, group_id: str, with_band: bool) -> str:
    g = result.group(group_id)
    text = f"**{points_text(g.points, lang())}**/{fmt.number(g.group.max_points, lang())}"
    if with_band and g.points is not None and g.p10 is not None and g.p90 is not None:
        text += f" (P10–P90: {points_text(g.p10, lang())}–{points_text(g.p90, lang())})"
    return text


def _caveats(result: IndexScore) -> str:
    unchecked = [g for g in result.groups if not g.group.checked]
    notes = [f"{g.group.name(lang())}: {g.group.caveat(lang())}." for g in unchecked]
    return " ".join([*notes, result.formula.authoritative(lang()).split(".")[0] + "."])


def scenario_score(proj: Projection) -> IndexScore | None:
    """December's points of the plan year, scored once for the line above the chart and the note below it."""
    if proj.index_766_movers is None:
        return None
    return score_indicators(CURRENT, indicators(), *proj.index_766_movers, month=f"{proj.plan_year}-12")


def _points_line(result: IndexScore, plan_year: int, mark: str) -> None:
    services, payment = result.group("online_services"), result.group("online_payment")
    st.markdown(
        pick(
            f"Điểm QĐ 766, T12/{plan_year}: {services.group.name_vi.lower()} {_points(result, 'online_services', True)}"
            f"{mark} · {payment.group.name_vi.lower()} {_points(result, 'online_payment', True)}",
            f"Decision 766 points, Dec {plan_year}: {services.group.name_en.lower()} {_points(result, 'online_services', True)}"
            f"{mark} · {payment.group.name_en.lower()} {_points(result, 'online_payment', True)}",
        )
    )


def scenario_points(result: IndexScore | None, plan_year: int) -> bool:
    """December's points of both groups, with P10–P90, beside the share (above the chart), when the
    indicators are loaded; returns whether it drew them. Without them the hint goes below the chart
    (`scenario_hint`), where it does not push the chart's months off a 1280×720 screen."""
    if result is None:
        return False
    services, payment = result.group("online_services"), result.group("online_payment")
    if not (services.has_data or payment.has_data):
        return False
    _points_line(result, plan_year, " ¹" if not services.group.checked else "")
    return True


def scenario_hint(result: IndexScore | None, plan_year: int, points_shown: bool) -> None:
    """Below the chart: the footnote of the points shown above it, or, without indicators, the points
    line saying there is no data and where to load it."""
    if result is None:
        return
    if points_shown:
        st.caption("¹ " + _caveats(result))
        return
    _points_line(result, plan_year, "")
    st.caption(pick("Nhập số liệu chỉ số 766 ở trang Tổng quan.", "Load the Decision 766 indicators on the Overview page."))


def overview_section() -> None:
    """The points as reported (the indicators' last month), beside the shares; and the upload."""
    result = score_indicators(CURRENT, indicators())
    month = result.indicators_month
    st.markdown(
        pick(
            f"**Điểm QĐ 766{f' (số liệu {month[5:]}/{month[:4]})' if month else ''}:** "
            f"cung cấp dịch vụ trực tuyến {_points(result, 'online_services', False)} · "
            f"thanh toán trực tuyến {_points(result, 'online_payment', False)}",
            f"**Decision 766 points{f' (data of {month[5:]}/{month[:4]})' if month else ''}:** "
            f"online service provision {_points(result, 'online_services', False)} · "
            f"online payment {_points(result, 'online_payment', False)}",
        )
    )
    st.caption(_caveats(result))
    lazy_section(
        "Số liệu chỉ số QĐ 766 (tải lên, tệp mẫu, từng phần)",
        "Decision 766 indicators (upload, template, each part)",
        Key.INDICATORS_766_OPEN,
        _indicator_panel,
        result,
    )


def _read_upload() -> None:
    """On upload, before the page runs again: so the points at the top already use the new counts.
    A file that cannot be used loads nothing; its problems are shown under the uploader."""
    upload = st.session_state.get(UPLOAD_KEY)
    st.session_state[Key.INDICATORS_766_MESSAGE] = None
    if upload is None:
        return
    try:
        counts = read_indicators(upload.getvalue(), upload.name, set(report().units.unit_id))
    except IndicatorError as err:
        st.session_state[Key.INDICATORS_766_MESSAGE] = err.messages(lang())
        return
    st.session_state[Key.INDICATORS_766] = counts
    failed = keep_dataset_file(INDICATORS_FILE, upload.name, counts.to_csv())
    if failed is not None:
        st.session_state[Key.INDICATORS_766_MESSAGE] = [
            pick(failed.message_vi, failed.message_en)
            + " "
            + pick("Số liệu chỉ số 766 chỉ được giữ trong phiên làm việc này.", "The indicators last for this session only.")
        ]


def _indicator_panel(result: IndexScore) -> None:
    st.caption(
        pick(
            "Mỗi dòng một đơn vị và một tháng (YYYY-MM); mã “province” là số liệu cả tỉnh như Cổng DVCQG hiển thị. "
            "Ô để trống là chưa có số liệu, không phải 0.",
            "One row per unit and month (YYYY-MM); the id “province” holds the whole province's figures as the portal shows "
            "them. A blank cell is no data, not 0.",
        )
    )
    period = report().period
    st.download_button(
        pick("Tải tệp mẫu (CSV)", "Download the template (CSV)"),
        template_csv(list(report().units.unit_id), period).encode("utf-8"),
        "chi_so_766_mau.csv",
        "text/csv",
        key="index766-template",
        icon=":material/download:",
    )
    st.file_uploader(
        pick("Tải lên số liệu chỉ số 766 (CSV)", "Upload the Decision 766 indicators (CSV)"),
        type=["csv"],
        key=UPLOAD_KEY,
        on_change=_read_upload,
    )
    for message in st.session_state.get(Key.INDICATORS_766_MESSAGE) or ():
        st.error(message)
    rows = [
        {
            pick("Nhóm", "Group"): g.group.name(lang()),
            pick("Phần", "Part"): p.part.name(lang()),
            pick("Tỷ lệ", "Ratio"): pct(None if p.ratio is None else 100 * p.ratio),
            pick("Điểm", "Points"): f"{points_text(p.points, lang())}/{fmt.number(p.part.max_points, lang())}",
            pick("Đủ điểm từ", "Full marks at"): pct(100 * p.part.full_at, 0),
        }
        for g in result.groups
        for p in g.parts
    ]
    show_table(pd.DataFrame(rows))


def threshold_note(active: TargetSet) -> None:
    """Where a share target stops earning points: the online-dossier part is full at 50%."""
    part = CURRENT.part(ONLINE_SHARE_PART)
    limit = threshold_pct(part)
    if limit is None:
        return
    above = [(b, v) for b, v in active.block_pct.items() if v > limit]
    worth = part.max_points / part.full_at / 100
    listed = ", ".join(f"{block_label(b)} {pct(v, 0)}" for b, v in above)
    st.caption(
        pick(
            f"Điểm QĐ 766: tỷ lệ hồ sơ nộp trực tuyến (nhân tỷ lệ đồng bộ) được tối đa {fmt.number(part.max_points, lang())} điểm từ {pct(limit, 0)}; "
            f"dưới mức đó mỗi điểm % đáng {fmt.number(worth, 'vi')} điểm chỉ số, trên mức đó không thêm điểm nào."
            + (f" Chỉ tiêu vượt ngưỡng này (nâng tỷ lệ thực tế, không nâng điểm): {listed}." if above else ""),
            f"Decision 766 points: the online-dossier share (times the sync rate) earns its full {fmt.number(part.max_points, lang())} points from "
            f"{pct(limit, 0)}; below that each share point is worth {fmt.number(worth, 'en')} index points, above it nothing."
            + (f" Targets above this threshold (raising real uptake, not the score): {listed}." if above else ""),
        )
    )


@st.cache_data(
    show_spinner=False,
    max_entries=64,
    hash_funcs={Scenario: Scenario.to_json, TargetSet: TargetSet.to_json, Indicators: Indicators.to_csv},
)
def _lever_points(data: str, targets: TargetSet, scenario: Scenario, counts: Indicators | None) -> pd.DataFrame:
    return index_contributions(compiled(), scenario, counts)


def lever_points_section(scenario: Scenario) -> None:
    """The Decision 766 points each active lever adds in December (built only while open)."""
    lazy_section(
        "Điểm QĐ 766 mỗi biện pháp thêm (T12)",
        "Decision 766 points each lever adds (Dec)",
        Key.INDEX766_LEVERS_OPEN,
        _lever_points_table,
        scenario,
    )


def _lever_points_table(scenario: Scenario) -> None:
    per_lever = _lever_points(results_version(), active_targets(), scenario, indicators())
    if per_lever.empty:
        st.caption(pick("Chưa bật biện pháp nào.", "No lever is on."))
        return
    wide = per_lever.pivot(index="lever", columns="group", values="points").reindex(
        index=[lv for lv in scenario.active_levers() if lv in set(per_lever.lever)],
        columns=[g.id for g in CURRENT.groups],
    )
    signed = lambda x: NO_DATA[lang()] if x != x else ("+" if x >= 0 else "") + points_text(x, lang())  # noqa: E731
    show_table(
        pd.DataFrame(
            {
                pick("Biện pháp", "Lever"): [pick(LEVER_BY_ID[lv].label_vi, LEVER_BY_ID[lv].label_en) for lv in wide.index],
                **{CURRENT.group(g).name(lang()): [signed(v) for v in wide[g]] for g in wide.columns},
            }
        )
    )
    st.caption(
        pick(
            "Giá trị Shapley trên điểm tháng 12: không phụ thuộc thứ tự áp dụng, cộng lại bằng điểm tăng thêm của cả kịch bản "
            "(các ngưỡng 50% và 80% làm điểm của một biện pháp phụ thuộc vào các biện pháp khác).",
            "Shapley values on December's points: independent of the order levers are applied in, adding up to the "
            "scenario's whole gain (the 50% and 80% thresholds make one lever's points depend on the others).",
        )
    )
