"""The page's CSS: wrapping KPIs, and presentation mode (larger type, hidden chrome)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import lang, pick
from ui.state import presenting

# The browser tab's icon, a file in the repository (static/README.md).
APP_ICON = str(Path(__file__).resolve().parent.parent / "static" / "icon.png")


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
    /* the chosen option just clicked (focused: a 20% tint behind it) was 3.9:1 in the theme's blue; a darker
       blue reads at 6:1 on the tint and more on white */
    [data-testid="stButtonGroup"] button[aria-checked="true"], [data-testid="stButtonGroup"] button[aria-checked="true"] * {
        color: #00527F !important; }
    /* short tables and every table in presentation mode: plain HTML (ui.show_table), styled like st.table */
    .sonla-table { overflow-x: auto; margin-bottom: 0.25rem; }
    .sonla-table table { border-collapse: collapse; width: 100%; font-size: 0.875rem; line-height: 1.45; }
    .sonla-table th { text-align: left; vertical-align: bottom; font-weight: 600; color: rgba(49, 51, 63, 0.8);
        border-bottom: 1px solid rgba(49, 51, 63, 0.25); padding: 0.4rem 0.6rem; }
    .sonla-table td { vertical-align: top; border-bottom: 1px solid rgba(49, 51, 63, 0.1); padding: 0.4rem 0.6rem; }
    /* Streamlit's own English hints inside a field ("Press Enter to apply", "Press Enter to submit form", a
       "2/40" character counter): Enter works as it says, without a line in another language */
    [data-testid="InputInstructions"] { display: none !important; }
    /* captions at 4.5:1 or more on white (Streamlit's grey at 60% opacity is 3.9:1): a darker grey, opaque */
    .stApp [data-testid="stCaptionContainer"] { opacity: 1 !important; }
    .stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] p { color: #53555E; }
    /* the address-bar keeper (ui/address_bar.py) has nothing to show */
    .st-key-address-bar, .st-key-streamlit-words { display: none !important; }
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
        /* tables (plain HTML in presentation mode: ui.show_table), inputs, dropdowns, tags and the uploader */
        .stApp .sonla-table td, .stApp .sonla-table th,
        .stApp .sonla-table td *, .stApp .sonla-table th * { font-size: 21px !important; color: #000000; }
        .stApp [data-baseweb="select"] div, .stApp [data-baseweb="select"] span, .stApp [data-baseweb="tag"] span,
        .stApp [data-testid="stMultiSelectTagsContainer"] span,
        .stApp [data-baseweb="input"] input, .stApp [data-baseweb="textarea"] textarea,
        .stApp [data-testid="stNumberInput"] input, .stApp [data-testid="stTextInput"] input,
        .stApp [data-testid="stSelectbox"] input, .stApp [data-testid="stMultiSelect"] input,
        .stApp [data-testid="stFileUploader"] span, .stApp [data-testid="stFileUploader"] small,
        .stApp [data-testid="stFileUploaderDropzoneInstructions"] div, .stApp [role="option"],
        .stApp [role="option"] div, .stApp [data-testid="stExpander"] summary p,
        .stApp [data-testid="stRadio"] label p, .stApp [data-testid="stCheckbox"] label p { font-size: 20px !important; }
        /* what opens outside the page (Streamlit draws it in a portal at the end of the document, not inside .stApp):
           dropdown options, multiselect menus, popovers and help tooltips */
        [data-testid="stSelectboxVirtualDropdown"] [role="option"], [data-testid="stSelectboxVirtualDropdown"] [role="option"] *,
        [data-testid="stMultiSelectDropdown"] [role="option"], [data-testid="stMultiSelectDropdown"] [role="option"] *,
        [role="listbox"] [role="option"], [role="listbox"] [role="option"] *,
        [data-testid="stPopoverBody"] p, [data-testid="stPopoverBody"] li, [data-testid="stPopoverBody"] label p,
        [data-testid="stTooltipContent"], [data-testid="stTooltipContent"] p { font-size: 20px !important; }
        [data-testid="stSelectboxVirtualDropdown"] [role="option"], [data-testid="stMultiSelectDropdown"] [role="option"] {
            line-height: 1.3 !important; }
        /* a long button label (the Chi tiết view's "Đặt mức áp dụng = bình quân huyện bạn …") wraps instead of
           being cut with an ellipsis */
        .stApp [data-testid="stButton"] button, .stApp [data-testid="stDownloadButton"] button { height: auto !important; }
        .stApp button > div, .stApp button .stMarkdownEllipsis, .stApp button [data-testid="stMarkdownContainer"] p {
            white-space: normal !important; overflow: visible !important; text-overflow: clip !important; text-align: left; }
        /* the slider's value sits above the handle, not on it, at this size */
        .stApp [data-testid="stSliderThumbValue"] { transform: translateY(-0.55rem); }
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stMainMenu"],
        [data-testid="stAppDeployButton"], [data-testid="stDecoration"], footer { display: none !important; }
        .stApp { color: #000000; background: #FFFFFF; }
        """
    css += _uploader_css()
    css += "</style>"
    st.html(css)
    _streamlit_words(key="streamlit-words", data={"lang": lang(), "browse": pick("Chọn tệp", "Browse files")})


