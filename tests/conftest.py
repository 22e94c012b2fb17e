import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped browser or spreadsheet test is a failure, not a pass."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and (item.get_closest_marker("browser") or item.get_closest_marker("spreadsheet")):
        report.outcome = "failed"
        report.longrepr = f"CI=true: a browser/spreadsheet test may not be skipped ({report.longrepr})"


@pytest.fixture(autouse=True)
def scenario_database(tmp_path, monkeypatch):
    """Every test gets its own scenario database, never the user's."""
    path = tmp_path / "scenarios.sqlite3"
    monkeypatch.setenv("SONLA_DVCTT_DB", str(path))
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for every browser test."""
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    from tests.browser_support import CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def builtin(which: str):
    """A built-in scenario by what it is: "status_quo" (assumed momentum), "flat" (2022 held flat) or
    "recommendations" (the report's section 4)."""
    from model.scenario import builtin_scenario

    return builtin_scenario(which)


def model_cli(*args: str) -> str:
    """`python -m model ARGS` from the project folder; its standard output (it must succeed)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "model", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def shown_tables(at) -> list:
    """Every table on the page as the user sees it, in page order: an interactive grid (st.dataframe)
    as its data, a plain HTML table (short tables, presentation mode: ui.show_table) as the text of
    its cells (a DataFrame of strings, headed by its header row)."""
    tables = []
    for node in at.main:
        kind = getattr(node, "type", None)
        if kind == "dataframe":
            tables.append(node.value)
        elif is_html_table(node):
            tables.append(html_table_cells(node.proto.body))
    return tables


def is_html_table(node) -> bool:
    """A table drawn as plain HTML by ui.show_table (not the app's other st.html, such as its CSS)."""
    return getattr(node, "type", None) == "html" and 'class="sonla-table"' in node.proto.body


def html_table_cells(markup: str):
    """An HTML table's cells as a DataFrame of the text shown (entities decoded), read with the
    standard library's parser."""
    from html.parser import HTMLParser

    import pandas as pd

    rows: list[list[str]] = []

    class Cells(HTMLParser):
        cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                rows[-1].append("".join(self.cell).strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    Cells(convert_charrefs=True).feed(markup)
    return pd.DataFrame(rows[1:], columns=rows[0])
