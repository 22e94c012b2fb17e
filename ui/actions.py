"""What the pages do to the outside world: the scenario library (SQLite) and the address bar.
Every action returns (kind, message) or shows a message; none raises into a page."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import parse_qsl, urlencode

import streamlit as st

from model.baseline import ReportError
from model.datasets import BUILTIN_ID, Dataset, builtin_dataset, builtin_datasets
from model.limits import MAX_NAME
from model.links import inert, scenario_from_query, scenario_keys, scenario_to_query
from model.scenario import BUILTIN_FILES, BUILTIN_LABELS, EstimatedEffect, Scenario, ScenarioError, builtin_scenario
from model.store import NameTaken, StoreError, default_path, open_store
from model.targets import DEFAULT_TARGET_SET, SHIPPED_BY_ID
from model.text import clean_text
from model.tracking import PlanOfRecord
from ui.i18n import pick, plain
from ui.keys import Key
from ui.state import (
    _kept_register,
    builtins,
    compiled,
    data_version,
    dataset_exists,
    forget_active_data,
    last_month_label,
    load_into_widgets,
    remember_current,
    remembered_current,
    target_sets,
    use_dataset,
    with_plan_year,
)

T = TypeVar("T")  # what a kept file reads as (a register's CSV, the indicators)


@st.cache_resource(show_spinner=False)
def _store_for(path: str):
    return open_store(path)


def scenario_store():
    """(store, error). With an error (corrupt file, newer schema, unwritable folder) the app runs on
    the built-in scenarios and keeps new saves for this session only, and says so."""
    return _store_for(str(default_path()))


def _warn_session_only(err: StoreError, what_vi: str, what_en: str) -> None:
    """The library's problem, and what therefore lasts for this session only."""
    st.warning(pick(err.message_vi, err.message_en) + " " + pick(what_vi, what_en), icon=":material/warning:")


