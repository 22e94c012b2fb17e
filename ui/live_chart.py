"""Every chart of the app: a plotly chart that stays mounted while its figure changes, and waits for
the screen when it is far below the fold.

`st.plotly_chart` hashes the figure into the element's identity, so every slider move unmounts the
chart and plotly.js draws it from scratch (about 90 ms of browser time per move for the trajectory
on this machine, measured with `make bench`). This Streamlit components-v2 element keeps one
plotly.js graph per key and hands it the new figure with `Plotly.react`, which redraws only what
changed. The figure is still built with plotly's Python API; the plotly.js file is the one shipped
inside the installed plotly package (so it matches the figures, and the laptop needs no internet),
served from `static/` by Streamlit's static file serving.

A chart more than 300 px below the screen (or in a closed expander) is drawn when it comes near it:
a page switch then draws only what is in sight (Overview's treemap alone was ≈ 100 ms of browser
time). Its height is reserved, and printing draws every chart first."""

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

// A chart far below the fold (or in a closed expander) is drawn when it comes near the screen, not
// with the page: a page switch or a slider move then costs only the charts in sight. Its height is
// reserved meanwhile, so nothing below it jumps when it is drawn.
const NEAR_PX = 300;
function nearScreen(el) {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.bottom > -NEAR_PX && r.top < window.innerHeight + NEAR_PX;
}

function drawDeferred(graph) {
  if (graph.__sonlaObserver) { graph.__sonlaObserver.disconnect(); graph.__sonlaObserver = null; }
  if (graph.__sonlaDraw) { const draw = graph.__sonlaDraw; graph.__sonlaDraw = null; draw(); }
}

// Drawn graphs kept across page switches, by slot (the chart's key): a page that comes back puts its
// graphs back in place, drawn, instead of plotly.js drawing them from nothing (the Scenario page's
// trajectory took ≈ 90 ms of every visit). A graph whose figure has changed meanwhile is updated by
// Plotly.react, which redraws only what changed. The oldest graph out of sight is let go past KEEP.
const KEEP = 16;
const graphs = window.__sonlaGraphs || (window.__sonlaGraphs = new Map());
function release(graph) {
  if (graph.__sonlaObserver) { graph.__sonlaObserver.disconnect(); graph.__sonlaObserver = null; }
  if (graph.__sonlaTopWatch) { graph.__sonlaTopWatch.disconnect(); graph.__sonlaTopWatch = null; }
  if (window.__sonlaPlotly) window.__sonlaPlotly.then((Plotly) => Plotly.purge(graph));
}
function kept(graph) {
  for (const g of graphs.values()) if (g === graph) return true;
  return false;
}
function reattached(slot, parentElement) {
  const graph = slot ? graphs.get(slot) : null;
  // a graph still on screen (the page being left is shown until the new one is drawn) is not taken
  if (!graph || graph.isConnected) return null;
  parentElement.appendChild(graph);
  // its blocks are the new page's: the watch on the old ones (followTop) is set up again
  if (graph.__sonlaTopWatch) { graph.__sonlaTopWatch.disconnect(); graph.__sonlaTopWatch = null; }
  remember(slot, graph);
  return graph;
}
function remember(slot, graph) {
  if (!slot) return;
  const before = graphs.get(slot);
  graphs.delete(slot);
  graphs.set(slot, graph);  // the newest last
  if (before && before !== graph && !before.isConnected) release(before);
  for (const [oldSlot, old] of graphs) {
    if (graphs.size <= KEEP) break;
    if (!old.isConnected) { graphs.delete(oldSlot); release(old); }
  }
}

// A fitted chart's height: what the screen has left below its top, within its bounds.
function fittedHeight(graph) {
  const [least, most] = graph.__sonlaFit;
  const top = graph.getBoundingClientRect().top + window.scrollY;
  return Math.round(Math.max(least, Math.min(most, window.innerHeight - top - 8)));
}

// The content above a fitted chart may be drawn after it (on a first visit Streamlit loads the code of
// some elements, a view chooser, while the chart is already there): the chart then moves down, and is
// fitted again to the room left, or its month axis ended below the screen.
function followTop(graph) {
  if (graph.__sonlaTopWatch) return;
  // every block that holds the chart: one of them grows with what is drawn above it (a column's content
  // does even where the column itself is as tall as its neighbour)
  const holders = [];
  for (let el = graph.parentElement; el; el = el.parentElement) {
    if (el.dataset && (el.dataset.testid === "stVerticalBlock" || el.dataset.testid === "stMainBlockContainer")) holders.push(el);
  }
  graph.__sonlaTopWatch = new ResizeObserver(() => {
    if (!graph.isConnected || !graph.__sonlaFit) return;
    const height = fittedHeight(graph);
    if (Math.abs(height - graph.__sonlaFitHeight) < 2) return;
    graph.__sonlaFitHeight = height;
    graph.style.minHeight = height + "px";
    if (graph.dataset.drawn && window.__sonlaPlotly) {
      const drawn = graph.dataset.drawn;
      window.__sonlaPlotly.then((Plotly) => Plotly.relayout(graph, { height })).then(() => {
        graph.__sonlaShows = drawn + ":" + height;
      });
    }
  });
  for (const holder of holders) if (holder) graph.__sonlaTopWatch.observe(holder);
}

