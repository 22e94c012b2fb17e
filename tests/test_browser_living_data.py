"""Living data in Chromium: a 24-month series imported on the data page is kept, and the data, the
scenario's name and settings and the block survive a reload, a link opened in a new browser, and
Back after a page switch; the headline is the command line's projection of the same scenario."""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import pytest
from babel.numbers import parse_decimal

from model.baseline import load_report
from model.links import scenario_from_query
from tests.browser_support import open_app_page, streamlit_server, wait_idle
from tests.conftest import ROOT
from tests.series_support import long_csv_for

pytestmark = pytest.mark.browser
NAME = "Kế hoạch thử 2024"


def settle(page) -> None:
    wait_idle(page)
    page.wait_for_timeout(1000)  # the address bar's pause (800 ms) has passed


def headline(page) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=re.compile(r"Tháng 12/\d{4}|December \d{4}")).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()


def query(page) -> dict[str, str]:
    return dict(parse_qsl(urlparse(page.url).query))


def state_shown(page) -> tuple[str, str, str, str]:
    """(dataset id in the address, the caption's data and scenario, the block chosen, the headline)."""
    caption = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    block = page.locator('.st-key-block [role="radio"][aria-checked="true"]')  # the scope chooser's chosen button
    return query(page).get("data", ""), caption, block.first.inner_text() if block.count() else "", headline(page)


def cli_headline(db: Path, dataset_id: str, address: str) -> float:
    """The command line's December province share for the scenario the address describes."""
    params = dict(parse_qsl(urlparse(address).query))
    scenario, _ = scenario_from_query(params, params.get("name", "x"))
    path = db.parent / "scenario.json"
    path.write_text(scenario.to_json(), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "model", "--data-id", dataset_id, "run", str(path), "--json", "--draws", "64"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SONLA_DVCTT_DB": str(db)},
    ).stdout
    return json.loads(out)["blocks"]["province"]["december_pct"]


def test_an_imported_series_survives_reload_a_new_browser_and_back(browser, tmp_path):
    db = Path(tempfile.mkdtemp(prefix="sonla-db-")) / "scenarios.sqlite3"
    csv_path = tmp_path / "chuoi-24-thang.csv"
    csv_path.write_bytes(long_csv_for(load_report(), 24, last_period="2024-11", trend=0.6))
    with streamlit_server(ROOT / "app.py", env={**os.environ, "SONLA_DVCTT_DB": str(db)}) as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        open_app_page(page, url, "gia-dinh")
        page.get_by_text("Bộ số liệu & nhập", exact=True).first.click()
        wait_idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(1).set_input_files(str(csv_path))
        wait_idle(page)
        page.get_by_role("button", name="Kiểm tra và dùng chuỗi số liệu này").click()
        page.get_by_text("Đang dùng số liệu:").first.wait_for(timeout=30000)
        settle(page)
        dataset_id = query(page)["data"]
        assert re.fullmatch(r"[0-9a-f]{12}", dataset_id), page.url

        # the Scenario page: the series drives the headline (plan year 2025, the year after 11/2024)
        page.goto(f"{url}/kich-ban?data={dataset_id}&name={NAME}")
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]')
        settle(page)
        assert page.get_by_text("Tháng 12/2025").count() >= 1
        page.get_by_role("radio", name="Khối sở, ban, ngành").or_(
            page.get_by_text("Khối sở, ban, ngành", exact=True)
        ).first.click()
        settle(page)
        thumb = page.locator('input[type="range"]').nth(1)  # the fee cut
        thumb.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        settle(page)
        before = state_shown(page)
        assert before[0] == dataset_id and NAME in before[1] and "Khối sở" in before[2]
        address = page.url

        # the headline is the command line's projection of the same scenario on the same dataset
        page.get_by_text("Toàn tỉnh", exact=True).first.click()
        settle(page)
        province = float(parse_decimal(headline(page).rstrip("%"), locale="vi"))
        assert province == pytest.approx(cli_headline(db, dataset_id, page.url), abs=0.006)
        page.get_by_text("Khối sở, ban, ngành", exact=True).first.click()
        settle(page)

        # a reload keeps everything
        page.reload()
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]')
        settle(page)
        assert state_shown(page) == before

        # the copied link in a new browser context (a colleague's laptop shares this library)
        other = browser.new_context(viewport={"width": 1280, "height": 720})
        shared = other.new_page()
        shared.goto(address)
        shared.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]')
        settle(shared)
        assert state_shown(shared) == before
        other.close()

        # move a slider, open Compare, press Back: the scenario being edited is as it was
        thumb = page.locator('input[type="range"]').nth(1)
        thumb.focus()
        page.keyboard.press("ArrowRight")
        settle(page)
        moved = state_shown(page)
        page.locator('a[href$="/so-sanh"]').first.click()
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]')
        settle(page)
        page.go_back()
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]')
        settle(page)
        assert state_shown(page) == moved
        assert page.locator('[data-testid="stException"]').count() == 0
        ctx.close()


