"""Shared UI pieces for the pages: strings, locale formatting, widgets built from the lever
declarations, the current scenario in session state, cached model results, chart styling.
Pages stay thin: they lay these out."""

from __future__ import annotations

import functools
import gc
import io
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from model import fmt
from model.analysis import (INTERACTIVE_DRAWS, compiled_from, contributions, evaluate_scenarios, fixed_baseline_of, grid, monte_carlo,
                            status_quo_of)
from model.baseline import load_report
from model.levers import ASSUMPTIONS, EFFECTS, GROUPS, LEVERS, PARAM_BY_ID, Param
from model.links import scenario_from_query, scenario_keys, scenario_to_query
from model.scenario import Scenario, builtin_scenarios, resolved_adoption_pct
from model.store import NameTaken, StoreError, default_path, open_store
from model.segments import BLOCK_LABEL, BLOCKS
from model.summary import summary
from model.targets import DECISION_1434, target_for
from pages._live_chart import live_chart

# Okabe–Ito, colour-blind safe.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BASELINE_COLOR, SCENARIO_COLOR, TARGET_COLOR, BAND_COLOR = "#555555", "#0072B2", "#D55E00", "rgba(0,114,178,0.18)"

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
    "dossiers": ("hồ sơ", "dossiers"),
    "computing": ("Đang tính toán…", "Computing…"),
}


def lang() -> str:
    return st.session_state.get("lang", "vi")


def t(key: str) -> str:
    vi, en = T[key]
    return vi if lang() == "vi" else en


def pick(vi: str, en: str) -> str:
    return vi if lang() == "vi" else en


def pct(x, digits=2):
    return fmt.pct(x, lang(), digits)


def pts(x, digits=2, signed=True):
    return fmt.points(x, lang(), digits, signed)


def count(n):
    return fmt.count(n, lang())


def labels(options, label_of) -> "callable":
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


def presenting() -> bool:
    return bool(st.session_state.get("presentation", False))


# ------------------------------------------------------------------ data and model, cached


@st.cache_resource(show_spinner=False)
def compiled_default():
    return compiled_from(load_report())


@functools.cache  # once per server process
def freeze_long_lived_objects() -> None:
    """Streamlit runs a full garbage collection after every script run (runner.postScriptGC), and
    the run's last message waits for it. With pandas, plotly, scipy and Babel loaded that walks
    about 150,000 objects: ≈ 70 ms per slider move on this machine, more than the model takes.
    The modules and the built-in baseline live as long as the server, so they are moved out of
    the collector's sight once (gc.freeze); everything a run creates is still collected."""
    compiled_default()
    gc.collect()
    gc.freeze()


def compiled():
    return st.session_state.get("compiled_override") or compiled_default()


def use_report(report) -> None:
    """Make an imported report the active baseline for this session (None = back to the built-in one).
    Saved scenarios are untouched; results are cached per report id, so nothing stale is shown."""
    st.session_state["compiled_override"] = None if report is None else compiled_from(report)


def report():
    return compiled().report


@st.cache_data(show_spinner=False, max_entries=512)
def _projection(report_id: str, scenario_json: str) -> dict:
    c = compiled()
    s = Scenario.from_json(scenario_json)
    res = evaluate_scenarios(c, [s, status_quo_of(s), fixed_baseline_of(s)])
    bands = monte_carlo(c, s, draws=INTERACTIVE_DRAWS)  # fewer points than exports: a slider move must stay quick
    volumes = dict(zip(BLOCKS, res.agg_volume[0].sum(axis=0)))
    return {
        "monthly": 100 * res.agg_share[0],  # (M, K)
        "status_quo_monthly": 100 * res.agg_share[1],
        "baseline_monthly": 100 * res.agg_share[2],
        "december": 100 * res.december_share[0],
        "annual": 100 * res.annual_share[0],
        "status_quo_december": 100 * res.december_share[1],
        "baseline_december": 100 * res.december_share[2],
        "band_monthly": 100 * bands.monthly,  # (3, M, K)
        "band_december": 100 * bands.december,
        "band_annual": 100 * bands.annual,
        "services": 100 * res.services_kpi[0],
        "services_band": 100 * bands.services,
        "segment_december": 100 * res.share[0, -1, :],
        "segment_online_december": res.online[0, -1, :],
        "segment_volume_december": res.volume[0, -1, :],
        "segment_baseline": 100 * res.share[2, 0, :],
        "targets": {b: target_for(DECISION_1434, b, volumes) for b in BLOCKS},
        "volumes": volumes,
    }


