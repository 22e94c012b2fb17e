"""What only a browser shows: a real `streamlit run` in Debian's Chromium."""

import pytest

from tests.browser_support import ROOT, december_text, open_app_page, streamlit_server, wait_idle

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "artifacts"
PAGES = [("", "tong-quan"), ("kich-ban", "kich-ban"), ("so-sanh", "so-sanh"), ("gia-dinh", "gia-dinh")]


@pytest.fixture(scope="module")
def server():
    with streamlit_server(ROOT / "app.py") as url:
        yield url


def open_page(browser, url, path, width=1280, height=720):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    open_app_page(page, url, path)
    return ctx, page


def no_exception(page):
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()


def test_every_page_opens_and_is_screenshotted_at_both_sizes(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1280, 720), (1920, 1080)):
        for path, name in PAGES:
            ctx, page = open_page(browser, server, path, width, height)
            no_exception(page)
            assert page.get_by_text("Page not found").count() == 0
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
            ctx.close()


def test_keyboard_moves_a_slider_and_the_december_share_changes(server, browser):
    ctx, page = open_page(browser, server, "kich-ban")
    before = december_text(page)
    assert before.endswith("%") and "," in before  # Vietnamese format, e.g. 11,10%
    thumb = page.locator('input[type="range"]').first  # "Triển khai DVCTT cấp xã…", 0% → 1% → 2%
    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(before) => { const m = [...document.querySelectorAll('[data-testid=stMetric]')].find(e => e.innerText.includes('12/2023'));"
        " return m && m.querySelector('[data-testid=stMetricValue]').innerText !== before; }",
        arg=before,
        timeout=20000,
    )
    wait_idle(page)
    after = december_text(page)
    to_number = lambda s: float(s.rstrip("%").replace(".", "").replace(",", "."))  # noqa: E731
    assert to_number(after) > to_number(before)
    no_exception(page)
    ctx.close()


SCENARIO_DECEMBER_IN_CHART = (
    "() => { const g = document.querySelector('.sonla-live-chart');"
    " if (!g || !g.data || g.dataset.drawn !== g.dataset.revision) return null;"
    " const t = g.data.find(d => d.name === 'Kịch bản'); return t.y[11]; }"
)


def test_the_trajectory_chart_is_updated_in_place_when_a_slider_moves(server, browser):
    """The live chart keeps its plotly.js graph (no remount) and draws the new figure."""
    ctx, page = open_page(browser, server, "kich-ban")
    page.wait_for_function(SCENARIO_DECEMBER_IN_CHART, timeout=20000)
    graph = page.locator(".sonla-live-chart").first
    graph.evaluate("g => { g.dataset.sameNode = 'yes'; }")
    first = page.evaluate(SCENARIO_DECEMBER_IN_CHART)
    assert page.locator(".sonla-live-chart .xtick text").count() == 12  # T1 … T12 drawn by plotly.js
    page.locator('input[type="range"]').nth(1).focus()  # "Giảm phí…": 0% → 5% → 10%
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({SCENARIO_DECEMBER_IN_CHART})() > {first}", timeout=20000)
    wait_idle(page)
    assert graph.evaluate("g => g.dataset.sameNode") == "yes"  # the same element: updated, not remounted
    chart_december = page.evaluate(SCENARIO_DECEMBER_IN_CHART)
    shown = december_text(page)
    assert round(chart_december, 2) == float(shown.rstrip("%").replace(",", "."))  # chart and KPI agree
    no_exception(page)
    ctx.close()


def test_a_chart_kept_while_its_page_is_away_comes_back_drawn_and_shows_what_changed_meanwhile(server, browser):
    """Coming back to the Scenario page puts its drawn chart back (ui/live_chart.py keeps it while the page
    is away); a change made elsewhere (the language, switched on another page) is drawn into it: the kept
    chart never shows an old figure."""
    ctx, page = open_page(browser, server, "kich-ban")
    page.wait_for_function(SCENARIO_DECEMBER_IN_CHART, timeout=20000)
    page.locator(".sonla-live-chart").first.evaluate("g => { g.dataset.sameNode = 'yes'; }")
    december = page.evaluate(SCENARIO_DECEMBER_IN_CHART)
    for lang, scenario_name in (("Tiếng Việt", "Kịch bản"), ("English", "Scenario")):
        page.locator('[data-testid="stSidebarNav"] a[href$="/so-sanh"]').click()
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]')
        wait_idle(page)
        page.get_by_role("radio", name=lang).or_(page.get_by_text(lang, exact=True)).first.click()
        wait_idle(page)
        page.locator('[data-testid="stSidebarNav"] a[href$="/kich-ban"]').click()
        page.wait_for_function(
            "(name) => { const g = document.querySelector('.sonla-live-chart');"
            " return !!(g && g.data && g.dataset.drawn === g.dataset.revision && g.data.some(d => d.name === name)); }",
            arg=scenario_name,
            timeout=20000,
        )
        graph = page.locator(".sonla-live-chart").first
        assert graph.evaluate("g => g.dataset.sameNode") == "yes"  # the kept graph, not a new one
        names = graph.evaluate("g => g.data.map(d => d.name)")
        assert scenario_name in names and ("Kịch bản" not in names if lang == "English" else True), names
        assert graph.evaluate("g => g.querySelectorAll('.xtick text').length") == 12
        shown = graph.evaluate(f"g => g.data.find(d => d.name === '{scenario_name}').y[11]")
        assert shown == december
    no_exception(page)
    ctx.close()