# Streamlit's own words that no parameter reaches, put in the user's language in the browser:
# - the uploader's button, whose visible word the CSS above replaces by a pseudo-element, which gives
#   a screen reader nothing: it gets the same word as its accessible name;
# - an uploaded file's size, written "28.5KB" by Streamlit: the locale's decimal mark and "kB".
_WORDS_JS = """
function fixWords(data) {
  for (const button of document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button')) {
    if (button.getAttribute("aria-label") !== data.browse) button.setAttribute("aria-label", data.browse);
  }
  const number = new Intl.NumberFormat(data.lang, { maximumFractionDigits: 1 });
  for (const el of document.querySelectorAll('[data-testid="stFileUploader"] small, [data-testid="stFileUploader"] span')) {
    if (el.children.length) continue;
    const m = /^(\\d+(?:\\.\\d+)?)\\s?(B|KB|MB|GB)$/.exec(el.textContent.trim());
    if (m) el.textContent = number.format(parseFloat(m[1])) + "\\u00a0" + (m[2] === "KB" ? "kB" : m[2]);
  }
}
export default function (component) {
  const { data } = component;
  window.__sonlaWords = data;
  fixWords(data);
  if (!window.__sonlaWordsObserver) {
    // Streamlit redraws these elements on its own schedule (a new upload, a page switch)
    window.__sonlaWordsObserver = new MutationObserver(() => fixWords(window.__sonlaWords));
    window.__sonlaWordsObserver.observe(document.body, { childList: true, subtree: true });
  }
}
"""
_streamlit_words = st.components.v2.component("sonla_streamlit_words", js=_WORDS_JS, isolate_styles=False)


def _uploader_css() -> str:
    """Streamlit's file uploader says "Drag and drop file here / Limit 5MB per file" in English; the
    app's labels state each upload's own limit, so the generic line is replaced by the user's language."""

    drop = pick("Kéo thả tệp vào đây", "Drag and drop a file here")
    browse = pick("Chọn tệp", "Browse files")
    return f"""
    [data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none !important; }}
    [data-testid="stFileUploaderDropzoneInstructions"] small {{ display: none !important; }}
    [data-testid="stFileUploaderDropzoneInstructions"] > div::before {{ content: "{drop}"; }}
    [data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] {{ font-size: 0 !important; }}
    /* the button's own word ("Upload") is a paragraph with its own font size: font-size 0 alone left it showing */
    [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none !important; }}
    [data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after {{
        content: "{browse}"; font-size: {"20px" if presenting() else "1rem"}; margin-left: 0.3rem; }}
    """
