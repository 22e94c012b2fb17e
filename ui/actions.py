"""What the pages do to the outside world: the scenario library (SQLite) and the address bar.
Every action returns (kind, message) or shows a message; none raises into a page."""

from __future__ import annotations

import functools

import streamlit as st

from model.links import scenario_from_query, scenario_keys, scenario_to_query
from model.scenario import Scenario
from model.store import NameTaken, StoreError, default_path, open_store
from model.tracking import PlanOfRecord
from ui.i18n import pick, plain
from ui.keys import Key
from ui.state import builtins, compiled, load_into_widgets


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
        st.warning(
            pick(err.message_vi, err.message_en)
            + " "
            + pick(
                "Kịch bản lưu bây giờ chỉ được giữ trong phiên làm việc này.", "Scenarios saved now last for this session only."
            ),
            icon=":material/warning:",
        )


def saved_scenarios() -> dict[str, str]:
    """name -> scenario JSON: the SQLite library, or this session's saves when it is unavailable."""
    store, err = scenario_store()
    if store is not None:
        try:
            return {item.name: item.body for item in store.list()}
        except StoreError:
            pass
    return st.session_state.setdefault(Key.SESSION_SCENARIOS, {})


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
    return pick(
        f"Đã có kịch bản tên “{name}”. Chọn “Ghi đè” để thay thế.",
        f"A scenario named “{name}” exists. Tick “Replace” to overwrite it.",
    )


def show_message(message: tuple[str, str] | None) -> None:
    """A (kind, text) outcome kept in session state by a callback: error, warning or success."""
    if message:
        {"error": st.error, "warning": st.warning, "success": st.success}[message[0]](plain(message[1]))


def save_scenario(s: Scenario, author: str, replace: bool) -> tuple[str, str]:
    """(kind, message) for the page to show; never raises."""
    store, err = scenario_store()
    if store is None:
        session = st.session_state.setdefault(Key.SESSION_SCENARIOS, {})
        if s.name in session and not replace:
            return "error", _name_taken(s.name)
        session[s.name] = s.to_json()
        return "warning", pick(
            f"Đã lưu “{s.name}” trong phiên này (không lưu được vào tệp).",
            f"Saved “{s.name}” for this session (the file cannot be used).",
        )
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
        session = st.session_state.setdefault(Key.SESSION_SCENARIOS, {})
        if any(s.name in session for s in scenarios):
            return "error", pick(
                "Đã có kịch bản cùng tên trong phiên; không nhập gì.", "A name already exists; nothing imported."
            )
        session.update({s.name: s.to_json() for s in scenarios})
        return "warning", pick(f"Đã nhập trong phiên này: {names}.", f"Imported for this session: {names}.")
    try:
        store.save_many(scenarios)
    except StoreError as e:
        return "error", pick(e.message_vi + " Không nhập kịch bản nào.", e.message_en + " Nothing was imported.")
    return "success", pick(f"Đã nhập: {names}.", f"Imported: {names}.")


def apply_link_once() -> None:
    """On the first visit of a session, a scenario in the address bar (a shared link) is loaded into
    the widgets; bad values fall back to their defaults with a notice."""
    if st.session_state.get(Key.LINK_APPLIED):
        return
    st.session_state[Key.LINK_APPLIED] = True
    params = {k: st.query_params.get(k) for k in st.query_params.keys() if k in link_keys()}
    if not params:
        return
    c = compiled()
    s, notices = scenario_from_query(
        params, params.get("name") or pick("Kịch bản từ liên kết", "Scenario from a link"), c.not_deployed_districts
    )
    load_into_widgets(s)
    st.session_state[Key.URL_NOTICES] = notices


def show_link_notices() -> None:
    for vi, en in st.session_state.get(Key.URL_NOTICES, []):
        st.warning(plain(pick(vi, en)), icon=":material/link_off:")


def _link_changes(s: Scenario) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """The query for `s`, and what the address bar needs to show it: keys to remove, keys to set."""
    wanted = scenario_to_query(s)
    stale = [k for k in st.query_params.keys() if k in link_keys() and k not in wanted]
    return wanted, stale, {k: v for k, v in wanted.items() if st.query_params.get(k) != v}


def sync_link(s: Scenario) -> None:
    """Make the address bar equal to the settings, so copying it shares the scenario (the Scenario
    page does this once the levers have rested: ui/address_bar.py)."""
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


# ------------------------------------------------------------------ plans of record


def save_plan(plan: PlanOfRecord) -> tuple[str, str]:
    """Save a frozen plan as the next version of its name; (kind, message), never raises."""
    store, _err = scenario_store()
    if store is None:
        session = st.session_state.setdefault(Key.SESSION_PLANS, {})
        version = 1 + max((p.version for p in session.values() if p.name == plan.name), default=0)
        saved = plan.with_version(version)
        session[f"{saved.name} v{version}"] = saved
        return "warning", pick(
            f"Đã lưu kế hoạch “{saved.name}” (phiên bản {version}) trong phiên này (không lưu được vào tệp).",
            f"Saved plan “{saved.name}” (version {version}) for this session (the file cannot be used).",
        )
    try:
        saved = store.save_plan(plan)
    except StoreError as e:
        return "error", pick(e.message_vi, e.message_en)
    return "success", pick(
        f"Đã lưu kế hoạch “{saved.name}”, phiên bản {saved.version}. Sửa kịch bản sau này không làm đổi kế hoạch này.",
        f"Saved plan “{saved.name}”, version {saved.version}. Editing the scenario later never changes it.",
    )


def saved_plans() -> dict[str, PlanOfRecord | int]:
    """label -> plan id in the library (or the plan itself when kept for the session), newest first."""
    store, _err = scenario_store()
    out: dict[str, PlanOfRecord | int] = {}
    if store is not None:
        try:
            for plan_id, name, version, year, created in store.plans():
                out[f"{name} — v{version} ({year}; {created})"] = plan_id
        except StoreError:
            pass
    for label, plan in st.session_state.get(Key.SESSION_PLANS, {}).items():
        out[f"{label} ({plan.plan_year})"] = plan
    return out


def load_plan(ref: PlanOfRecord | int) -> PlanOfRecord | None:
    if isinstance(ref, PlanOfRecord):
        return ref
    store, _err = scenario_store()
    if store is None:
        return None
    try:
        return store.plan(ref)
    except StoreError:
        return None
