"""Entry point: shared chrome (language, presentation mode, active scenario) and navigation."""

import logging

import streamlit as st

import ui
from model.errors import PlannerError
from ui import address_bar
from ui.live_chart import ensure_plotly_js

# The icon is a file of the app (served by Streamlit itself): a ":material/…" icon is fetched from a font server.
st.set_page_config(page_title="Kế hoạch DVCTT Sơn La", page_icon=ui.APP_ICON, layout="wide", initial_sidebar_state="expanded")
ui.begin_run()  # what is looked up once per run (the active dataset) is looked up again
ensure_plotly_js()  # the scenario page's live charts load plotly.js from static/, offline
ui.freeze_long_lived_objects()  # keeps Streamlit's garbage collection after each run short

# Before anything is drawn: a link, a reload, Back or Forward may carry another state than this session's.
ui.apply_address_bar()
ui.apply_next_target_set()

# The chrome comes first: language and presentation mode decide the page titles, the navigation's
# position and the CSS. Both are bound to the URL (?lang=en&presentation=true), so a reload, a
# bookmark or a shared link keeps them. They sit in the main area, so they stay reachable when
# presentation mode hides the sidebar.
left, mid, right = st.columns([5, 2.6, 2.4], vertical_alignment="center")
with mid:
    st.segmented_control(
        "Ngôn ngữ / Language",
        options=["vi", "en"],
        key=ui.Key.LANG,
        required=True,
        format_func=ui.LANGUAGE_NAMES.__getitem__,
        label_visibility="collapsed",
        default="vi",
        bind="query-params",
    )
with right:
    st.toggle(ui.t("presentation"), key=ui.Key.PRESENTATION, bind="query-params")
ui.relabel_choices()
with left:
    dataset = ui.active_dataset()
    # the last month, unless the dataset's name already says it ("…đến hết 12/2022 (đến 12/2022)")
    name, last = dataset.label(ui.lang()), ui.last_month_label()
    until = "" if last in name else f" ({ui.pick('đến', 'to')} {last})"
    # Made-up numbers are never mistaken for the province's figures, on any page: said first, in the
    # header line itself (a banner of its own below the header pushed the Scenario chart's month axis
    # off a 1280×720 screen).
    made_up = (
        ":orange-background[:material/science: "
        + ui.pick("Số liệu giả lập, không phải số liệu của tỉnh Sơn La", "Made-up numbers, not Sơn La's data")
        + "] · "
        if dataset.synthetic
        else ""
    )
    st.caption(
        f"{made_up}{ui.t('data_label')}: {ui.plain(name)}{until} · "
        f"{ui.t('active_scenario')}: {ui.plain(ui.scenario_name(ui.remembered_current()))}"
    )

# The default page's address is the app's root: Streamlit does not serve it at its own url_path too,
# so /tong-quan (typed, or an old link) opens the same page through a hidden entry. It is shown there,
# not forwarded to the root: st.switch_page cannot carry the language and presentation parameters
# (they are bound to their widgets), and a reload would have lost them.
overview = st.Page(
    "app_pages/overview.py", title=ui.t("page_overview"), icon=":material/dashboard:", url_path="trang-dau", default=True
)
overview_by_name = st.Page("app_pages/overview.py", title=ui.t("page_overview"), url_path="tong-quan", visibility="hidden")
pages = [
    overview,
    st.Page("app_pages/scenario.py", title=ui.t("page_scenario"), icon=":material/tune:", url_path="kich-ban"),
    st.Page("app_pages/compare.py", title=ui.t("page_compare"), icon=":material/compare_arrows:", url_path="so-sanh"),
    st.Page("app_pages/tracking.py", title=ui.t("page_tracking"), icon=":material/timeline:", url_path="theo-doi"),
    st.Page("app_pages/targets.py", title=ui.t("page_targets"), icon=":material/flag:", url_path="chi-tieu"),
    st.Page("app_pages/library.py", title=ui.t("page_library"), icon=":material/folder_open:", url_path="thu-vien"),
    st.Page("app_pages/assumptions.py", title=ui.t("page_assumptions"), icon=":material/menu_book:", url_path="gia-dinh"),
    overview_by_name,
]
page = st.navigation(pages, position="top" if ui.presenting() else "sidebar")
ui.inject_css()
ui.show_link_notices()

if not ui.presenting():
    with st.sidebar:
        st.markdown(f"**{ui.t('app_title')}**")
        st.caption(
            ui.pick(
                "Ban Chỉ đạo chuyển đổi số tỉnh Sơn La — công cụ lập kế hoạch, chạy hoàn toàn trên máy này.",
                "Sơn La Digital Transformation Steering Committee — planning tool, runs entirely on this laptop.",
            )
        )

# No traceback reaches the projector: the project's own errors become their message in the user's
# language; anything else is logged here and shown as one plain sentence (st.rerun/st.stop pass through:
# they are not Exceptions).
# The address bar follows the session on every page (the Scenario page does it inside its fragment,
# so a slider move keeps it current). Before the page: a page may end early with st.stop().
if page.url_path != "kich-ban":
    address_bar.follow(page.url_path)
try:
    page.run()
except PlannerError as err:
    ui.show_error(err)
except Exception:
    logging.getLogger("sonla").exception("unexpected error on page %s", page.url_path)
    ui.show_unexpected_error()