def projection(s: Scenario) -> dict:
    return _projection(report().id, s.to_json())


@st.cache_data(show_spinner=False, max_entries=256)
def _contributions(report_id: str, scenario_json: str) -> pd.DataFrame:
    return contributions(compiled(), Scenario.from_json(scenario_json))


def lever_contributions(s: Scenario) -> pd.DataFrame:
    """Shapley contributions: computed only where they are shown (up to 256 runs with every lever on)."""
    return _contributions(report().id, s.to_json())


@st.cache_data(show_spinner=False, max_entries=64)
def _heat(report_id: str, scenario_json: str, px: str, py: str, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    s = Scenario.from_json(scenario_json)
    p_x, p_y = PARAM_BY_ID[px], PARAM_BY_ID[py]
    xs, ys = np.linspace(p_x.min, p_x.max, n), np.linspace(p_y.min, p_y.max, n)
    return xs, ys, grid(compiled(), s, px, xs, py, ys)


def heat(s: Scenario, px: str, py: str, n: int = 11):
    return _heat(report().id, s.to_json(), px, py, n)


# ------------------------------------------------------------------ the current scenario in session state

def widget_key(param_id: str) -> str:
    return f"p:{param_id}"


def assumption_key(aid: str) -> str:
    return f"a:{aid}"


def effect_key(eid: str) -> str:
    return f"e:{eid}"


DISTRICTS_KEY = "p:commune_enable.districts"
NAME_KEY = "scenario_name"


def builtins() -> list[Scenario]:
    return builtin_scenarios()


def current_scenario() -> Scenario:
    """The scenario the widgets describe (defaults where a widget has not been shown yet)."""
    state = st.session_state
    c = compiled()
    s = Scenario(state.get(NAME_KEY) or pick("Kịch bản hiện tại", "Current scenario"))
    # rounded as param_widget holds them, so the scenario is the same whether it is read before or
    # after the widgets of this run are drawn (the Scenario page reads it first)
    for pid, p in PARAM_BY_ID.items():
        s.settings[pid] = round(float(state.get(widget_key(pid), p.default)), 6)
    adoption = s.settings["commune_enable.adoption_pct"]
    # widget values are rounded to 6 decimals (reference_points), so compare within that rounding
    if c.peer_commune_pct is not None and abs(adoption - c.peer_commune_pct) < 1e-6:
        s.adoption_mode = "peer"
    elif c.best_commune_pct is not None and abs(adoption - c.best_commune_pct) < 1e-6:
        s.adoption_mode = "best"
    districts = state.get(DISTRICTS_KEY)
    s.districts = None if districts is None or sorted(districts) == sorted(c.not_deployed_districts) else list(districts)
    for a in ASSUMPTIONS:
        if a.id == "start_point":
            s.start_point = state.get(assumption_key(a.id), "annual_2022")
        else:
            s.assumptions[a.id] = float(state.get(assumption_key(a.id), a.default))
    for e in EFFECTS:
        s.effects[e.id] = float(state.get(effect_key(e.id), e.central))
    return s


def load_into_widgets(s: Scenario) -> None:
    """Put a scenario's values into the widgets' session state (call from a callback, before the
    widgets are drawn)."""
    state = st.session_state
    c = compiled()
    for pid, p in PARAM_BY_ID.items():
        state[widget_key(pid)] = bool(s.settings[pid]) if p.widget == "toggle" else s.settings[pid]
    state[widget_key("commune_enable.adoption_pct")] = resolved_adoption_pct(c, s)
    state[DISTRICTS_KEY] = list(c.not_deployed_districts if s.districts is None else s.districts)
    state[assumption_key("start_point")] = s.start_point
    for aid, v in s.assumptions.items():
        state[assumption_key(aid)] = v
    for eid, v in s.effects.items():
        state[effect_key(eid)] = v
    state[NAME_KEY] = s.name


CURRENT_KEY = "current_json"


def remember_current(s: Scenario) -> None:
    """A plain (non-widget) copy of the current scenario: other pages read this, and the
    Scenario page restores its widgets from it if Streamlit has dropped them."""
    st.session_state[CURRENT_KEY] = s.to_json()


def remembered_current() -> Scenario:
    text = st.session_state.get(CURRENT_KEY)
    return Scenario.from_json(text) if text else current_scenario()


def restore_widgets_if_needed() -> None:
    if widget_key("fee_cut.cut_pct") not in st.session_state and CURRENT_KEY in st.session_state:
        load_into_widgets(Scenario.from_json(st.session_state[CURRENT_KEY]))


@st.cache_resource(show_spinner=False)
def _store_for(path: str):
    return open_store(path)


def scenario_store():
    """(store, error). With an error (corrupt file, newer schema, unwritable folder) the app runs on
    the built-in scenarios and keeps new saves for this session only, and says so."""
    return _store_for(str(default_path()))


def store_warning() -> None:
    store, err = scenario_store()
    if err is not None:
        st.warning(pick(err.message_vi, err.message_en) + " " + pick(
            "Kịch bản lưu bây giờ chỉ được giữ trong phiên làm việc này.", "Scenarios saved now last for this session only."),
            icon=":material/warning:")


def saved_scenarios() -> dict[str, str]:
    """name -> scenario JSON: the SQLite library, or this session's saves when it is unavailable."""
    store, err = scenario_store()
    if store is not None:
        try:
            return {item.name: item.body for item in store.list()}
        except StoreError:
            pass
    return st.session_state.setdefault("session_scenarios", {})


def scenario_names() -> list[str]:
    """Built-in scenarios, then saved ones — names only: cheap enough for a slider move's rerun."""
    return list(dict.fromkeys([s.name for s in builtins()] + list(saved_scenarios())))


def scenario_named(name: str) -> Scenario | None:
    """Parsed only when one is actually used (a saved one wins over a built-in of the same name)."""
    saved = saved_scenarios()
    if name in saved:
        return Scenario.from_json(saved[name])
    return next((s for s in builtins() if s.name == name), None)


def _name_taken(name: str) -> str:
    return pick(f"Đã có kịch bản tên “{name}”. Chọn “Ghi đè” để thay thế.",
                f"A scenario named “{name}” exists. Tick “Replace” to overwrite it.")


def show_message(message: tuple[str, str] | None) -> None:
    """A (kind, text) outcome kept in session state by a callback: error, warning or success."""
    if message:
        {"error": st.error, "warning": st.warning, "success": st.success}[message[0]](plain(message[1]))


def save_scenario(s: Scenario, author: str, replace: bool) -> tuple[str, str]:
    """(kind, message) for the page to show; never raises."""
    store, err = scenario_store()
    if store is None:
        session = st.session_state.setdefault("session_scenarios", {})
        if s.name in session and not replace:
            return "error", _name_taken(s.name)
        session[s.name] = s.to_json()
        return "warning", pick(f"Đã lưu “{s.name}” trong phiên này (không lưu được vào tệp).",
                               f"Saved “{s.name}” for this session (the file cannot be used).")
    try:
        store.save(s, author=author, replace=replace)
    except NameTaken:
        return "error", _name_taken(s.name)
    except StoreError as e:
        return "error", pick(e.message_vi, e.message_en)
    return "success", pick(f"Đã lưu kịch bản “{s.name}” vào {store.path}.", f"Saved scenario “{s.name}” to {store.path}.")


def save_many(scenarios: list[Scenario]) -> tuple[str, str]:
    """Import: all saved, or none (one transaction); never raises."""
    store, err = scenario_store()
    names = ", ".join(s.name for s in scenarios)
    if store is None:
        session = st.session_state.setdefault("session_scenarios", {})
        if any(s.name in session for s in scenarios):
            return "error", pick("Đã có kịch bản cùng tên trong phiên; không nhập gì.", "A name already exists; nothing imported.")
        session.update({s.name: s.to_json() for s in scenarios})
        return "warning", pick(f"Đã nhập trong phiên này: {names}.", f"Imported for this session: {names}.")
    try:
        store.save_many(scenarios)
    except StoreError as e:
        return "error", pick(e.message_vi + " Không nhập kịch bản nào.", e.message_en + " Nothing was imported.")
    return "success", pick(f"Đã nhập: {names}.", f"Imported: {names}.")


# ------------------------------------------------------------------ the scenario in the address bar

URL_NOTICES_KEY = "url_notices"


def apply_link_once() -> None:
    """On the first visit of a session, a scenario in the address bar (a shared link) is loaded into
    the widgets; bad values fall back to their defaults with a notice."""
    if st.session_state.get("link_applied"):
        return
    st.session_state["link_applied"] = True
    params = {k: st.query_params.get(k) for k in st.query_params.keys() if k in link_keys()}
    if not params:
        return
    c = compiled()
    s, notices = scenario_from_query(params, params.get("name") or pick("Kịch bản từ liên kết", "Scenario from a link"),
                                     c.not_deployed_districts)
    load_into_widgets(s)
    st.session_state[URL_NOTICES_KEY] = notices


def show_link_notices() -> None:
    for vi, en in st.session_state.get(URL_NOTICES_KEY, []):
        st.warning(plain(pick(vi, en)), icon=":material/link_off:")


def _link_changes(s: Scenario) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """The query for `s`, and what the address bar needs to show it: keys to remove, keys to set."""
    wanted = scenario_to_query(s)
    stale = [k for k in st.query_params.keys() if k in link_keys() and k not in wanted]
    return wanted, stale, {k: v for k, v in wanted.items() if st.query_params.get(k) != v}


def sync_link(s: Scenario) -> None:
    """Make the address bar equal to the settings, so copying it shares the scenario (the Scenario
    page does this once the levers have rested: pages/_address_bar.py)."""
    _, stale, changed = _link_changes(s)
    for key in stale:
        del st.query_params[key]
    if changed:
        st.query_params.update(changed)


def link_update(s: Scenario) -> str | None:
    """The query string the address bar should show for `s`, or None when it already shows it."""
    wanted, stale, changed = _link_changes(s)
    return "&".join(f"{k}={v}" for k, v in sorted(wanted.items())) if stale or changed else None


@functools.lru_cache(maxsize=1)
def link_keys() -> frozenset:
    return frozenset(scenario_keys() - {"name"})


# ------------------------------------------------------------------ widgets from declarations

def _options(p: Param, extra: tuple[float, ...] = ()) -> list[float]:
    n = int(round((p.max - p.min) / p.step))
    values = {round(p.min + i * p.step, 6) for i in range(n + 1)} | {round(v, 6) for v in extra}
    values |= {round(step.value, 6) for step in p.steps}
    return sorted(values)


def _format_value(p: Param, v: float, named: dict[float, str], language: str) -> str:
    if p.widget == "month":
        return fmt.month_label(int(v), 2023, language)
    if p.widget == "months":
        return f"{int(v)} tháng" if language == "vi" else f"{int(v)} months"
    text = fmt.pct(v, language, 2 if v != int(v) else 0) if p.unit == "%" else fmt.number(v, language)
    label = named.get(round(v, 6))
    return f"{text} — {label}" if label else text


def format_param_value(p: Param, v: float) -> str:
    """A setting's value as the sliders show it (Babel; whole percentages without decimals)."""
    return _format_value(p, v, {}, lang())


@functools.lru_cache(maxsize=512)
def _slider_table(p: Param, language: str, extra_named: tuple[tuple[float, str], ...]) -> tuple[list[float], dict]:
    """Options and their Babel-formatted labels for one parameter; built once per language (a
    few thousand Babel calls per rerun otherwise)."""
    named = {round(s.value, 6): (s.label_vi if language == "vi" else s.label_en) for s in p.steps}
    named.update({round(v, 6): label for v, label in extra_named})
    options = _options(p, tuple(v for v, _ in extra_named))
    return options, {v: _format_value(p, v, named, language) for v in options}


def _plain_slider_format(p: Param) -> str | None:
    """A printf format for st.slider when every value on the slider's steps reads the same in both
    languages (whole percentages: 40% is 40% in Vietnamese and English); None otherwise.
    st.slider is much lighter in the browser than a select_slider carrying a label per option,
    which matters for the sliders redrawn on every move."""
    whole = all(float(v).is_integer() for v in (p.min, p.max, p.step))
    return "%d%%" if p.widget == "slider" and p.unit == "%" and whole else None


def reference_points(p: Param) -> tuple[tuple[float, str], ...]:
    """Named values a parameter can be set to besides its steps (the commune adoption's peer average
    and best peer, measured from the active data)."""
    if p.id != "commune_enable.adoption_pct":
        return ()
    c = compiled()
    if c.peer_commune_pct is None:
        return ()
    return ((round(c.peer_commune_pct, 6), pick("bình quân huyện bạn", "peer average")),
            (round(c.best_commune_pct, 6), pick("huyện bạn tốt nhất", "best peer")))


def param_widget(p: Param, key: str | None = None, label: str | None = None, help_text: str | None = None) -> None:
    """One widget for one declared parameter: values formatted by Babel, named steps labelled."""
    key = key or widget_key(p.id)
    label = label or pick(p.label_vi, p.label_en)
    help_text = help_text or pick(p.help_vi, p.help_en)
    if p.widget == "toggle":
        st.session_state[key] = bool(st.session_state.get(key, p.default))  # the model reads it as 0/1
        st.toggle(label, key=key, help=help_text, persist_state="session")
        return
    extra = reference_points(p)
    if extra:
        p = Param(**{**p.__dict__, "step": 1.0})  # whole percentages on the track; the references exactly
    current = round(float(st.session_state.get(key, p.default)), 6)
    st.session_state[key] = current
    plain_format = _plain_slider_format(p)
    if plain_format and float(current).is_integer():
        named = [(step.value, pick(step.label_vi, step.label_en)) for step in p.steps] + list(extra)
        if named:  # a plain slider cannot print names on its track: they go in its help
            help_text += "\n\n**" + pick("Các mốc", "Reference points") + ":** " + "; ".join(
                _format_value(p, v, {round(v, 6): name}, lang()) for v, name in named)
        st.slider(label, min_value=float(p.min), max_value=float(p.max), step=float(p.step), format=plain_format,
                  key=key, help=help_text, persist_state="session")
        return
    # Months, decimals, and a reference value between the whole percentages: every option labelled.
    options, table = _slider_table(p, lang(), extra)
    if current not in table:  # a loaded scenario's value between the steps
        options = sorted(set(options) | {current})
        table = {**table, current: _format_value(p, current, {}, lang())}
    st.select_slider(label, options=options, key=key, help=help_text, persist_state="session",
                     format_func=table.__getitem__)


def lever_help(lever) -> str:
    effects = "; ".join(
        f"{pick(e.label_vi, e.label_en)}: {fmt.number(e.low, lang())} / {fmt.number(e.central, lang())} / "
        f"{fmt.number(e.high, lang())} ({pick('giả định', 'assumption') if e.assumption else pick('có nguồn', 'sourced')})"
        for e in lever.effects)
    return (f"{pick(lever.help_vi, lever.help_en)}\n\n**{pick('Cách tính', 'Formula')}:** "
            f"{pick(lever.formula_vi, lever.formula_en)}\n\n**{pick('Hệ số (thấp / trung tâm / cao)', 'Effect (low / central / high)')}:** "
            f"{effects}\n\n**{pick('Căn cứ', 'Evidence')}:** " + " ".join(pick(e.source_vi, e.source_en) for e in lever.effects))


def group_label(group: str) -> str:
    vi, en = GROUPS[group]
    return pick(vi, en)


# ------------------------------------------------------------------ charts

def layout_spec(height: int = 420, title: str | None = None) -> dict:
    """Our chart style as a plain plotly layout dict: larger type in presentation mode, the
    locale's decimal separator, Okabe–Ito colours."""
    size = 18 if presenting() else 14
    layout = dict(
        height=height, margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        font=dict(size=size, family="Noto Sans, Arial, sans-serif", color="#111111"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, font=dict(size=size)),
        separators=",." if lang() == "vi" else ".,", plot_bgcolor="white", paper_bgcolor="white",
        colorway=OKABE_ITO, hoverlabel=dict(font=dict(size=size)),
        # automargin: room for tick labels and axis titles (st.plotly_chart's theme did this for us)
        xaxis=dict(showgrid=False, linecolor="#333", tickfont=dict(size=size), automargin=True),
        yaxis=dict(gridcolor="#DDDDDD", linecolor="#333", tickfont=dict(size=size), automargin=True),
    )
    if title:
        layout["title"] = dict(text=title, font=dict(size=size + 2))
    return layout


def base_layout(fig: go.Figure, height: int = 420, title: str | None = None) -> go.Figure:
    layout = layout_spec(height, title)
    xaxis, yaxis = layout.pop("xaxis"), layout.pop("yaxis")
    fig.update_layout(**layout)
    fig.update_xaxes(**xaxis)  # every subplot's axes, not only the first
    fig.update_yaxes(**yaxis)
    return fig


def show_chart(fig: go.Figure, data: pd.DataFrame, name: str, key: str) -> None:
    st.plotly_chart(fig, config={"displaylogo": False, "locale": "vi" if lang() == "vi" else "en"}, key=f"chart-{key}")
    csv_button(data, name, key)


def show_live_chart(fig: dict, data: pd.DataFrame, name: str, key: str, alt: str) -> None:
    """show_chart for a chart that a slider redraws: updated in place instead of remounted."""
    live_chart(fig, key=f"live-{key}", alt=alt, config={"displaylogo": False})
    csv_button(data, name, key)


def csv_button(data: pd.DataFrame, name: str, key: str) -> None:
    # The CSV is made when the button is clicked (a callable), not on every slider move.
    st.download_button(t("download_csv"), functools.partial(csv_bytes, data), file_name=f"{name}.csv", mime="text/csv",
                       key=f"csv-{key}", icon=":material/download:", on_click="ignore")


def csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM so Excel opens Vietnamese text correctly


def month_labels(year: int = 2023) -> list[str]:
    return [fmt.month_label(m, year, lang()) for m in range(1, 13)]


def trajectory_spec(series: list[dict], target: float | None, year: int, height: int = 420,
                    band: tuple[np.ndarray, np.ndarray] | None = None) -> dict:
    """The monthly trajectory as plain plotly JSON (no per-move validation cost for the live chart).
    series: [{"name", "values" (12,), "color", "dash", "width"}]; band: (p10, p90) for the first series."""
    x = fmt.MONTH_ABBR[lang()]
    traces = []
    if band is not None:
        traces.append(dict(type="scatter", x=x + x[::-1], y=list(band[1]) + list(band[0])[::-1], fill="toself",
                           fillcolor=BAND_COLOR, line=dict(width=0), name=t("band"), hoverinfo="skip"))
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon"]
    for i, sr in enumerate(series):
        values = [float(v) for v in sr["values"]]
        traces.append(dict(
            type="scatter", x=x, y=values, name=sr["name"], mode="lines+markers",
            line=dict(color=sr.get("color", OKABE_ITO[i % 8]), width=sr.get("width", 3), dash=sr.get("dash", "solid")),
            marker=dict(symbol=symbols[i % len(symbols)], size=8),
            customdata=[pct(v) for v in values], hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>"))
    if target is not None:
        traces.append(dict(type="scatter", x=x, y=[target] * 12, name=f"{t('target_line')} {pct(target)}", mode="lines",
                           line=dict(color=TARGET_COLOR, width=3, dash="dash"), hoverinfo="skip"))
    layout = layout_spec(height)
    layout["legend"] = dict(orientation="h", yanchor="top", y=-0.14, xanchor="left", x=0, font=layout["legend"]["font"])
    layout["margin"]["b"] = 40
    layout["xaxis"]["tickangle"] = 0
    layout["yaxis"].update(title=dict(text=t("share_axis")), ticksuffix="%", rangemode="tozero")
    return {"data": traces, "layout": layout}


def trajectory_figure(series: list[dict], target: float | None, year: int, height: int = 420,
                      band: tuple[np.ndarray, np.ndarray] | None = None) -> go.Figure:
    return go.Figure(trajectory_spec(series, target, year, height, band))


def status_text(value: float, target: float | None) -> tuple[str, str]:
    """(text, badge colour). Text always says it, colour only repeats it."""
    if target is None or value is None or value != value:
        return t("no_target"), "gray"
    gap = value - target
    if gap >= 0:
        return f"✓ {t('reached')} ({pts(gap)})", "green"
    return f"✗ {t('not_reached')} ({pts(gap)})", "red"


def scenario_summary(s: Scenario, proj: dict) -> str:
    b = BLOCKS.index("province")
    return summary(s, proj["december"][b], proj["band_december"][0, b], proj["band_december"][2, b],
                   proj["targets"]["province"], lang())


def inject_css() -> None:
    """Static CSS written here (no user text): presentation mode enlarges type and hides chrome."""
    css = """
    <style>
    /* KPI values and labels wrap instead of being cut off on a 1280-px projector */
    [data-testid="stMetricValue"] { font-size: clamp(1.35rem, 1.9vw, 2.2rem); }
    [data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] > div, [data-testid="stMetricLabel"] p,
    [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] .stMarkdownEllipsis, [data-testid="stMetricDelta"] p {
        white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
        height: auto !important; max-width: 100% !important; }
    .block-container { padding-top: 2.2rem; padding-bottom: 1rem; }
    /* segmented controls wrap onto a second line instead of hiding options behind a sideways scroll */
    [data-testid="stButtonGroup"] > div { flex-wrap: wrap !important; overflow: visible !important; }
    /* the address-bar keeper (pages/_address_bar.py) has nothing to show */
    .st-key-address-bar { display: none !important; }
    """
    if presenting():
        # Targeted selectors only: a blanket rule would also shrink headings and KPI values.
        css += """
        .block-container { padding-top: 4.8rem !important; }
        .stApp [data-testid="stMarkdownContainer"] p, .stApp [data-testid="stMarkdownContainer"] li,
        .stApp [data-testid="stWidgetLabel"] p, .stApp button p, .stApp [data-testid="stCaptionContainer"],
        .stApp [data-testid="stSliderThumbValue"] p, .stApp [data-baseweb="tab"] p,
        .stApp [data-testid="stHeader"] a span, .stApp [data-testid="stMetricDelta"] div { font-size: 21px !important; }
        .stApp [data-testid="stHeading"] h2 { font-size: 2.5rem !important; }
        .stApp [data-testid="stHeading"] h3 { font-size: 1.8rem !important; }
        .stApp [data-testid="stMetricValue"] div, .stApp [data-testid="stMetricValue"] p {
            font-size: clamp(1.8rem, 2.6vw, 3rem) !important; font-weight: 700; line-height: 1.2; }
        .stApp [data-testid="stMetricLabel"] p { font-size: 21px !important; font-weight: 600; }
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stMainMenu"],
        [data-testid="stAppDeployButton"], [data-testid="stDecoration"], footer { display: none !important; }
        .stApp { color: #000000; background: #FFFFFF; }
        """
    css += "</style>"
    st.html(css)
