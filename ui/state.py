"""Session state with named keys and typed accessors: the active data, the active target set,
the scenario the widgets describe. Pages never read `st.session_state` by literal key."""

from __future__ import annotations

import copy
import functools
import gc
import hashlib

import pandas as pd
import streamlit as st

from model.analysis import compiled_from
from model.baseline import Report, load_report
from model.calibration import Calibration, calibrate
from model.engine import Compiled
from model.levers import ASSUMPTIONS, EFFECTS, PARAM_BY_ID
from model.limits import MIN_CALIBRATION_MONTHS
from model.scenario import ADOPTION_PARAMS, Scenario, ScenarioError, builtin_scenarios, resolved_adoption_pct
from model.series import ReportSeries, month_index, series_from_reports
from model.targets import DEFAULT_TARGET_SET, SHIPPED, TargetSet
from ui.i18n import lang, pick
from ui.keys import Key


def presenting() -> bool:
    return bool(st.session_state.get(Key.PRESENTATION, False))


# ------------------------------------------------------------------ the active data


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


def compiled() -> Compiled:
    """The active data, compiled (with the status quo estimated from the series when there is one),
    aimed at the active target set (the unit-target lever uses it)."""
    base = st.session_state.get(Key.COMPILED_OVERRIDE) or compiled_default()
    return base.with_targets(active_targets())


def use_report(report: Report | None) -> None:
    """Make an imported report the active baseline for this session (None = back to the built-in one).
    A monthly series tied to the earlier data is dropped. Saved scenarios are untouched; results are
    cached per data version, so nothing stale is shown."""
    st.session_state[Key.COMPILED_OVERRIDE] = None if report is None else compiled_from(report)
    st.session_state.pop(Key.SERIES, None)
    st.session_state.pop(Key.CALIBRATION, None)
    st.session_state.pop(Key.PLAN_YEAR, None)


def use_series(series: ReportSeries) -> None:
    """Make a monthly series the active one: its calibration (units with enough months) becomes the
    "estimated from the series" starting point, and the plan year moves to the year after it."""
    cal = calibrate(series) if series.n_months >= MIN_CALIBRATION_MONTHS else None
    base = st.session_state.get(Key.COMPILED_OVERRIDE) or compiled_default()
    st.session_state[Key.SERIES] = series
    st.session_state[Key.CALIBRATION] = cal
    st.session_state[Key.COMPILED_OVERRIDE] = base.with_calibration(cal)
    st.session_state[Key.PLAN_YEAR] = series.last_month // 12 + 1


def active_series() -> ReportSeries:
    """The imported series, or the one the active report makes on its own."""
    series = st.session_state.get(Key.SERIES)
    return series if series is not None else _report_series(report().id)


@st.cache_resource(show_spinner=False, max_entries=8)
def _report_series(report_id: str) -> ReportSeries:
    return series_from_reports([report()])


def active_calibration() -> Calibration | None:
    return st.session_state.get(Key.CALIBRATION)


def data_version() -> str:
    """What the results depend on besides the scenario and the targets: the report and the series."""
    series = st.session_state.get(Key.SERIES)
    if series is None:
        return report().id
    digest = hashlib.sha1(pd.util.hash_pandas_object(series.obs, index=False).values.tobytes()).hexdigest()[:10]
    return f"{report().id}+{digest}"


def data_last_month() -> int:
    """Month index of the last month with data (the series' last month, or the report's)."""
    series = st.session_state.get(Key.SERIES)
    return series.last_month if series is not None else month_index(report().period)


