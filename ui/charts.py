"""Chart style and chart elements: Okabe–Ito colours, presentation-mode type, Vietnamese number
formats, CSV downloads beside every chart."""

from __future__ import annotations

import functools
import html
import io
import textwrap
import zlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from model import fmt
from model.calibration import BAND_LABEL
from model.projection import Projection
from model.summary import summary
from model.text import spreadsheet_safe
from ui.i18n import T, lang, pct, t
from ui.live_chart import live_chart
from ui.state import presenting

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BASELINE_COLOR, SCENARIO_COLOR, TARGET_COLOR, BAND_COLOR = "#555555", "#0072B2", "#D55E00", "rgba(0,114,178,0.18)"
# The month band (wider) lighter than the trend band inside it, both in the scenario's blue.
MONTH_BAND_COLOR, TREND_BAND_COLOR = "rgba(0,114,178,0.12)", "rgba(0,114,178,0.28)"


# An offline tool for government data offers no control that calls a network: no "share"/"edit in
# Chart Studio" links, no plotly logo link.
OFFLINE_CONFIG = {
    "displaylogo": False,
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio"],
    # No toolbar: its tooltips are plotly's English, and its buttons inside the chart (an image to a
    # screen reader) are controls hidden from one. Every chart has its CSV download beside it.
    "displayModeBar": False,
}


