"""The address bar follows the Scenario page's settings, written once the levers have rested.

Copying the address bar shares the scenario, and a reload keeps it (`ui.apply_link_once`). Writing
`st.query_params` on every slider step made Streamlit re-render the whole app for the new query
string (≈ 15 ms of browser time per move, `make bench`) and push one browser-history entry per
step, so Back walked through every step of every slider. This element receives the wanted query
string on every run; once it has stayed unchanged for `SETTLE_MS`, it sends a trigger, and the run
that follows writes the address bar: one write and one history entry per pause."""

from __future__ import annotations

import streamlit as st

import ui
from model.scenario import Scenario

SETTLE_MS = 800
KEY = "address-bar"
_DUE = "address_bar_due"

_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  // One timer per page, restarted on every run: it fires only after the settings have rested.
  clearTimeout(window.__sonlaAddressBarTimer);
  parentElement.dataset.addressBar = data.pending ? "pending" : "written";  // for tests and make bench
  if (data.pending) {
    window.__sonlaAddressBarTimer = setTimeout(() => setTriggerValue("settled", data.query), data.settle_ms);
  }
  return () => clearTimeout(window.__sonlaAddressBarTimer);
}
"""

_component = st.components.v2.component("sonla_address_bar", js=_JS, isolate_styles=False)


def _mark_due() -> None:
    st.session_state[_DUE] = True


def follow(s: Scenario) -> None:
    """Call once per run of the Scenario page, with the scenario its widgets describe."""
    if st.session_state.pop(_DUE, False):
        ui.sync_link(s)
    query = ui.link_update(s)
    _component(
        key=KEY,
        data={
            "pending": query is not None,
            "settle_ms": SETTLE_MS,
            "query": query or "",
        },  # changes with every setting: each move restarts the timer
        on_settled_change=_mark_due,
    )
