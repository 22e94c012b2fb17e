"""The meeting room, in Chromium, page by page in both languages and both modes: accessible by axe-core's
rules, offline (no request to any other host), and in one language only (no string of the other
language from the app's catalogue on screen)."""

from __future__ import annotations

import ast
import re
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest

from model.datasets import EXAMPLE_2025_ID
from tests.browser_support import draw_every_chart, open_app_page, streamlit_server, wait_idle
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
PAGES = ["", "kich-ban", "so-sanh", "theo-doi", "chi-tieu", "thu-vien", "gia-dinh"]
MODES = [(lang, presenting) for lang in ("vi", "en") for presenting in (False, True)]


class Screen(NamedTuple):
    """What one screenful is: a page, one of its views (its button's label in each language; None for
    the page's first view) and the dataset (None: the built-in report)."""

    path: str
    view: tuple[str, str] | None = None
    data: str | None = None

    @property
    def name(self) -> str:
        return "/".join(p for p in (self.path or "tong-quan", self.view and self.view[1], self.data) if p)


# every page on the built-in report; the Assumptions page's views that are more than a table (the datasets
# and their import, the effects from the data); and the pages whose words follow the data on the example
# after 7/2025 (no district blocks, a monthly series: the first projected month's caption, 766 points)
SCREENS = [
    *(Screen(p) for p in PAGES),
    Screen("gia-dinh", ("Bộ số liệu & nhập", "Datasets & import")),
    Screen("gia-dinh", ("Tác động từ số liệu", "Effects from the data")),
    Screen("", data=EXAMPLE_2025_ID),
    Screen("kich-ban", data=EXAMPLE_2025_ID),
    Screen("chi-tieu", data=EXAMPLE_2025_ID),
]


@pytest.fixture(scope="module")
def server():
    with streamlit_server(ROOT / "app.py") as url:
        yield url


def address(path: str, lang: str, presenting: bool, data: str | None = None) -> str:
    parts = ("lang=English" if lang == "en" else "", "presentation=true" if presenting else "", f"data={data}" if data else "")
    query = "&".join(q for q in parts if q)
    return path + ("?" + query if query else "")


def open_screen(page, server: str, screen: Screen, lang: str, presenting: bool) -> None:
    open_app_page(page, server, address(screen.path, lang, presenting, screen.data))
    if screen.view:
        label = screen.view[0] if lang == "vi" else screen.view[1]
        page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button').filter(has_text=label).first.click()
        wait_idle(page)


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
    for screen in SCREENS:
        open_screen(page, server, screen, lang, presenting)
        draw_every_chart(page)
        page.wait_for_timeout(300)
        violations = serious_violations(page, script)
        if violations:
            found[screen.name] = violations
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
        for screen in SCREENS:
            open_screen(page, server, screen, lang, presenting)
            draw_every_chart(page)
    page.wait_for_timeout(500)
    ctx.close()
    assert not elsewhere, sorted(set(elsewhere))


def _phrases(node: ast.expr) -> list[str]:
    """The words of a text as written in the code: a literal whole; an f-string's literal stretches
    between its {fields}, cut at Markdown's ** (the screen shows no asterisks)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    else:
        return []
    return [p.strip(" .,:;—–-") for part in parts for p in re.split(r"\*\*|\n", part)]


VIETNAMESE_LETTER = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _written_pairs(tree: ast.AST) -> list[tuple[ast.expr, ast.expr]]:
    """Each (Vietnamese, English) pair the code writes side by side, whatever carries it: `pick(vi, en)`,
    a view's or a section's labels (`lazy_section(vi, en, …)`), a notice's tuple, a table of labels."""
    pairs = []
    for node in ast.walk(tree):
        items = node.args if isinstance(node, ast.Call) else node.elts if isinstance(node, ast.Tuple) else []
        for vi, en in zip(items, items[1:]):
            if _is_text(vi) and _is_text(en):
                vi_text, en_text = " ".join(_phrases(vi)), " ".join(_phrases(en))
                # the English one may name a place ("Sơn La"): far fewer Vietnamese letters, not none
                if len(VIETNAMESE_LETTER.findall(vi_text)) > 3 * len(VIETNAMESE_LETTER.findall(en_text)):
                    pairs.append((vi, en))
    return pairs


def catalogue() -> list[tuple[str, str]]:
    """Every text the app writes in both languages: the shared table (ui.i18n.T) and each pair written
    side by side in app.py, the pages and ui/ — its phrases of three words or more, where the two differ
    (a short word such as "có" or "to" is a word of both languages)."""
    from ui.i18n import T

    pairs = list(T.values())
    for source in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        for vi_node, en_node in _written_pairs(ast.parse(source.read_text(encoding="utf-8"))):
            vi, en = _phrases(vi_node), _phrases(en_node)
            vi_words, en_words = set(vi), set(en)
            pairs += [(p, "") for p in vi if len(p.split()) >= 3 and p not in en_words]
            pairs += [("", p) for p in en if len(p.split()) >= 3 and p not in vi_words]
    return pairs


def shown_phrases(text: str, phrase: str) -> bool:
    """`phrase` as words of `text` (not inside a longer word: "Data" is not found in "Database")."""
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


@pytest.mark.parametrize("presenting", [False, True])
def test_no_catalogue_string_of_the_other_language_is_on_screen(server, browser, presenting):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    wrong: dict[str, list[str]] = {}
    for lang in ("vi", "en"):
        other = [p for p in {en if lang == "vi" else vi for vi, en in catalogue() if vi != en} if p]
        for screen in SCREENS:
            open_screen(page, server, screen, lang, presenting)
            text = page.locator('[data-testid="stApp"]').inner_text()
            found = [p for p in other if shown_phrases(text, p)]
            if found:
                wrong[f"{lang}/{screen.name}"] = found
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
