"""Start a real `streamlit run` on a free loopback port, and Debian's Chromium for Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: str | Path, env: dict | None = None, timeout: float = 60, cwd: str | Path | None = None):
    """`cwd` decides which .streamlit/config.toml applies (the project's, by default)."""
    port = free_port()
    env = dict(env or os.environ)
    # never the user's scenario library: a throw-away database unless the test names one
    env.setdefault("SONLA_DVCTT_DB", str(Path(tempfile.mkdtemp(prefix="sonla-db-")) / "scenarios.sqlite3"))
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(cmd, cwd=cwd or ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"streamlit did not start on {url}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_idle(page, timeout: float = 30000) -> None:
    """Until Streamlit has finished running the script (no 'Running…' status widget)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout, state="attached")
    page.wait_for_timeout(300)
    # polled on a clock, not on animation frames: a headless page that draws nothing gets few frames,
    # and a frame-polled wait ended up to a second late at random (the cold-load bench's median with it)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout, polling=20)
    page.wait_for_timeout(300)


def open_app_page(page, url: str, path: str = "") -> None:
    """Open the app at `path` by its address, as a bookmark or a shared link does, and wait until the
    page's own content (its header: every page has one) is drawn and the run has finished."""
    page.goto(f"{url}/{path}" if path else url)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]', timeout=60000)
    wait_idle(page)


def december_text(page) -> str:
    """The Scenario page's December KPI as shown, in either language."""
    import re

    metric = page.locator('[data-testid="stMetric"]').filter(has_text=re.compile(r"12/2023|December 2023")).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def draw_every_chart(page, timeout: float = 20000) -> int:
    """Scroll each chart into sight, so one waiting below the fold is drawn (ui/live_chart.py), and
    wait until every chart shows its figure. Returns how many charts the page has."""
    charts = page.locator(".sonla-live-chart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "(i) => { const g = document.querySelectorAll('.sonla-live-chart')[i];"
            " return !g || g.dataset.drawn === g.dataset.revision; }",
            arg=i,
            timeout=timeout,
        )
    return charts.count()
