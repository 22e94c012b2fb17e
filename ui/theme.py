"""The page's CSS: wrapping KPIs, and presentation mode (larger type, hidden chrome)."""

from __future__ import annotations

import streamlit as st

from ui.state import presenting


def inject_css() -> None:
    """Static CSS written here (no user text): presentation mode enlarges type and hides chrome."""
    css = """
    <style>
    /* KPI values and labels wrap instead of being cut off on a 1280-px projector */
    [data-testid="stMetricValue"] { font-size: clamp(1.35rem, 1.9vw, 2.2rem); }
    [data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] > div, [data-testid="stMetricLabel"] p,
    [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] .stMarkdownEllipsis, [data-testid="stMetricDelta"] p {
        white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
        height: auto !important; max-width: 100% !important; }
    .block-container { padding-top: 2.2rem; padding-bottom: 1rem; }
    /* segmented controls wrap onto a second line instead of hiding options behind a sideways scroll */
    [data-testid="stButtonGroup"] > div { flex-wrap: wrap !important; overflow: visible !important; }
    /* the address-bar keeper (ui/address_bar.py) has nothing to show */
    .st-key-address-bar { display: none !important; }
    """
    if presenting():
        # Targeted selectors only: a blanket rule would also shrink headings and KPI values.
        css += """
        .block-container { padding-top: 4.8rem !important; }
        .stApp [data-testid="stMarkdownContainer"] p, .stApp [data-testid="stMarkdownContainer"] li,
        .stApp [data-testid="stWidgetLabel"] p, .stApp button p, .stApp [data-testid="stCaptionContainer"],
        .stApp [data-testid="stSliderThumbValue"] p, .stApp [data-baseweb="tab"] p,
        .stApp [data-testid="stHeader"] a span, .stApp [data-testid="stMetricDelta"] div { font-size: 21px !important; }
        .stApp [data-testid="stHeading"] h2 { font-size: 2.5rem !important; }
        .stApp [data-testid="stHeading"] h3 { font-size: 1.8rem !important; }
        .stApp [data-testid="stMetricValue"] div, .stApp [data-testid="stMetricValue"] p {
            font-size: clamp(1.8rem, 2.6vw, 3rem) !important; font-weight: 700; line-height: 1.2; }
        .stApp [data-testid="stMetricLabel"] p { font-size: 21px !important; font-weight: 600; }
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stMainMenu"],
        [data-testid="stAppDeployButton"], [data-testid="stDecoration"], footer { display: none !important; }
        .stApp { color: #000000; background: #FFFFFF; }
        """
    css += "</style>"
    st.html(css)