def layout_spec(height: int = 420, title: str | None = None) -> dict:
    """Our chart style as a plain plotly layout dict: larger type in presentation mode, the
    locale's decimal separator, Okabe–Ito colours."""
    size = 18 if presenting() else 14
    layout = dict(
        height=height,
        margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        font=dict(size=size, family="Noto Sans, Arial, sans-serif", color="#111111"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, font=dict(size=size)),
        separators=",." if lang() == "vi" else ".,",
        plot_bgcolor="white",
        paper_bgcolor="white",
        colorway=OKABE_ITO,
        hoverlabel=dict(font=dict(size=size)),
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


# A legend line that fits half the Scenario page's chart column at 1280 px, in presentation type too:
# trajectory legends put two entries a row (plotly's fixed column width would let a longer line run
# into its neighbour).
LEGEND_LINE_CHARS = 22


def legend_label(text: str) -> str:
    """A legend entry that wraps instead of running off the chart (plotly clips a long one), with the
    text escaped: plotly reads some HTML in trace names, and names are typed by users."""
    return wrapped_text(text, LEGEND_LINE_CHARS)


def wrapped_text(text: str, line_chars: int) -> str:
    """Chart text (a legend entry, an axis title) wrapped onto lines of at most `line_chars` characters
    and escaped (plotly reads some HTML in names and titles): plotly cuts off a line that is longer
    than its room."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, line_chars)) or html.escape(text)


def show_chart(
    fig: go.Figure | dict | str,
    data: pd.DataFrame,
    name: str,
    key: str,
    alt: str = "",
    fit: tuple[int, int] | None = None,
) -> None:
    """A chart (a go.Figure, a plain plotly dict, or the JSON text of a cached one) with its CSV
    download. Drawn by our own element (ui.live_chart): updated in place when a slider moves, and
    drawn only when near the screen. fit=(least, most) px: the height is what the screen has left
    below the chart's top, within those bounds (see `chart_fit`)."""
    if not alt:
        raise ValueError(f"chart {key!r} has no accessible name (alt)")  # a screen reader would announce an empty image
    live_chart(fig, key=f"live-{key}", alt=alt, config=OFFLINE_CONFIG, fit=fit)
    csv_button(data, name, key)


def csv_button(data: pd.DataFrame, name: str, key: str, label: str | None = None) -> None:
    """The download of a table or a chart's data as `name`.csv (label: "Tải dữ liệu biểu đồ (CSV)" unless given)."""
    # The CSV is made when the button is clicked (a callable), not on every slider move.
    st.download_button(
        label or t("download_csv"),
        functools.partial(csv_bytes, data),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv-{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM (Excel opens Vietnamese text correctly); text that Excel would run as a
    formula (= + - @ …, e.g. a typed scenario name) is written with a leading apostrophe."""
    df = df.copy()
    df.columns = [spreadsheet_safe(c) for c in df.columns]
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].map(spreadsheet_safe).astype(object)
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM so Excel opens Vietnamese text correctly


def projection_bands(proj: Projection, block: str) -> dict:
    """The shaded areas of a projection's trajectory chart, as `trajectory_spec` keyword arguments:
    the calibration's two named bands when the projection was started from the data's months (the
    month band, where an observed month should fall, and the trend band inside it), else the
    effect-size P10–P90 range."""
    if not proj.has_named_bands:
        return {"band": (proj.line(block, "p10").to_numpy(), proj.line(block, "p90").to_numpy())}
    month_vi, month_en = BAND_LABEL["month"]
    trend_vi, trend_en = BAND_LABEL["trend"]
    return {
        "bands": [
            {
                "name": (month_vi if lang() == "vi" else month_en).capitalize(),
                "low": proj.line(block, "month_p10").to_numpy(),
                "high": proj.line(block, "month_p90").to_numpy(),
                "fill": MONTH_BAND_COLOR,
            },
            {
                "name": (trend_vi if lang() == "vi" else trend_en).capitalize(),
                "low": proj.line(block, "trend_p10").to_numpy(),
                "high": proj.line(block, "trend_p90").to_numpy(),
                "fill": TREND_BAND_COLOR,
            },
        ]
    }


def trajectory_spec(
    series: list[dict],
    target: float | None,
    height: int = 420,
    band: tuple[np.ndarray, np.ndarray] | None = None,
    bands: list[dict] | None = None,
) -> dict:
    """The monthly trajectory as plain plotly JSON (no per-move validation cost for the live chart).
    series: [{"name", "values" (12,), "color", "dash", "width"}], names as plain text (escaped and
    wrapped here: `legend_label`); band: (p10, p90) for the first series, named "Khoảng P10–P90";
    bands: named bands [{"name", "low" (12,), "high" (12,), "fill"}], the widest first."""
    x = fmt.MONTH_ABBR[lang()]
    traces = []
    shaded = list(bands or [])
    if band is not None:
        shaded.insert(0, {"name": t("band"), "low": band[0], "high": band[1], "fill": BAND_COLOR})
    for area in shaded:
        traces.append(
            dict(
                type="scatter",
                x=x + x[::-1],
                y=[float(v) for v in area["high"]] + [float(v) for v in area["low"]][::-1],
                fill="toself",
                fillcolor=area.get("fill", BAND_COLOR),
                line=dict(width=0),
                name=legend_label(area["name"]),
                hoverinfo="skip",
            )
        )
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon"]
    for i, sr in enumerate(series):
        values = [float(v) for v in sr["values"]]
        traces.append(
            dict(
                type="scatter",
                x=x,
                y=values,
                name=legend_label(sr["name"]),
                mode="lines+markers",
                line=dict(color=sr.get("color", OKABE_ITO[i % 8]), width=sr.get("width", 3), dash=sr.get("dash", "solid")),
                marker=dict(symbol=symbols[i % len(symbols)], size=8),
                customdata=[pct(v) for v in values],
                hovertemplate="%{x}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    # The y axis follows the data; a target far above it is drawn as a marker at the top edge with its
    # value, so the lines are not squashed near the bottom of a 0–55% axis.
    data_top = max([float(np.nanmax(sr["values"])) for sr in series] + [float(np.nanmax(a["high"])) for a in shaded])
    far_above = target is not None and target > 1.6 * data_top + 5
    layout = layout_spec(height)
    if target is not None and not far_above:
        traces.append(
            dict(
                type="scatter",
                x=x,
                y=[target] * 12,
                name=legend_label(f"{t('target_line')} {pct(target)}"),
                mode="lines",
                line=dict(color=TARGET_COLOR, width=3, dash="dash"),
                hoverinfo="skip",
            )
        )
    # Above the plot, two entries a row: one a row ate half of a short chart's height in a narrow
    # column, and a legend below the plot, placed as a fraction of the plot's height, ran into the
    # month labels once the chart was fitted to a 720-px screen.
    layout["legend"] = dict(
        orientation="h",
        yanchor="bottom",
        y=1.02,
        xanchor="left",
        x=0,
        font=layout["legend"]["font"],
        entrywidth=0.5,
        entrywidthmode="fraction",
    )
    layout["xaxis"]["tickangle"] = 0
    # a short axis title: it must fit beside a 260-px chart (the longer one was cut off)
    layout["yaxis"].update(title=dict(text=t("share_axis_short")), ticksuffix="%", rangemode="tozero")
    if far_above:
        top = data_top * 1.25 + 1
        layout["yaxis"]["range"] = [0, top]
        layout["annotations"] = [
            dict(
                x=1,
                xref="paper",
                y=top,
                yref="y",
                xanchor="right",
                yanchor="top",
                showarrow=False,
                text=f"▲ {t('target_line')} {pct(target)} — {t('target_above')}",
                font=dict(color=TARGET_COLOR, size=layout["font"]["size"]),
            )
        ]
    return {"data": traces, "layout": layout}


def status_text(value: float, target: float | None, show_target: bool = False, language: str | None = None) -> tuple[str, str]:
    """(text, badge colour). Text always says it, colour only repeats it. show_target: the target itself
    is named too ("✗ Chưa đạt chỉ tiêu 54,38% (−43,28 điểm %)"), for a KPI card, where it is not beside it.
    `language`: the page's, read once by a caller writing one status per unit (each read of the session
    costs; 400 units read it 800 times)."""
    language = language or lang()
    vi = language == "vi"
    if target is None or value is None or value != value:
        return T["no_target"][0 if vi else 1], "gray"
    gap = value - target
    word = T["reached" if gap >= 0 else "not_reached"][0 if vi else 1]
    if show_target:
        word += f" chỉ tiêu {fmt.pct(target, language)}" if vi else f" the {fmt.pct(target, language)} target"
    points = fmt.points(gap, language)
    return (f"✓ {word} ({points})", "green") if gap >= 0 else (f"✗ {word} ({points})", "red")


def scenario_summary(proj: Projection) -> str:
    figures = proj.block("province")
    return summary(proj.scenario, figures.december, figures.p10, figures.p90, figures.target, lang())


def chart_fit() -> tuple[int, int]:
    """Bounds for a chart that must fit the first screen (the Scenario page's trajectory at 1280×720):
    as tall as `chart_height` where the screen allows, never under 230 px (320 px in presentation
    type): the legend, the plot, the month axis and the axis title still have room."""
    # presentation type needs a taller least height: the axis title (18 px) must fit beside the plot
    return (320 if presenting() else 230), chart_height()


def chart_height() -> int:
    """The result charts' height: a little taller in presentation mode, for the larger type."""
    return 430 if presenting() else 400


SMALL_TABLE_ROWS = 20
GRID_ROW_PX = 35  # st.dataframe's row height (and its header's)


def grid_height(rows: int, most: int | None = None) -> int:
    """The height that shows a grid's every row and no empty ones below them (at most `most` px)."""
    height = GRID_ROW_PX * (rows + 1) + 3
    return height if most is None else min(height, most)


TABLE_CLASS = "sonla-table"  # the presentation CSS (ui/theme.py) and the tests find tables by it


def show_table(data: pd.DataFrame | Styler, height: int | None = None) -> None:
    """A table that the back row can read: in presentation mode a plain HTML table, whose type the
    presentation CSS enlarges (a data grid draws on a canvas that CSS cannot scale); otherwise the
    interactive grid, except for a short table (up to SMALL_TABLE_ROWS rows), which has nothing to
    scroll or sort and is plain HTML too (a grid costs the browser ≈ 20 ms to set up)."""
    rows = len(data.data) if isinstance(data, Styler) else len(data)
    if presenting() or rows <= SMALL_TABLE_ROWS:
        st.html(html_table(data))
    elif height is None:
        st.dataframe(data, hide_index=True, placeholder="—")  # a missing figure reads "—", not "None"
    else:
        st.dataframe(data, hide_index=True, height=height, placeholder="—")


def html_table(data: pd.DataFrame | Styler) -> str:
    """The table as one piece of HTML, written by pandas' Styler (with a Styler's own number formats
    and colours). Not st.table: it renders every cell as Markdown, ≈ 45 ms of browser time for the
    Assumptions page's two short tables on a page switch. Text is escaped (unit and scenario names
    come from users and uploaded files), a missing value reads "—", and there is no index column."""
    styled = isinstance(data, Styler)
    if isinstance(data, Styler):
        styler = data
        # Text columns are escaped before the caller's formatters, which format numbers, not text; a
        # column with no value at all reads "—" whatever its formatter would make of None.
        frame = styler.data.copy()
        empty = []
        for col in frame.columns:
            values = frame[col].dropna()
            if not len(values):
                empty.append(col)
            elif all(isinstance(v, str) for v in values):
                frame[col] = [html.escape(v) if isinstance(v, str) and v.strip() else "—" for v in frame[col]]
        styler.data = frame
        if empty:
            styler.format(lambda _: "—", subset=empty)
    else:
        styler = data.style.format(_cell_text)
    styler = styler.hide(axis="index").format_index(escape="html", axis=1)
    # a stable id (the content's checksum): the same table is the same HTML on every run, and two
    # tables on one page never share one (a Styler's colours are CSS rules on the table's id)
    styler.set_uuid(f"{zlib.crc32(styler.data.to_csv().encode()):08x}")
    return f'<div class="{TABLE_CLASS}">{styler.to_html(exclude_styles=not styled)}</div>'


def _cell_text(value) -> str:
    """A cell of a plain table as shown: text escaped, a missing value "—", a fraction in the user's
    number format; an empty text "—" too (whole numbers as written: years and counts come formatted by the pages)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or (isinstance(value, str) and not value.strip()):
        return "—"
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, (float, np.floating)):
        return fmt.number(float(value), lang())
    return html.escape(str(value))
