"""The address bar holds the session's state on every page — the scenario being edited, the Compare
selection, the active target set (language and presentation are bound by their own widgets) — so a
reload, a bookmark or a shared link restores it, and Back and Forward step through settled states.

It is written by this element in the browser, not through `st.query_params` (which makes Streamlit
re-render the whole app and push a history entry on every slider step: ≈ 15 ms of browser time per
move, and Back walked through every step of every slider). The element receives the wanted query
string on every run and writes it at once with `replaceState`, so a reload or a copied address never
loses a move; a new history entry starts only with the first change after a pause of `SETTLE_MS`, so
Back and Forward step through settled states. A page switch's own address (Streamlit's) carries the
state written last, so a reload before the new page's run loses nothing either. Reading it back is
`ui.apply_address_bar`, before every page. The element also sets the page's `lang` attribute, for
screen readers and the browser's own hyphenation and translation prompts."""

from __future__ import annotations

import streamlit as st

import ui

SETTLE_MS = 800
KEY = "address-bar"

_JS = """
// `url` (an address Streamlit is about to push) with the session's state added, when it goes to another
// page and carries none of the state's parameters; any other address as it is.
function withState(url) {
  try {
    if (typeof url !== "string" || !window.__sonlaQuery) return url;
    const next = new URL(url, window.location.href);
    if (next.pathname === window.location.pathname) return url;
    if (window.__sonlaManaged.some((key) => next.searchParams.has(key))) return url;
    for (const [key, value] of new URLSearchParams(window.__sonlaQuery)) next.searchParams.append(key, value);
    return next.pathname + next.search + next.hash;
  } catch (error) {
    return url;
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  document.documentElement.lang = data.lang;
  // Back and Forward: tell the app which state the browser went to (it reruns, and loads it).
  window.__sonlaNavigated = setTriggerValue;
  if (!window.__sonlaPopHook) {
    // Only a step within the page this element runs on: a step to another page is Streamlit's own
    // page switch, and that page's first run reads the address (ui.apply_address_bar).
    window.__sonlaPopHook = () => window.__sonlaNavigated && window.location.pathname === window.__sonlaPath
      && window.__sonlaNavigated("navigated", window.location.search);
    window.addEventListener("popstate", window.__sonlaPopHook);
  }
  // A page switch: Streamlit puts the new page's address in the bar as soon as the server answers,
  // with its own parameters only, and this element writes the session's state into it later in the
  // new page's run (≈ 0,1–0,3 s). A reload in between opened the built-in data. The switch's address
  // carries the state written last instead: it is the same on every page, and the new page's run
  // writes it again.
  window.__sonlaQuery = data.query;
  window.__sonlaManaged = data.managed;
  if (!window.__sonlaPushHook) {
    window.__sonlaPushHook = true;
    const push = window.history.pushState.bind(window.history);
    window.history.pushState = (state, title, url) => push(state, title, withState(url));
  }
  // Streamlit drops a query string of more than 1,000 parameters without a word: say so, once.
  if (!window.__sonlaCounted) {
    window.__sonlaCounted = true;
    const count = [...new URLSearchParams(window.location.search).keys()].length;
    if (count > 1000) { setTriggerValue("dropped", count); return; }
  }
  // The address bar always shows the current state (replaceState: no reload, no Streamlit re-render),
  // so a reload or a copied address never loses a move; a new history entry starts only with the first
  // change after a pause, so Back and Forward step through settled states.
  const params = new URLSearchParams(window.location.search);
  for (const key of data.managed) params.delete(key);
  for (const [key, value] of new URLSearchParams(data.query)) params.append(key, value);
  // A link typed with ?lang=en opens in English (ui.apply_address_bar reads it), but Streamlit drops a
  // value its bound switch does not show from the address, and a reload came back in Vietnamese: the
  // switch's own value is written in its place (the default language has none).
  if (data.language && params.get(data.language[0]) !== data.language[1]) params.set(data.language[0], data.language[1]);
  const search = params.toString();
  const url = window.location.pathname + (search ? "?" + search : "");
  // A page switch has just made a history entry of its own (Streamlit's navigation, without our
  // query): fill that entry in instead of pushing another after it, or Back would land on the bare
  // entry and load a state with every setting at its default.
  const pageChanged = window.__sonlaPage !== undefined && window.__sonlaPage !== data.page;
  window.__sonlaPage = data.page;
  window.__sonlaPath = window.location.pathname;
  if (url !== window.location.pathname + window.location.search) {
    if (window.__sonlaSettled === false || pageChanged) {
      window.history.replaceState(window.history.state, "", url);
    } else {
      window.history.pushState(window.history.state, "", url);
    }
    window.__sonlaSettled = false;
    clearTimeout(window.__sonlaAddressBarTimer);
    window.__sonlaAddressBarTimer = setTimeout(() => { window.__sonlaSettled = true; }, data.settle_ms);
  }
  parentElement.dataset.addressBar = "written";  // for tests and make bench: the address shows this run's state
}
"""

_component = st.components.v2.component("sonla_address_bar", js=_JS, isolate_styles=False)


def _navigated() -> None:
    search = st.session_state[KEY].get("navigated") if isinstance(st.session_state.get(KEY), dict) else None
    if search is None:
        search = getattr(st.session_state.get(KEY), "navigated", None)
    if search is not None:
        ui.apply_query_string(str(search))


def _dropped() -> None:
    value = st.session_state.get(KEY)
    count = value.get("dropped") if isinstance(value, dict) else getattr(value, "dropped", None)
    if count:
        st.session_state[ui.Key.URL_NOTICES] = [
            (
                f"Địa chỉ có {int(count):,} tham số (tối đa 1.000) nên đã bị bỏ toàn bộ; đang dùng các giá trị mặc định.".replace(
                    ",", "."
                ),
                f"The address had {int(count):,} parameters (at most 1,000), so all of them were dropped; the defaults are used.",
            )
        ]


def follow(page: str) -> None:
    """Call once per run of every page (inside the Scenario page's fragment, so a slider move keeps
    it current). `page` is the page's path: the element runs again when it changes, because
    Streamlit clears the query string on a page switch and the state must be written again."""
    _component(
        key=KEY,
        data={
            "settle_ms": SETTLE_MS,
            "query": ui.link_query(),  # the session's state; the element writes it when the address differs
            "managed": sorted(ui.managed_keys()),
            "lang": ui.lang(),
            # the language switch's parameter and value in the address; none for the default language
            "language": None if ui.lang() == "vi" else [ui.Key.LANG, ui.LANGUAGE_NAMES[ui.lang()]],
            "page": page,
        },
        on_navigated_change=_navigated,
        on_dropped_change=_dropped,
    )
