"""Language: one mechanism for every string on screen — `pick(vi, en)` for text written where it
is used, and `t(key)` for the strings several pages share (the table `T`, also pairs). Numbers go
through Babel (`model.fmt`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import streamlit as st

from model import fmt
from model.segments import BLOCK_LABEL
from ui.keys import Key

T = {
    "app_title": ("Kế hoạch hồ sơ trực tuyến Sơn La", "Sơn La online dossier planner"),
    "lang": ("Ngôn ngữ", "Language"),
    "presentation": ("Chế độ trình chiếu", "Presentation mode"),
    "active_scenario": ("Kịch bản đang dùng", "Active scenario"),
    "data_label": ("Dữ liệu", "Data"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_scenario": ("Kịch bản", "Scenario builder"),
    "page_compare": ("So sánh", "Compare"),
    "page_assumptions": ("Giả định & dữ liệu", "Assumptions & data"),
    "page_library": ("Thư viện kịch bản", "Scenario library"),
    "page_targets": ("Chỉ tiêu", "Targets"),
    "page_tracking": ("Theo dõi thực hiện", "Tracking"),
    "target_above": ("cao hơn trục", "above the axis"),
    "province": ("Toàn tỉnh", "Province"),
    "target": ("Chỉ tiêu", "Target"),
    "reached": ("Đạt", "Reached"),
    "not_reached": ("Chưa đạt", "Not reached"),
    "no_target": ("Chưa có chỉ tiêu", "No target set"),
    "baseline_line": ("Điểm xuất phát (giữ nguyên)", "Starting point (held flat)"),
    "scenario_line": ("Kịch bản", "Scenario"),
    "band": ("Khoảng P10–P90", "P10–P90 range"),
    "target_line": ("Chỉ tiêu", "Target"),
    "download_csv": ("Tải dữ liệu biểu đồ (CSV)", "Download chart data (CSV)"),
    "month": ("Tháng", "Month"),
    "share_axis": ("Tỷ lệ hồ sơ trực tuyến", "Online dossier share"),
    "share_axis_short": ("Tỷ lệ trực tuyến", "Online share"),
    "dossiers": ("hồ sơ", "dossiers"),
    "computing": ("Đang tính toán…", "Computing…"),
}


def lang() -> str:
    return st.session_state.get(Key.LANG, "vi")


def t(key: str) -> str:
    return pick(*T[key])


def pick(vi: str, en: str) -> str:
    return vi if lang() == "vi" else en


def pair(texts: tuple[str, str]) -> str:
    """A (Vietnamese, English) pair from the model (messages, labels) in the chosen language."""
    return pick(*texts)


def pct(x, digits=2):
    return fmt.pct(x, lang(), digits)


def pts(x, digits=2, signed=True):
    return fmt.points(x, lang(), digits, signed)


def count(n):
    return fmt.count(n, lang())


def moment(stamp: str | None) -> str:
    """A stored time in Vietnam's time zone, dd/mm/yyyy HH:MM."""
    return fmt.moment(stamp, lang())


def kilobytes(n_bytes: int) -> str:
    """A size limit in whole kB, grouped as the locale writes it ("1.000 kB")."""
    return fmt.count(n_bytes / 1000, lang()) + " kB"


def target_source(targets) -> str:
    """A target set's reference in one line, in the user's language: the document's name (a proper
    name, as issued), its date as dd/mm/yyyy, and the figure it sets (`figure_en` on an English page)."""
    ref = targets.reference
    figure = ref.get("figure", "") if lang() == "vi" else ref.get("figure_en", "")
    issued = ref.get("date", "")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued):
        issued = f"{issued[8:]}/{issued[5:7]}/{issued[:4]}"
    return "; ".join(p for p in (ref.get("document", ""), issued, figure) if p) or pick(targets.name_vi, targets.name_en)


# Every dropdown and multiselect that shows its chosen option's label. Streamlit's browser side keeps
# the label it showed for a keyed dropdown across runs: after a language switch "Tháng 12" stayed on an
# English page (the goal-seek section) until the choice changed. Setting the value through session state
# makes Streamlit send it again, drawn with the new language's label. A new dropdown's key goes here.
RELABELLED_CHOICES = (
    Key.GOAL_PARAM,
    Key.GOAL_PERIOD,
    Key.DETAILS_LEVER,
    Key.BUILTIN_CHOICE,
    Key.TARGET_SET,
    Key.ALLOC_BLOCK,
    Key.LIBRARY_CHOICE,
    Key.PLAN_CHOICE,
    Key.HEAT_X,
    Key.HEAT_Y,
    Key.HEAT_BASE,
    Key.COMPARE_CHOICE,
    Key.DISTRICTS,
    Key.DATASET_CHOICE,
    Key.EFFECTS_LEVER,
)


def relabel_choices() -> None:
    """After a language switch, every chosen option is sent again, to be shown in the new language."""
    shown = st.session_state.get(Key.LANG_SHOWN)
    if shown is not None and shown != lang():
        for key in RELABELLED_CHOICES:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state[Key.LANG_SHOWN] = lang()


def choice_words() -> dict:
    """A multiselect's own words in the user's language: Streamlit's placeholder ("Choose options", "No
    options to select") gives way to a given one, and its "Select all" entry is left out."""
    return {"placeholder": pick("Chọn…", "Choose…"), "select_all": False}


def labels(options: Iterable, label_of: Callable) -> Callable:
    """A format_func that is a frozen lookup: labels are computed now, in this run's language, so the
    widget shows the same text whenever Streamlit (or AppTest) formats an option later."""
    table = {opt: label_of(opt) for opt in options}
    return table.__getitem__


def block_label(block: str) -> str:
    vi, en = BLOCK_LABEL[block]
    return pick(vi, en)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """User-typed text shown inside Markdown: every Markdown/HTML character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def month_labels(year: int) -> list[str]:
    return [fmt.month_label(m, year, lang()) for m in range(1, 13)]


def month_text(period: str) -> str:
    """'2025-07' as people write it: 07/2025."""
    return f"{period[5:7]}/{period[:4]}" if len(period) >= 7 else "—"