def test_the_address_bar_follows_the_levers_after_a_pause_and_a_reload_keeps_them(server, browser):
    """One address-bar write (and one history entry) per pause, not per slider step; copying the
    address then shares the scenario, and a reload opens it."""
    ctx, page = open_page(browser, server, "kich-ban")
    entries = page.evaluate("history.length")
    page.locator('input[type="range"]').nth(1).focus()  # "Giảm phí…": 0% → 25% in five quick steps
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('fee_cut.cut_pct=25')", timeout=20000)
    page.wait_for_function("() => document.querySelector('[data-address-bar]')?.dataset.addressBar === 'written'", timeout=20000)
    wait_idle(page)
    assert page.evaluate("history.length") - entries <= 2  # was one entry per step (5)
    shown = december_text(page)
    page.reload()
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes('12/2023'))", timeout=20000
    )
    assert december_text(page) == shown
    no_exception(page)
    ctx.close()


def test_presentation_mode_and_english(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx, page = open_page(browser, server, "kich-ban", 1920, 1080)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    page.get_by_text("Chế độ trình chiếu").click()
    wait_idle(page)
    assert page.locator('[data-testid="stSidebar"]').count() == 0 or not page.locator('[data-testid="stSidebar"]').is_visible()
    base_px = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMarkdownContainer] p')).fontSize)"
    )
    assert base_px >= 20
    chart_px = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('.js-plotly-plot .xtick text')].map(t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize)))"
    )
    assert chart_px >= 16
    # targets are dashed lines in the chart
    dashed = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot path.js-line')]"
        ".filter(p => !['none', ''].includes(getComputedStyle(p).strokeDasharray)).length"
    )
    assert dashed >= 1
    page.screenshot(path=str(ARTIFACTS / "kich-ban-presentation-1920x1080.png"))
    page.get_by_text("English", exact=True).click()
    wait_idle(page)
    assert page.get_by_text("Scenario builder — move the levers").count() == 1
    assert december_text(page).count(".") == 1  # English format, e.g. 11.10%
    no_exception(page)
    page.screenshot(path=str(ARTIFACTS / "kich-ban-presentation-en-1920x1080.png"))
    ctx.close()


def test_tracking_page_in_chromium_with_a_saved_plan_and_an_uploaded_series(server, browser, tmp_path):
    """The user's path: save the year's plan, upload a monthly series (generated, labelled as such),
    and read plan against actual; screenshots at both sizes, normal and presentation."""
    from model.baseline import load_report
    from tests.series_support import long_csv_for

    csv_path = tmp_path / "chuoi-mo-phong.csv"
    csv_path.write_bytes(long_csv_for(load_report(), 22, last_period="2023-10"))
    ARTIFACTS.mkdir(exist_ok=True)
    ctx, page = open_page(browser, server, "theo-doi", 1280, 720)
    page.get_by_label("Tên kế hoạch").fill("Kế hoạch 2023")
    page.get_by_role("button", name="Lưu làm kế hoạch").click()
    wait_idle(page)
    page.get_by_text("Đã lưu kế hoạch").first.wait_for()
    page.locator('a[href$="/gia-dinh"]').first.click()
    wait_idle(page)
    page.get_by_text("Bộ số liệu & nhập", exact=True).first.click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(1).set_input_files(str(csv_path))
    wait_idle(page)
    page.get_by_role("button", name="Kiểm tra và dùng chuỗi số liệu này").click()
    wait_idle(page)
    page.get_by_text("Đang dùng số liệu:").first.wait_for()
    page.locator('a[href$="/theo-doi"]').first.click()
    wait_idle(page)
    page.get_by_text("Thực tế tháng 10/2023").first.wait_for()
    no_exception(page)
    for presenting in (False, True):
        if presenting:
            page.get_by_text("Chế độ trình chiếu").first.click()
            wait_idle(page)
        for width, height in ((1280, 720), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(400)
            no_exception(page)
            page.screenshot(path=str(ARTIFACTS / f"theo-doi-{'pres' if presenting else 'norm'}-{width}x{height}.png"))
    ctx.close()