def test_the_targets_pages_workbook_is_the_active_datasets(browser, tmp_path):
    """The Excel from Chỉ tiêu with the post-7/2025 example active: the file is built on the click, when
    the session is out of reach, and is still the active data's, with its plan year, no district group,
    the Decision 766 sheet and the backtest's coverage of the example's months on the assumptions sheet."""
    import io

    import openpyxl

    from model.datasets import EXAMPLE_2025_ID, builtin_dataset

    example = builtin_dataset(EXAMPLE_2025_ID)
    assert example is not None
    expected_year = int(example.last_month[:4]) + 1  # the year after the data's last month
    with streamlit_server(ROOT / "app.py", env={**os.environ, "SONLA_DVCTT_DB": str(tmp_path / "lib.sqlite3")}) as url:
        ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
        page = ctx.new_page()
        open_app_page(page, url, f"chi-tieu?data={EXAMPLE_2025_ID}")
        settle(page)
        button = page.get_by_role("button", name="Tải tệp Excel (kịch bản có sẵn + kịch bản đang dùng)")
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=120_000) as download:
            button.click()
        wb = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert page.locator('[data-testid="stException"]').count() == 0
        ctx.close()
    assert wb.properties.title.startswith(f"Kế hoạch hồ sơ trực tuyến năm {expected_year}")
    assert "Điểm QĐ 766" in wb.sheetnames
    cells = [str(v) for row in wb["Kiểm định dự báo"].iter_rows(values_only=True) for v in row if v is not None]
    assert any(c.startswith("Kiểm định trên các tháng đã có số liệu") for c in cells)
    assert "Toàn tỉnh" in cells and not any("huyện" in c.lower() for c in cells if c.startswith("Khối"))


@pytest.mark.parametrize("to", ["kich-ban", "so-sanh", "chi-tieu", ""])
def test_a_reload_right_after_a_page_switch_keeps_the_data(browser, tmp_path, to):
    """The new page's address carries the session's state from the switch on: a reload before its run
    has written it (≈ 0,1–0,3 s) opened the built-in 2022 report."""
    from model.datasets import EXAMPLE_2025_ID

    with streamlit_server(ROOT / "app.py", env={**os.environ, "SONLA_DVCTT_DB": str(tmp_path / "lib.sqlite3")}) as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        start = "theo-doi" if to == "so-sanh" else "so-sanh"
        open_app_page(page, url, f"{start}?data={EXAMPLE_2025_ID}&fee_cut.cut_pct=15")
        settle(page)
        link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{to}"]' if to else '[data-testid="stSidebarNav"] a')
        link.first.click()
        page.wait_for_url(re.compile(rf"/{to}(\?|$)"), timeout=10_000)
        page.reload()  # at once: before the new page's run has written the address
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]')
        settle(page)
        assert query(page).get("data") == EXAMPLE_2025_ID, page.url
        assert query(page).get("fee_cut.cut_pct") == "15", page.url
        assert page.get_by_text("Số liệu giả lập", exact=False).count() >= 1  # the example, not the 2022 report
        assert page.locator('[data-testid="stException"]').count() == 0
        ctx.close()