if (!window.__sonlaPrintHook) {
  // printing the page (Ctrl+P) shows every chart, drawn or not yet
  window.__sonlaPrintHook = true;
  window.addEventListener("beforeprint", () => document.querySelectorAll(".sonla-live-chart").forEach(drawDeferred));
}

export default function (component) {
  const { data, parentElement } = component;
  let graph = parentElement.querySelector(".sonla-live-chart");
  if (!graph) graph = reattached(data.slot, parentElement);
  if (!graph) {
    graph = document.createElement("div");
    graph.className = "sonla-live-chart";
    graph.setAttribute("role", "img");
    parentElement.appendChild(graph);
    // plotly's "responsive" follows the window only: when the column changes width without it (presentation
    // mode hides the sidebar) the chart kept its old width, and its legend entries ran into each other
    graph.__sonlaWidth = 0;
    new ResizeObserver(() => {
      const width = Math.round(graph.getBoundingClientRect().width);
      if (!width || width === graph.__sonlaWidth) return;
      const first = graph.__sonlaWidth === 0;
      graph.__sonlaWidth = width;
      if (!first && graph.dataset.drawn && window.__sonlaPlotly) window.__sonlaPlotly.then((Plotly) => Plotly.Plots.resize(graph));
    }).observe(graph);
    remember(data.slot, graph);
  }
  graph.setAttribute("aria-label", data.alt || "");
  const revision = String(data.revision);
  graph.dataset.revision = revision;
  const figure = JSON.parse(data.figure);
  if (data.fit) {
    // as tall as the screen has room for below the chart's top (measured from the page's top, so
    // the same on every redraw), within the bounds; again only when the window's height changes
    const fitFor = window.innerHeight + ":" + data.fit.join("-");
    graph.__sonlaFit = data.fit;
    if (graph.__sonlaFitFor !== fitFor) {
      graph.__sonlaFitHeight = fittedHeight(graph);
      graph.__sonlaFitFor = fitFor;
    }
    figure.layout = { ...(figure.layout || {}), height: graph.__sonlaFitHeight };
    followTop(graph);
  }
  if (figure.layout && figure.layout.height) graph.style.minHeight = figure.layout.height + "px";
  const draw = () => plotlyFrom(data.src).then((Plotly) => {
    // Only the newest figure is drawn if moves arrive faster than plotly.js loads.
    if (graph.dataset.revision !== revision) return;
    // fitted again while plotly.js loaded (content drawn above the chart): the height as it is now
    if (data.fit) figure.layout.height = graph.__sonlaFitHeight;
    // what the graph shows: the figure and the height it was fitted to (a reattached graph showing it is not redrawn)
    const shows = revision + ":" + ((figure.layout && figure.layout.height) || "");
    if (graph.__sonlaShows === shows) {
      graph.dataset.drawn = revision;
      return;
    }
    Plotly.react(graph, figure.data, figure.layout, data.config).then(() => {
      graph.__sonlaShows = shows;
      graph.dataset.drawn = revision;
    });
  }).catch((error) => {
    graph.textContent = String(error);
  });
  if (nearScreen(graph)) {
    drawDeferred(graph);  // an older deferred figure is dropped by the revision check
    draw();
  } else {
    graph.dataset.deferred = revision;  // for tests and make bench: this revision waits for the screen
    graph.__sonlaDraw = draw;
    if (!graph.__sonlaObserver) {
      graph.__sonlaObserver = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) drawDeferred(graph);
      }, { rootMargin: NEAR_PX + "px" });
      graph.__sonlaObserver.observe(graph);
    }
  }
  return () => {
    // a graph kept for its slot waits, drawn, for the page to come back; any other is let go
    if (!graph.isConnected && !kept(graph)) release(graph);
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


def live_chart(
    fig: dict | go.Figure | str, key: str, alt: str, config: dict | None = None, fit: tuple[int, int] | None = None
) -> None:
    """fig: a plain plotly JSON dict ({"data": [...], "layout": {...}}), a go.Figure, or the JSON text of
    either (a cached figure)."""
    figure = fig if isinstance(fig, str) else pio.to_json(fig, validate=False)
    # The revision names this figure (a checksum of it): the browser draws only the newest one and
    # marks the graph with it once drawn, which the tests and `make bench` wait for.
    _component(
        key=key,
        data={
            "figure": figure,
            "config": {"responsive": True, **(config or {})},
            "src": f"./app/static/{PLOTLY_JS_NAME}",
            "alt": alt,
            "slot": key,
            "fit": list(fit) if fit else None,
            "revision": zlib.crc32(figure.encode()),
        },
    )
