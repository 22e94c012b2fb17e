"""The meeting room, in Chromium, page by page in both languages and both modes: accessible by axe-core's
rules, offline (no request to any other host), and in one language only (no string of the other
language from the app's catalogue on screen)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser_support import draw_every_chart, open_app_page, streamlit_server
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
PAGES = ["", "kich-ban", "so-sanh", "theo-doi", "chi-tieu", "thu-vien", "gia-dinh"]
MODES = [(lang, presenting) for lang in ("vi", "en") for presenting in (False, True)]


@pytest.fixture(scope="module")
def server():
    with streamlit_server(ROOT / "app.py") as url:
        yield url


def address(path: str, lang: str, presenting: bool) -> str:
    query = "&".join(q for q in ("lang=English" if lang == "en" else "", "presentation=true" if presenting else "") if q)
    return path + ("?" + query if query else "")


def axe_script() -> str:
    """axe-core's own build, shipped inside the axe-playwright-python package (the test extra)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def serious_violations(page, script: str) -> list[tuple[str, str, list]]:
    page.evaluate(script)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [(n["target"], n.get("failureSummary", "")[:160]) for n in v["nodes"][:3]])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang,presenting", MODES)
def test_axe_finds_no_serious_violation_on_any_page(server, browser, lang, presenting):
    """Charts named for a screen reader, no control hidden inside an image, named buttons (the uploader's
    word is drawn by CSS), captions at 4.5:1 — every page, with its charts drawn."""
    script = axe_script()
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    found = {}
    for path in PAGES:
        open_app_page(page, server, address(path, lang, presenting))
        draw_every_chart(page)
        page.wait_for_timeout(300)
        violations = serious_violations(page, script)
        if violations:
            found[path or "tong-quan"] = violations
    ctx.close()
    assert not found, found


def test_no_request_leaves_this_machine_while_every_page_loads(server, browser):
    """The laptop works offline: the tab's icon, the fonts, plotly.js — everything comes from the app's own
    server, on every page, in both modes and both languages."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    own = urlsplit(server).netloc
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url) if urlsplit(r.url).scheme not in ("data", "blob") and urlsplit(r.url).netloc != own else None
        ),
    )
    for lang, presenting in MODES:
        for path in PAGES:
            open_app_page(page, server, address(path, lang, presenting))
            draw_every_chart(page)
    page.wait_for_timeout(500)
    ctx.close()
    assert not elsewhere, sorted(set(elsewhere))


def catalogue() -> list[tuple[str, str]]:
    from ui.i18n import T

    return list(T.values())


def shown_phrases(text: str, phrase: str) -> bool:
    """`phrase` as words of `text` (not inside a longer word: "Data" is not found in "Database")."""
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


@pytest.mark.parametrize("presenting", [False, True])
def test_no_catalogue_string_of_the_other_language_is_on_screen(server, browser, presenting):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    wrong: dict[str, list[str]] = {}
    for lang in ("vi", "en"):
        other = [en if lang == "vi" else vi for vi, en in catalogue() if vi != en]
        for path in PAGES:
            open_app_page(page, server, address(path, lang, presenting))
            text = page.locator('[data-testid="stApp"]').inner_text()
            found = [p for p in other if shown_phrases(text, p)]
            if found:
                wrong[f"{lang}/{path or 'tong-quan'}"] = found
    ctx.close()
    assert not wrong, wrong


def test_the_overview_opens_by_its_own_name_without_a_page_not_found(server, browser):
    """app.py names the Overview "tong-quan": that address opens it (Streamlit serves the default page only
    at the root, and popped "Page not found" in English), keeping the query string."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    open_app_page(page, server, "tong-quan?lang=English")
    page.wait_for_timeout(800)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stMain"] h1, [data-testid="stMain"] h2').first.inner_text().startswith("Overview")
    assert "lang=English" in page.url
    ctx.close()


def test_the_chosen_options_follow_a_language_switch(server, browser):
    """The goal-seek section's dropdowns kept "Triển khai DVCTT cấp xã…" and "Tháng 12" on an English page:
    Streamlit's browser side kept the label it had shown for a keyed dropdown."""
    from tests.browser_support import wait_idle

    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    open_app_page(page, server, "kich-ban")
    page.get_by_text("Cần bao nhiêu để đạt?").click()
    wait_idle(page)
    section = page.locator('[data-testid="stExpander"]').filter(has_text="Cần bao nhiêu để đạt?")
    shown_vi = [box.input_value() for box in section.locator('[data-testid="stSelectbox"] input').all()]
    assert "Tháng 12" in shown_vi, shown_vi
    page.get_by_text("English", exact=True).click()
    wait_idle(page)
    section = page.locator('[data-testid="stExpander"]').filter(has_text="What would it take?")
    section.wait_for()
    shown_en = [box.input_value() for box in section.locator('[data-testid="stSelectbox"] input').all()]
    assert "December" in shown_en and "Tháng 12" not in shown_en, shown_en
    assert not any(re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", s) for s in shown_en), shown_en
    ctx.close()
