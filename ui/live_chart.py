"""A plotly chart that stays mounted while its figure changes, for the charts a slider redraws.

`st.plotly_chart` hashes the figure into the element's identity, so every slider move unmounts the
chart and plotly.js draws it from scratch (about 90 ms of browser time per move for the trajectory
on this machine, measured with `make bench`). This Streamlit components-v2 element keeps one
plotly.js graph per key and hands it the new figure with `Plotly.react`, which redraws only what
changed. The figure is still built with plotly's Python API; the plotly.js file is the one shipped
inside the installed plotly package (so it matches the figures, and the laptop needs no internet),
served from `static/` by Streamlit's static file serving."""

from __future__ import annotations

import functools
import shutil
import zlib
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PLOTLY_JS_SOURCE = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_JS_NAME = f"plotly-{plotly.__version__}.min.js"  # a new plotly version gets a new file (no stale cache)

_JS = """
// Always our own copy, captured when its script has run: Streamlit's bundled plotly.js may also
// set window.Plotly (after a visit to a page with st.plotly_chart), in another version.
function plotlyFrom(src) {
  if (!window.__sonlaPlotly) {
    window.__sonlaPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("plotly.js not found at " + src));
      document.head.appendChild(script);
    });
  }
  return window.__sonlaPlotly;
}

export default function (component) {
  const { data, parentElement } = component;
  let graph = parentElement.querySelector(".sonla-live-chart");
  if (!graph) {
    graph = document.createElement("div");
    graph.className = "sonla-live-chart";
    graph.setAttribute("role", "img");
    parentElement.appendChild(graph);
  }
  graph.setAttribute("aria-label", data.alt || "");
  graph.dataset.revision = String(data.revision);
  const figure = JSON.parse(data.figure);
  plotlyFrom(data.src).then((Plotly) => {
    // Only the newest figure is drawn if moves arrive faster than plotly.js loads.
    if (graph.dataset.revision !== String(data.revision)) return;
    Plotly.react(graph, figure.data, figure.layout, data.config).then(() => {
      graph.dataset.drawn = String(data.revision);
    });
  }).catch((error) => {
    graph.textContent = String(error);
  });
  return () => {
    if (!graph.isConnected) plotlyFrom(data.src).then((Plotly) => Plotly.purge(graph));
  };
}
"""

_component = st.components.v2.component("sonla_live_chart", js=_JS, isolate_styles=False)


@functools.cache  # once per server process, not on every rerun of app.py
def ensure_plotly_js() -> None:
    """Put the installed plotly package's plotly.js where Streamlit serves static files."""
    target = STATIC_DIR / PLOTLY_JS_NAME
    if target.exists():
        return
    STATIC_DIR.mkdir(exist_ok=True)
    partial = target.with_suffix(".partial")
    shutil.copyfile(PLOTLY_JS_SOURCE, partial)
    partial.replace(target)  # atomic: a browser never gets half a file


def live_chart(fig: dict | go.Figure, key: str, alt: str, config: dict | None = None) -> None:
    """fig: a plain plotly JSON dict ({"data": [...], "layout": {...}}) or a go.Figure."""
    figure = pio.to_json(fig, validate=False)
    # The revision names this figure (a checksum of it): the browser draws only the newest one and
    # marks the graph with it once drawn, which the tests and `make bench` wait for.
    _component(
        key=key,
        data={
            "figure": figure,
            "config": {"responsive": True, **(config or {})},
            "src": f"./app/static/{PLOTLY_JS_NAME}",
            "alt": alt,
            "revision": zlib.crc32(figure.encode()),
        },
    )
