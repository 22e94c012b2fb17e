"""Session state with named keys and typed accessors: the active data, the active target set,
the scenario the widgets describe. Pages never read `st.session_state` by literal key."""

from __future__ import annotations

import copy
import functools
import gc
import hashlib
from dataclasses import dataclass

import streamlit as st

from model.analysis import compiled_from
from model.baseline import Report, load_report
from model.calibration import Calibration, calibrate
from model.datasets import BUILTIN_ID, EXAMPLE_2025_ID, Dataset, builtin_dataset, open_dataset
from model.engine import Compiled
from model.levers import ASSUMPTIONS, EFFECTS, PARAM_BY_ID
from model.limits import MIN_CALIBRATION_MONTHS
from model.scenario import ADOPTION_PARAMS, Scenario, ScenarioError, builtin_scenarios, resolved_adoption_pct
from model.series import ReportSeries, series_from_reports
from model.store import StoreError
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


@dataclass(frozen=True)
class ActiveData:
    """A dataset opened for the pages: its record, report, series, calibration and compiled model."""

    dataset: Dataset
    report: Report
    series: ReportSeries | None
    calibration: Calibration | None
    compiled: Compiled
    # the kept register whose measures are level shifts in the calibration (its CSV text, and a digest of it
    # for the results' cache key); None when there is none or the rules of the day refuse it
    register_csv: str | None = None
    register_digest: str | None = None


def _find_dataset(dataset_id: str) -> Dataset | None:
    found = builtin_dataset(dataset_id)
    if found is not None:
        return found
    from ui.actions import scenario_store

    store, _ = scenario_store()
    if store is None:
        return st.session_state.get(Key.SESSION_DATASETS, {}).get(dataset_id)
    try:
        return store.dataset(dataset_id)
    except StoreError:
        return st.session_state.get(Key.SESSION_DATASETS, {}).get(dataset_id)


# A dataset's id is a digest of its content, so what is opened under an id never changes: opened once
# per server process (loading, validating and calibrating a series takes a second), shared by sessions.
@st.cache_resource(show_spinner=False, max_entries=16)
def _opened(dataset_id: str, _dataset: Dataset, register_csv: str | None = None) -> ActiveData:
    """`register_csv`: the register of measures kept with the dataset; its measures enter the status
    quo's calibration as level shifts in their units (a past measure is not a trend)."""
    if dataset_id == BUILTIN_ID:
        c = compiled_default()
        return ActiveData(_dataset, c.report, None, None, c)
    opened = open_dataset(_dataset)
    cal, steps = None, None
    if opened.series is not None and opened.series.n_months >= MIN_CALIBRATION_MONTHS:
        from model.register import register_steps

        steps = register_steps(register_csv, set(opened.series.segments.seg_id))
        cal = calibrate(opened.series, register=steps)
    c = compiled_from(opened.report).with_calibration(cal)
    # the register's digest joins the results' cache key only when it changed the calibration
    used = register_csv if register_csv and steps is not None else None
    digest = hashlib.sha256(used.encode("utf-8")).hexdigest()[:12] if used else None
    return ActiveData(_dataset, opened.report, opened.series, cal, c, used, digest)


def kept_register(dataset_id: str) -> str | None:
    """The register kept with a dataset (its CSV text), or None."""
    from model.store import default_path

    return _kept_register(str(default_path()), dataset_id)


@st.cache_data(show_spinner=False, ttl=60, max_entries=16)
def _kept_register(library: str, dataset_id: str) -> str | None:
    """Read once a minute at most, per library file: every page run asks for it, and a library read
    costs about half a millisecond. A register kept from this server clears it at once
    (ui.actions.keep_dataset_file); one kept from the command line shows within the minute."""
    if dataset_id == BUILTIN_ID:
        return None
    from ui.actions import scenario_store

    store, _ = scenario_store()
    if store is None:
        return None
    try:
        kept = store.dataset_file(dataset_id, "measures")
    except StoreError:
        return None
    return None if kept is None else kept[2]


def dataset_exists(dataset_id: str) -> bool:
    return _find_dataset(dataset_id) is not None


def begin_run() -> None:
    """Called first in every run (app.py): a new run, so what was looked up once per run is looked up again."""
    st.session_state[Key.RUN] = st.session_state.get(Key.RUN, 0) + 1


def active_data() -> ActiveData:
    """The dataset the session works on (`?data=<id>`; the built-in report when none is chosen). A
    dataset deleted meanwhile falls back to the built-in report, with a notice. Looked up once per run
    and dataset: a page asks for it twenty times, and each lookup reads the library."""
    state = st.session_state
    memo_key = (state.get(Key.RUN), state.get(Key.DATASET) or BUILTIN_ID)
    memo = state.get(Key.ACTIVE_DATA_MEMO)
    if memo is not None and memo[0] == memo_key:
        return memo[1]
    data = _active_data()
    state[Key.ACTIVE_DATA_MEMO] = (memo_key, data)
    return data


def forget_active_data() -> None:
    """After the library changed under the active dataset (a register kept): look it up again."""
    st.session_state.pop(Key.ACTIVE_DATA_MEMO, None)