def store_warning() -> None:
    store, err = scenario_store()
    if store is not None and store.read_only:
        st.info(
            pick(
                "Thư viện kịch bản nằm trong thư mục chỉ cho phép đọc: mọi kịch bản và kế hoạch đã lưu vẫn được liệt kê, "
                "nhưng đang tắt lưu.",
                "The scenario library is in a read-only folder: every saved scenario and plan is listed, but saving is off.",
            ),
            icon=":material/lock:",
        )
    if err is not None:
        _warn_session_only(
            err, "Kịch bản lưu bây giờ chỉ được giữ trong phiên làm việc này.", "Scenarios saved now last for this session only."
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
        try:
            return Scenario.from_json(saved[name]) if isinstance(saved[name], str) else None
        except ScenarioError:
            return None  # a damaged row: the Library page names it; here it is simply not offered
    return next((s for s in builtins() if s.name == name), None)


CURRENT_ID = "current"


def scenario_ids() -> list[str]:
    """Stable ids for every scenario a list can offer: built-ins ("builtin:<kind>"), saved ones
    ("saved:<name>"). A selection kept by id survives a language switch."""
    ids = [f"builtin:{kind}" for kind in BUILTIN_FILES]
    builtin_names = {s.name for s in builtins()}
    ids += [f"saved:{name}" for name in saved_scenarios() if name not in builtin_names]
    return ids


@functools.cache
def _builtin_kind_by_name() -> dict[str, str]:
    return {builtin_scenario(kind).name: kind for kind in BUILTIN_LABELS}


def scenario_name(scenario: Scenario) -> str:
    """A scenario's name as shown: a built-in one (whose stored name carries an English gloss,
    "Hiện trạng … (Status quo, …)") and the default name in the user's language only; a typed name as typed."""
    if scenario.name in DEFAULT_NAMES:  # given before the language was known (a link's first run): it follows the language
        return pick(*DEFAULT_NAMES)
    kind = _builtin_kind_by_name().get(scenario.name)
    return pick(*BUILTIN_LABELS[kind]) if kind else scenario.name


def scenario_label(scenario_id: str) -> str:
    """The name shown for an id, in the user's language (user-typed names as typed)."""
    if scenario_id == CURRENT_ID:
        return pick("Đang điều chỉnh", "Being edited") + f": {scenario_name(remembered_current())}"
    kind, _, rest = scenario_id.partition(":")
    if kind == "builtin" and rest in BUILTIN_LABELS:
        return pick(*BUILTIN_LABELS[rest])
    return rest


def scenario_by_id(scenario_id: str) -> Scenario | None:
    if scenario_id == CURRENT_ID:
        return remembered_current()
    kind, _, rest = scenario_id.partition(":")
    if kind == "builtin" and rest in BUILTIN_FILES:
        return with_plan_year(builtin_scenario(rest))
    if kind == "saved":
        return scenario_named(rest)
    return None


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
    if store.recreated:
        store.recreated = False
        return "warning", pick(
            f"Tệp thư viện kịch bản đã bị xóa khi ứng dụng đang chạy; đã tạo tệp mới và lưu “{s.name}” vào đó. "
            "Các kịch bản lưu trước đó không còn trong tệp mới.",
            f"The scenario library file was deleted while the app ran; a new one was created and “{s.name}” saved in it. "
            "Scenarios saved before are not in the new file.",
        )
    return "success", pick(f"Đã lưu kịch bản “{s.name}” vào thư viện.", f"Saved scenario “{s.name}” to the library.")


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


COMPARE_PARAM = "compare"  # the Compare page's selection, by id (repeated: ?compare=a&compare=b)
TARGETS_PARAM = "targets"  # the active target set, when it is not the default (shipped or edited and stored)
DATA_PARAM = "data"  # the active dataset, when it is not the built-in report
BLOCK_PARAM = "block"  # the block being viewed, when it is not the province
NAME_PARAM = "name"  # the scenario being edited keeps its name across a reload and in a shared link
DEFAULT_NAMES = ("Kịch bản hiện tại", "Current scenario")


def managed_keys() -> frozenset:
    """Every query parameter the app keeps in step with the session (language and presentation are
    bound by their own widgets)."""
    return link_keys() | {COMPARE_PARAM, TARGETS_PARAM, DATA_PARAM, BLOCK_PARAM, NAME_PARAM}


def _query_now() -> dict[str, tuple[str, ...]]:
    """The managed part of the address bar as it is now."""
    return {k: tuple(st.query_params.get_all(k)) for k in st.query_params.keys() if k in managed_keys()}


def wanted_query() -> dict[str, tuple[str, ...]]:
    """The managed part of the address bar that describes this session: the scenario being edited,
    the Compare selection, the active target set."""
    current = remembered_current()
    wanted = {k: (v,) for k, v in scenario_to_query(current).items()}
    if current.name not in DEFAULT_NAMES:  # the default name follows the language; a chosen one is kept as typed
        wanted[NAME_PARAM] = (current.name,)
    dataset = st.session_state.get(Key.DATASET)
    if dataset and dataset != BUILTIN_ID:
        wanted[DATA_PARAM] = (dataset,)
    block = st.session_state.get(Key.BLOCK)
    if block and block != "province":
        wanted[BLOCK_PARAM] = (block,)
    choice = st.session_state.get(Key.COMPARE_CHOICE)
    if choice:
        wanted[COMPARE_PARAM] = tuple(choice)
    target_id = st.session_state.get(Key.TARGET_SET)
    if target_id and target_id != DEFAULT_TARGET_SET.id and target_id in target_sets():
        wanted[TARGETS_PARAM] = (target_id,)
    return wanted


def apply_address_bar() -> None:
    """Called before every page. On a session's first run the address bar (a shared link, a bookmark,
    a reload) is loaded: the scenario into the widgets, the Compare selection, the target set. Later
    runs leave it alone: the app writes the address itself (ui/address_bar.py), Back and Forward
    arrive through `apply_query_string`, and Streamlit clears the query string on a page switch."""
    if st.session_state.get(Key.LAST_QUERY):
        return
    st.session_state[Key.LAST_QUERY] = True
    _load_stored_target_sets()
    language_notices = _apply_language(st.query_params.get_all(Key.LANG)) + _presentation_notice(
        st.query_params.get_all(Key.PRESENTATION)
    )
    now = _query_now()
    all_keys = list(st.query_params.keys())
    if now:
        _apply(now, all_keys)
    else:
        # no state in the link, but a typo (?fee_cut.cut_pc=40) or a stray parameter still gets its notice
        st.session_state[Key.URL_NOTICES] = _unknown_notices(all_keys)
    st.session_state[Key.URL_NOTICES] = language_notices + st.session_state.get(Key.URL_NOTICES, [])


# the language switch's values as the address shows them (its labels)
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
# what ?lang= may say: the language switch's own values are its labels (Tiếng Việt, English); the codes
# a person types are read too
LANGUAGE_WORDS = {"vi": "vi", "tiếng việt": "vi", "tieng viet": "vi", "vietnamese": "vi", "en": "en", "english": "en"}


def _apply_language(values: list[str]) -> list[tuple[str, str]]:
    """?lang=en (or vi) chooses the language before the switch is drawn; anything else gets a notice."""
    if not values:
        return []
    value = values[-1]
    code = LANGUAGE_WORDS.get(" ".join(value.casefold().split()))
    if code is None:
        shown = inert(value)
        return [
            (
                f"Tham số “lang={shown}” không phải ngôn ngữ của ứng dụng (vi hoặc en); dùng tiếng Việt.",
                f"Parameter “lang={shown}” is not a language of the app (vi or en); Vietnamese is used.",
            )
        ]
    if value not in LANGUAGE_NAMES.values():  # the switch's own values need no help
        st.session_state[Key.LANG] = code
    return []


def _presentation_notice(values: list[str]) -> list[tuple[str, str]]:
    """The presentation switch reads true or false (any case); anything else Streamlit drops without a word."""
    if not values or values[-1].lower() in ("true", "false", ""):
        return []
    shown = inert(values[-1])
    return [
        (
            f"Tham số “presentation={shown}” phải là true hoặc false; chế độ trình chiếu đang tắt.",
            f"Parameter “presentation={shown}” must be true or false; presentation mode is off.",
        )
    ]


def _unknown_notices(all_keys: list[str]) -> list[tuple[str, str]]:
    """One notice per parameter the app does not know, with the known one it most likely meant."""
    notices = []
    known = sorted(managed_keys() | {Key.LANG, Key.PRESENTATION})
    for k in dict.fromkeys(all_keys):
        if k in managed_keys() or k in (Key.LANG, Key.PRESENTATION):
            continue
        close = difflib.get_close_matches(k, known, n=1, cutoff=0.8)
        hint_vi, hint_en = (f" (có phải “{close[0]}”?)", f" (did you mean “{close[0]}”?)") if close else ("", "")
        notices.append(
            (
                f"Bỏ qua tham số không dùng đến “{inert(k)}”{hint_vi}.",
                f"Ignored an unknown parameter “{inert(k)}”{hint_en}.",
            )
        )
    return notices


def apply_query_string(search: str) -> None:
    """Back or Forward took the browser to `search` (?a=1&b=2): load that state."""
    pairs = parse_qsl(search.lstrip("?"), keep_blank_values=True)
    now: dict[str, tuple[str, ...]] = {}
    for k, v in pairs:
        if k in managed_keys():
            now[k] = (*now.get(k, ()), v)
    _apply(now, [k for k, _ in pairs])


def _apply(now: dict[str, tuple[str, ...]], all_keys: list[str]) -> None:
    """Load a state from the address bar; bad values fall back to their defaults, each with a
    notice; unknown or repeated parameters get one too."""
    notices: list[tuple[str, str]] = []
    _apply_dataset(now.get(DATA_PARAM, (BUILTIN_ID,))[-1], notices)
    scenario_params = {k: v[-1] for k, v in now.items() if k in link_keys() or k == NAME_PARAM}
    for k, v in now.items():
        if (k in link_keys() or k in (DATA_PARAM, BLOCK_PARAM, NAME_PARAM)) and len(v) > 1:
            notices.append(
                (
                    f"Tham số “{k}” xuất hiện {len(v)} lần; dùng giá trị cuối.",
                    f"Parameter “{k}” appears {len(v)} times; the last value is used.",
                )
            )
    notices += _unknown_notices(all_keys)
    c = compiled()
    # the name as typed by whoever made the link: control and bidi characters removed, cut to the limit
    name = clean_text(scenario_params.pop(NAME_PARAM, ""))[0][:MAX_NAME]
    s, scenario_notices = scenario_from_query(scenario_params, name or pick(*DEFAULT_NAMES), c.not_deployed_districts)
    notices += scenario_notices
    first_year = compiled().first_plan_year
    if "plan_year" not in scenario_params:  # a link without a year plans the year after the data
        s.plan_year = max(s.plan_year, first_year)
    if s.plan_year < first_year:
        notices.append(
            (
                f"Năm kế hoạch {s.plan_year} đã qua so với số liệu (đến {last_month_label()}); dùng năm {first_year}.",
                f"Plan year {s.plan_year} is before the data's end ({last_month_label()}); {first_year} is used.",
            )
        )
        s.plan_year = first_year
    load_into_widgets(s)
    remember_current(s)
    block = now.get(BLOCK_PARAM, ("province",))[-1]
    if block in compiled().blocks:
        st.session_state[Key.BLOCK] = block
    else:
        notices.append(
            (
                f"Số liệu đang dùng không có phạm vi “{block[:40]}”; hiển thị toàn tỉnh.",
                f"The active data has no scope “{block[:40]}”; the province is shown.",
            )
        )
        st.session_state[Key.BLOCK] = "province"
    ids = list(now.get(COMPARE_PARAM, ()))
    if ids:
        known = set(scenario_ids()) | {CURRENT_ID}
        for unknown in [i for i in ids if i not in known]:
            notices.append((f"Không có kịch bản “{inert(unknown)}” để so sánh.", f"No scenario “{inert(unknown)}” to compare."))
        st.session_state[Key.COMPARE_CHOICE] = [i for i in dict.fromkeys(ids) if i in known]
    target_id = now.get(TARGETS_PARAM, (DEFAULT_TARGET_SET.id,))[-1]
    if target_id in target_sets():
        st.session_state[Key.TARGET_SET] = target_id
    else:
        notices.append(
            (
                f"Không có bộ chỉ tiêu “{inert(target_id)}”; dùng bộ mặc định.",
                f"No target set “{inert(target_id)}”; the default is used.",
            )
        )
        st.session_state[Key.TARGET_SET] = DEFAULT_TARGET_SET.id
    st.session_state[Key.URL_NOTICES] = notices


def _apply_dataset(dataset_id: str, notices: list[tuple[str, str]]) -> None:
    """The dataset a link, a reload or Back names; an unknown one falls back to the built-in report."""
    if dataset_id == st.session_state.get(Key.DATASET, BUILTIN_ID):
        return
    if dataset_exists(dataset_id):
        st.session_state[Key.DATASET] = dataset_id
        st.session_state.pop(Key.PLAN_YEAR, None)
        return
    notices.append(
        (
            f"Không có bộ số liệu “{dataset_id[:40]}” trên máy này; dùng số liệu có sẵn (Báo cáo 01/CĐS).",
            f"No dataset “{dataset_id[:40]}” on this computer; the built-in data (report 01/CĐS) is used.",
        )
    )
    st.session_state[Key.DATASET] = BUILTIN_ID


def _load_stored_target_sets() -> None:
    """A session starts with the edited target sets kept in the library, so that a reload, a restart or
    a link finds an edited set again. A shipped set is never replaced by a stored copy."""
    store, _ = scenario_store()
    if store is None:
        return
    try:
        stored = store.target_sets()
    except StoreError:
        return
    sets = target_sets()
    sets.update({t.id: t for t in stored if t.id not in SHIPPED_BY_ID})


def keep_target_set(target) -> None:
    """Make an edited target set the session's and keep it in the library (it then survives a reload).
    Without a library it lasts for this session, and the page says so."""
    target_sets()[target.id] = target
    store, err = scenario_store()
    problem = err
    if store is not None:
        try:
            store.save_target_set(target)
        except StoreError as exc:
            problem = exc
    if problem is not None:
        _warn_session_only(
            problem,
            "Bộ chỉ tiêu đã sửa chỉ được giữ trong phiên làm việc này.",
            "The edited target set lasts for this session only.",
        )


def show_link_notices() -> None:
    for vi, en in st.session_state.get(Key.URL_NOTICES, []):
        st.warning(plain(pick(vi, en)), icon=":material/link_off:")
    for line in st.session_state.pop(Key.STATE_MESSAGES, []):
        st.error(
            plain(
                pick("Kịch bản đang điều chỉnh không dùng được nữa: ", "The scenario being edited can no longer be used: ") + line
            ),
            icon=":material/error:",
        )


def link_query() -> str:
    """The managed part of the address bar that describes this session, as a query string."""
    return urlencode([(k, v) for k, values in sorted(wanted_query().items()) for v in values])


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


def load_plan(ref: PlanOfRecord | int) -> PlanOfRecord | StoreError:
    """The plan, or the library's message saying which plan is damaged and why (never raises)."""
    if isinstance(ref, PlanOfRecord):
        return ref
    store, err = scenario_store()
    if store is None:
        return err or StoreError("Không mở được thư viện.", "The library cannot be opened.")
    try:
        return store.plan(ref)
    except StoreError as problem:
        return problem


# ------------------------------------------------------------------ datasets of record


def keep_dataset(ds: Dataset) -> tuple[str, str]:
    """Keep an imported dataset in the library (a new version; the same content is found, never
    overwritten) and make it the session's. (kind, message); never raises."""
    store, err = scenario_store()
    kind, note = "success", ""
    if store is None:
        st.session_state.setdefault(Key.SESSION_DATASETS, {})[ds.id] = ds
        kind, note = "warning", pick(" Chỉ giữ trong phiên này (không lưu được vào tệp).", " Kept for this session only.")
    else:
        try:
            added = store.save_dataset(ds)
        except StoreError as e:
            st.session_state.setdefault(Key.SESSION_DATASETS, {})[ds.id] = ds
            kind, note = (
                "warning",
                " " + pick(e.message_vi, e.message_en) + pick(" Chỉ giữ trong phiên này.", " Kept for this session only."),
            )
        else:
            if not added:
                note = pick(
                    " Bộ số liệu này đã có trong thư viện; dùng lại bản đã lưu.",
                    " This dataset was already kept; the stored one is used.",
                )
    use_dataset(ds.id)
    return kind, pick(
        f"Đang dùng số liệu: {ds.label_vi} ({ds.months_label}), lưu thành bộ số liệu mã {ds.id}.",
        f"Now using: {ds.label_en} ({ds.months_label}), kept as dataset {ds.id}.",
    ) + note


def dataset_records() -> list[dict]:
    """Every dataset the session can open: the built-in ones, then the library's (newest first), then
    this session's own when the library cannot keep them."""
    records = [d.record() for d in builtin_datasets()]
    store, _err = scenario_store()
    if store is not None:
        try:
            records += [{**r, "builtin": False} for r in store.dataset_records()]
        except StoreError:
            pass
    records += [
        d.record() for d in st.session_state.get(Key.SESSION_DATASETS, {}).values() if d.id not in {r["id"] for r in records}
    ]
    return records


def delete_dataset(dataset_id: str) -> tuple[str, str]:
    if builtin_dataset(dataset_id) is not None:
        return "error", pick("Không xóa được bộ số liệu có sẵn.", "A built-in dataset cannot be deleted.")
    record = next((r for r in dataset_records() if r["id"] == dataset_id), None)
    name = dataset_id if record is None else pick(record["label_vi"], record["label_en"])
    st.session_state.get(Key.SESSION_DATASETS, {}).pop(dataset_id, None)
    store, _err = scenario_store()
    if store is not None:
        try:
            store.delete_dataset(dataset_id)
        except StoreError as e:
            return "error", pick(e.message_vi, e.message_en)
    if st.session_state.get(Key.DATASET) == dataset_id:
        use_dataset(None)
    return "success", pick(f"Đã xóa bộ số liệu “{name}”.", f"Deleted the dataset “{name}”.")


def kept_dataset_file(kind: str) -> tuple[str, str, str] | None:
    """(file name, kept at, text) of the register or indicators kept with the active dataset, or None
    (nothing kept, or no library: then only this session's upload counts)."""
    store, _err = scenario_store()
    if store is None:
        return None
    try:
        return store.dataset_file(data_version(), kind)
    except StoreError:
        return None


def read_kept_dataset_file(kind: str, parse: Callable[[str, str], T]) -> tuple[str, T | None, ReportError | None] | None:
    """On a first look at the dataset (a reload, a new tab): the file kept with it, read by the rules of
    the day as parse(text, file name): (file name, what it reads as, None) or (file name, None, why not);
    None when nothing is kept."""
    kept = kept_dataset_file(kind)
    if kept is None:
        return None
    name, _at, text = kept
    try:
        return name, parse(text, name), None
    except ReportError as err:
        return name, None, err


def keep_dataset_file(kind: str, file_name: str, text: str) -> StoreError | None:
    """Keep an accepted file with the active dataset, so a reload, a new tab or the command line
    (--data-id) find it. The error, when the library cannot keep it (it then lasts for this session)."""
    store, err = scenario_store()
    if store is None:
        return err
    try:
        store.save_dataset_file(data_version(), kind, file_name, text)
    except StoreError as exc:
        return exc
    _kept_register.clear()  # the status quo's calibration takes the new register on the next run
    forget_active_data()
    return None


def estimate_source(effect: EstimatedEffect) -> str:
    """Where an estimate came from, by the dataset's name (its id is a digest nobody can read)."""
    names = {r["id"]: pick(r["label_vi"], r["label_en"]) for r in dataset_records()}
    name = names.get(effect.dataset_id)
    if name is None:
        return pick("ước lượng từ một bộ số liệu không còn trên máy này", "estimated from a dataset no longer on this computer")
    return pick(f"ước lượng từ bộ số liệu “{name}”", f"estimated from the dataset “{name}”")