def plan_year() -> int:
    """The plan year: the year after the last month of data, unless the user chose another."""
    return int(st.session_state.get(Key.PLAN_YEAR) or data_last_month() // 12 + 1)


def using_imported_report() -> bool:
    return st.session_state.get(Key.COMPILED_OVERRIDE) is not None


def report() -> Report:
    return compiled().report


def report_month() -> str:
    """The active report's month as people write it: 12/2022."""
    period = report().period
    return f"{period[5:]}/{period[:4]}"


# ------------------------------------------------------------------ target sets


def target_sets() -> dict[str, TargetSet]:
    """The shipped target sets and this session's edited copies, by id."""
    return st.session_state.setdefault(Key.TARGET_SETS, {t.id: t for t in SHIPPED})


def apply_next_target_set() -> None:
    """Make the set chosen in the previous run (an edit's first copy) active, before any page draws the
    selectbox that holds the active set, and before the address bar is written from it."""
    next_set = st.session_state.pop(Key.TARGET_SET_NEXT, None)
    if next_set in target_sets():
        st.session_state[Key.TARGET_SET] = next_set


def active_targets() -> TargetSet:
    """The one target set every page, the Scenario page's KPI badge and the Excel export use."""
    sets = target_sets()
    return sets.get(st.session_state.get(Key.TARGET_SET, DEFAULT_TARGET_SET.id), DEFAULT_TARGET_SET)


# ------------------------------------------------------------------ the current scenario


def builtins() -> list[Scenario]:
    return builtin_scenarios()


def current_scenario() -> Scenario:
    """The scenario the widgets describe (defaults where a widget has not been shown yet)."""
    state = st.session_state
    c = compiled()
    s = Scenario(state.get(Key.SCENARIO_NAME) or pick("Kịch bản hiện tại", "Current scenario"), plan_year=plan_year())
    # rounded as param_widget holds them, so the scenario is the same whether it is read before or
    # after the widgets of this run are drawn (the Scenario page reads it first)
    for pid, p in PARAM_BY_ID.items():
        s.settings[pid] = round(float(state.get(Key.widget(pid), p.default)), 6)
    for pid in ADOPTION_PARAMS:
        adoption = s.settings[pid]
        # widget values are rounded to 6 decimals (reference_points), so compare within that rounding
        if c.peer_commune_pct is not None and abs(adoption - c.peer_commune_pct) < 1e-6:
            s.adoption_mode = "peer"
        elif c.best_commune_pct is not None and abs(adoption - c.best_commune_pct) < 1e-6:
            s.adoption_mode = "best"
    districts = state.get(Key.DISTRICTS)
    s.districts = None if districts is None or sorted(districts) == sorted(c.not_deployed_districts) else list(districts)
    for a in ASSUMPTIONS:
        if a.id == "start_point":
            s.start_point = state.get(Key.assumption(a.id), "annual_2022")
        else:
            s.assumptions[a.id] = float(state.get(Key.assumption(a.id), a.default))
    for e in EFFECTS:
        s.effects[e.id] = float(state.get(Key.effect(e.id), e.central))
    s.outside_evidence = bool(s.effects_outside_evidence())  # only a loaded scenario can carry such values
    return s


def load_into_widgets(s: Scenario) -> None:
    """Put a scenario's values into the widgets' session state (call from a callback, before the
    widgets are drawn)."""
    state = st.session_state
    c = compiled()
    for pid, p in PARAM_BY_ID.items():
        state[Key.widget(pid)] = bool(s.settings[pid]) if p.widget == "toggle" else s.settings[pid]
    for pid in ADOPTION_PARAMS:
        state[Key.widget(pid)] = resolved_adoption_pct(c, s, pid)
    state[Key.DISTRICTS] = list(c.not_deployed_districts if s.districts is None else s.districts)
    state[Key.assumption("start_point")] = s.start_point
    for aid, v in s.assumptions.items():
        state[Key.assumption(aid)] = v
    for eid, v in s.effects.items():
        state[Key.effect(eid)] = v
    state[Key.SCENARIO_NAME] = s.name
    state[Key.PLAN_YEAR] = s.plan_year


def remember_current(s: Scenario) -> None:
    """A plain (non-widget) copy of the current scenario: other pages read this, and the
    Scenario page restores its widgets from it if Streamlit has dropped them."""
    st.session_state[Key.CURRENT_JSON] = s.to_json()


@functools.lru_cache(maxsize=32)
def _parsed_scenario(text: str) -> Scenario:
    """A stored scenario's JSON, parsed once: every page and the chrome ask for it several times a run."""
    return Scenario.from_json(text)


def remembered_current() -> Scenario:
    """The scenario being edited. A stored copy that no longer loads (written by an earlier version)
    is dropped with a message, and the widgets' own values are used."""
    text = st.session_state.get(Key.CURRENT_JSON)
    if text:
        try:
            return copy.deepcopy(_parsed_scenario(text))  # the caller's own copy: pages may change it
        except ScenarioError as err:
            st.session_state.pop(Key.CURRENT_JSON, None)
            st.session_state[Key.STATE_MESSAGES] = err.messages(lang())
    return current_scenario()


def restore_widgets_if_needed() -> None:
    if Key.widget(next(iter(PARAM_BY_ID))) not in st.session_state and Key.CURRENT_JSON in st.session_state:
        load_into_widgets(Scenario.from_json(st.session_state[Key.CURRENT_JSON]))
