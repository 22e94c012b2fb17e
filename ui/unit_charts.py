"""The Overview's unit charts (the ranking and the treemap), built once per data, language and
presentation mode: plotly's Python API validates every property, ≈ 80 ms a visit when they were built
in the page. Defined here, not in the page script: a cached function defined in a page is defined
anew on every run, and Streamlit reads its source again each time to key its cache."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from ui.charts import OKABE_ITO, base_layout
from ui.i18n import count, pct, pick, t
from ui.state import compiled

TREEMAP_UNITS = 40  # boxes per group at most; the 41 units of the 2022 report are all shown


@st.cache_data(show_spinner=False, max_entries=16)
def units(version: str, lang: str) -> pd.DataFrame:
    """Every unit with data, weakest first (the data is the active one: `version` keys the cache)."""
    seg = compiled().seg
    data = seg[seg.has_data & (seg.volume > 0)].copy()
    data["name"] = data.name_vi if lang == "vi" else data.name_en
    data["name"] = [("✱ " if sz else "") + n for n, sz in zip(data.name, data.structural_zero)]
    data["share_pct"] = 100 * data.share
    data["missing_online"] = data.volume - data.online
    return data.sort_values(["share_pct", "volume"], ascending=[True, True])


def kind_labels() -> dict[str, str]:
    return {
        "department": pick("Sở, ban, ngành", "Department"),
        "district_office": pick("UBND cấp huyện", "District office"),
        "commune": pick("Cấp xã", "Communes"),
    }


@st.cache_data(show_spinner=False, max_entries=16)
def ranking_figure(version: str, lang: str, presenting: bool, ytd: str) -> str:
    """The ranking chart's JSON: share and volume of every unit, side by side."""
    data = units(version, lang)
    kind_label = kind_labels()
    kind_color = {"department": OKABE_ITO[0], "district_office": OKABE_ITO[1], "commune": OKABE_ITO[2]}
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.5, 0.5],
        horizontal_spacing=0.04,
        subplot_titles=(
            pick("Tỷ lệ trực tuyến", "Online share"),
            pick(f"Số hồ sơ đến {ytd} (đậm: trực tuyến)", f"Dossiers to {ytd} (dark: online)"),
        ),
    )

    def bar(part: pd.DataFrame, kind: str, x, col: int, **style) -> None:
        """One kind's bars in panel `col`: every bar of a unit on its row, in its kind's colour."""
        fig.add_trace(
            go.Bar(y=part.name, x=x, orientation="h", marker_color=kind_color[kind], legendgroup=kind, **style), row=1, col=col
        )

    for kind in kind_color:
        part = data[data.kind == kind]
        bar(
            part,
            kind,
            part.share_pct,
            1,
            name=kind_label[kind],
            text=[pct(v) for v in part.share_pct],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
        bar(
            part,
            kind,
            part.volume,
            2,
            opacity=0.35,
            showlegend=False,
            text=[count(v) for v in part.volume],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} " + t("dossiers") + "<extra></extra>",
        )
        bar(part, kind, part.online, 2, showlegend=False, hoverinfo="skip")
    base_layout(fig, height=max(520, 24 * len(data) + 120))
    fig.update_layout(barmode="overlay", bargap=0.25, margin=dict(l=10, r=60, t=60, b=10))
    # room right of a 100% bar for its label ("100,00%") at 1280 px, where the panel is narrowest
    fig.update_xaxes(ticksuffix="%", range=[0, 135], tickvals=list(range(0, 101, 20)), row=1, col=1)
    fig.update_xaxes(range=[0, data.volume.max() * 1.25], tickformat=",d", row=1, col=2)  # 20.000, not "20k"
    # rank every unit together (plotly would otherwise order categories trace by trace)
    fig.update_yaxes(categoryorder="array", categoryarray=list(data.name))
    fig.update_yaxes(tickfont=dict(size=18 if presenting else 12), row=1, col=1)
    return fig.to_json()


@st.cache_data(show_spinner=False, max_entries=16)
def treemap_figure(version: str, lang: str, presenting: bool) -> tuple[str, pd.DataFrame]:
    """The treemap's JSON (area = dossiers, colour = online share) and its data."""
    tm = units(version, lang).copy()
    tm["parent"] = tm.kind.map(kind_labels())
    parents = tm.groupby("parent", as_index=False).agg(volume=("volume", "sum"), online=("online", "sum"))
    # A province after 7/2025 has 75 communes and wards, a generated one 400 units: past TREEMAP_UNITS a
    # group's smallest units are one box ("n đơn vị khác"), so the boxes stay large enough to read and
    # plotly does not lay out hundreds of them on every visit. The CSV beside the chart keeps every unit.
    shown, rest = [], []
    for _parent, part in tm.sort_values("volume", ascending=False).groupby("parent", sort=False):
        shown.append(part.head(TREEMAP_UNITS))
        if len(part) > TREEMAP_UNITS:
            others = part.iloc[TREEMAP_UNITS:]
            rest.append(
                {
                    "name": pick(f"{len(others)} đơn vị khác", f"{len(others)} other units") + f" ({_parent})",
                    "parent": _parent,
                    "volume": others.volume.sum(),
                    "share_pct": 100 * others.online.sum() / others.volume.sum(),
                }
            )
    boxes = pd.concat([*shown, pd.DataFrame(rest, columns=["name", "parent", "volume", "share_pct"])], ignore_index=True)
    labels = list(parents.parent) + list(boxes.name)
    parent_of = [""] * len(parents) + list(boxes.parent)
    values = list(parents.volume) + list(boxes.volume)
    shares = list(100 * parents.online / parents.volume) + list(boxes.share_pct)
    fig2 = go.Figure(
        go.Treemap(
            labels=labels,
            parents=parent_of,
            values=values,
            branchvalues="total",
            marker=dict(
                colors=shares, colorscale="Cividis", cmin=0, cmax=100, colorbar=dict(title=t("share_axis"), ticksuffix="%")
            ),
            text=[f"{count(v)} {t('dossiers')}<br>{pct(s)}" for v, s in zip(values, shares)],
            texttemplate="<b>%{label}</b><br>%{text}",
            hovertemplate="<b>%{label}</b><br>%{text}<extra></extra>",
        )
    )
    base_layout(fig2, height=640 if presenting else 520)  # presentation type needs bigger boxes for its labels
    # labels never shrink below a readable size; a box too small for its label shows none (hover still does)
    fig2.update_layout(uniformtext=dict(minsize=16 if presenting else 11, mode="hide"))
    table = pd.DataFrame(
        {
            "unit": list(parents.parent) + list(tm.name),
            "group": [""] * len(parents) + list(tm.parent),
            "dossiers": list(parents.volume) + list(tm.volume),
            "online_share_pct": list(100 * parents.online / parents.volume) + list(tm.share_pct),
        }
    )
    return fig2.to_json(), table