def _active_data() -> ActiveData:
    dataset_id = st.session_state.get(Key.DATASET) or BUILTIN_ID
    ds = _find_dataset(dataset_id)
    if ds is None:
        st.session_state[Key.DATASET] = BUILTIN_ID
        st.session_state.setdefault(Key.URL_NOTICES, []).append(
            (
                f"Không còn bộ số liệu “{dataset_id[:40]}”; dùng số liệu có sẵn (Báo cáo 01/CĐS).",
                f"Dataset “{dataset_id[:40]}” no longer exists; the built-in data (report 01/CĐS) is used.",
            )
        )
        dataset_id, ds = BUILTIN_ID, builtin_dataset(BUILTIN_ID)
        assert ds is not None
    return _opened(dataset_id, ds, kept_register(dataset_id))


def compiled() -> Compiled:
    """The active data, compiled (with the status quo estimated from the series when there is one),
    aimed at the active target set (the unit-target lever uses it)."""
    return active_data().compiled.with_targets(active_targets())


def use_dataset(dataset_id: str | None) -> None:
    """Make a dataset the session's (None = the built-in report). The plan year goes back to the
    year after the data's last month; the starting point follows the data ("latest"). Saved
    scenarios are untouched; results are cached per dataset, so nothing stale is shown."""
    st.session_state[Key.DATASET] = dataset_id or BUILTIN_ID
    st.session_state.pop(Key.PLAN_YEAR, None)
    # what belongs to the earlier data: its block and districts, its register of measures and the
    # estimates taken from it, its Decision 766 indicators
    for key in (
        Key.BLOCK,
        Key.DISTRICTS,
        Key.REGISTER,
        Key.REGISTER_RESULT,
        Key.REGISTER_NAME,
        Key.REGISTER_KEPT_ERROR,
        Key.ESTIMATED_EFFECTS,
        Key.INDICATORS_766,
        Key.INDICATORS_766_MESSAGE,
    ):
        st.session_state.pop(key, None)
    current = st.session_state.get(Key.CURRENT_JSON)
    if current:  # the scenario being edited keeps its levers; its year and districts follow the new data
        s = Scenario.from_json(current)
        s.plan_year = active_data().compiled.first_plan_year
        s.districts = None
        remember_current(s)
        load_into_widgets(s)


def active_series() -> ReportSeries:
    """The imported series, or the one the active report makes on its own."""
    series = active_data().series
    return series if series is not None else _report_series(report().id)


@st.cache_resource(show_spinner=False, max_entries=8)
def _report_series(report_id: str) -> ReportSeries:
    return series_from_reports([report()])


def active_calibration() -> Calibration | None:
    return active_data().calibration


def active_dataset() -> Dataset:
    return active_data().dataset


def data_version() -> str:
    """The active dataset's id (a digest of its content): what files are kept with and estimates name."""
    return active_data().dataset.id


def results_version() -> str:
    """What the results depend on besides the scenario and the targets: the dataset, and the register
    kept with it (its measures change the status quo's calibration)."""
    data = active_data()
    return data.dataset.id if data.register_digest is None else f"{data.dataset.id}:{data.register_digest}"


def data_last_month() -> int:
    """Month index of the last month with data (the series' last month, or the report's)."""
    return active_data().compiled.data_last_month


def plan_year() -> int:
    """The plan year: the year after the last month of data, unless the user chose a later one."""
    first = active_data().compiled.first_plan_year
    chosen = st.session_state.get(Key.PLAN_YEAR)
    return int(chosen) if chosen and int(chosen) >= first else first


def using_imported_report() -> bool:
    return active_data().dataset.id != BUILTIN_ID


def report() -> Report:
    return active_data().report


def report_month() -> str:
    """The active report's month as people write it: 12/2022."""
    period = report().period
    return f"{period[5:]}/{period[:4]}"


def last_month_label() -> str:
    """The last month with data, as people write it: 11/2026."""
    last = data_last_month()
    return f"{last % 12 + 1:02d}/{last // 12}"


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
    """The built-in scenarios, for the session's plan year: they are templates, not plans of a year."""
    return [with_plan_year(s) for s in builtin_scenarios()]


def with_plan_year(s: Scenario) -> Scenario:
    out = s.copy()
    out.plan_year = plan_year()
    return out


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
            s.start_point = state.get(Key.assumption(a.id), "latest")
        else:
            s.assumptions[a.id] = float(state.get(Key.assumption(a.id), a.default))
    for e in EFFECTS:
        s.effects[e.id] = float(state.get(Key.effect(e.id), e.central))
    # the ranges learned from a dataset ("Dùng ước lượng này", or a scenario or link that carries them)
    s.estimated = dict(state.get(Key.ESTIMATED_EFFECTS) or {})
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
    state[Key.ESTIMATED_EFFECTS] = dict(s.estimated)
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


def template_report(structure: str) -> Report:
    """The report a template is pre-filled from: the built-in report for the 2022 structure, the
    made-up example for the structure after 7/2025."""
    dataset_id = BUILTIN_ID if structure == "districts" else EXAMPLE_2025_ID
    ds = builtin_dataset(dataset_id)
    assert ds is not None
    return _opened(dataset_id, ds).report
