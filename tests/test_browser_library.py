"""Scenario library in a real browser: saved scenarios survive a server restart; a shared link
opens the same numbers in a fresh browser."""

import os
import re

import pytest

from tests.browser_support import ROOT, december_text, open_app_page, streamlit_server, wait_idle

pytestmark = pytest.mark.browser


def test_saved_scenario_survives_a_server_restart(browser, scenario_database):
    env = {**os.environ, "SONLA_DVCTT_DB": str(scenario_database)}
    with streamlit_server(ROOT / "app.py", env=env) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        open_app_page(page, url, "kich-ban")
        page.get_by_text("Lưu và nạp kịch bản").click()  # the section is built when opened
        wait_idle(page)
        page.get_by_label("Tên kịch bản").fill("Phương án thử trình duyệt")
        page.get_by_label("Tên kịch bản").press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Lưu kịch bản").click()
        page.get_by_text("Đã lưu kịch bản “Phương án thử trình duyệt”").wait_for(timeout=20000)
        page.close()
    with streamlit_server(ROOT / "app.py", env=env) as url:  # a new server process, same file
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        open_app_page(page, url, "thu-vien")
        # the table is drawn on a canvas; the "Chọn kịch bản" list has real options
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="Phương án thử trình duyệt").wait_for(timeout=10000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()


def test_a_shared_link_gives_the_same_december_share_in_a_fresh_browser(browser):
    with streamlit_server(ROOT / "app.py") as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        open_app_page(page, url, "kich-ban")
        before = december_text(page)
        page.locator('input[type="range"]').nth(1).focus()  # "Giảm phí…": 0% → 5% → 10% → 15%
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(b) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
            "e => e.innerText.includes('12/2023') && !e.innerText.includes(b))",
            arg=before,
            timeout=20000,
        )
        wait_idle(page)
        page.wait_for_function("() => location.search.includes('fee_cut.cut_pct=')", timeout=10000)
        shared, expected = page.url, december_text(page)
        assert "fee_cut.cut_pct=15" in shared
        ctx.close()

        fresh = browser.new_context(viewport={"width": 1280, "height": 720})  # no cookies, no session
        page = fresh.new_page()
        page.goto(url)
        wait_idle(page)
        page.goto(shared)
        wait_idle(page)
        assert december_text(page) == expected
        fresh.close()


def test_upload_becomes_the_active_data_and_a_bad_upload_changes_nothing(browser, tmp_path):
    from tests.conftest import FIXTURES

    bad = tmp_path / "hong.csv"
    bad.write_text("unit_id,name\nx,Sở Y tế\n", encoding="utf-8")
    with streamlit_server(ROOT / "app.py") as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        open_app_page(page, url, "gia-dinh")
        page.get_by_text("Bộ số liệu & nhập", exact=True).first.click()
        wait_idle(page)
        page.get_by_label("Tên bộ số liệu").fill("Thử: sau sáp nhập 9/2025")
        page.get_by_label("Kỳ báo cáo (NNNN-TT)").fill("2025-09")
        page.get_by_label("Kỳ báo cáo (NNNN-TT)").press("Enter")
        wait_idle(page)
        page.get_by_text("Lũy kế từ đầu năm", exact=True).first.click()  # a CSV cannot say what it counts
        wait_idle(page)
        page.locator('input[type="file"]').first.set_input_files(str(FIXTURES / "report_2025_communes" / "units.csv"))
        wait_idle(page)
        page.get_by_role("button", name="Kiểm tra và dùng số liệu này").click()
        page.get_by_text("Đang dùng số liệu: Thử: sau sáp nhập 9/2025 (01/2025–09/2025)").wait_for(timeout=20000)
        # a malformed file is refused with its reasons, and the active data stays as it was
        page.get_by_text("Bộ số liệu & nhập", exact=True).first.click()
        page.locator('input[type="file"]').first.set_input_files(str(bad))
        wait_idle(page)
        page.get_by_role("button", name="Kiểm tra và dùng số liệu này").click()
        # the refusal itself, not the caption above the uploader, which says what a refused file does
        page.get_by_text(re.compile(r"^Tệp bị từ chối \(\d+ lỗi\)")).wait_for(timeout=20000)
        wait_idle(page)  # the reasons stay on screen after any later rerun
        shown = page.locator('[data-testid="stMain"]').inner_text()
        assert 'hong.csv, dòng 1, cột "order": thiếu cột bắt buộc [quy tắc: missing_column]' in shown, shown[-800:]
        page.locator('a[href$="/tong-quan"]').first.click() if page.locator('a[href$="/tong-quan"]').count() else page.locator(
            '[data-testid="stSidebarNav"] a'
        ).first.click()
        wait_idle(page)
        assert page.get_by_text("Dữ liệu: Thử: sau sáp nhập 9/2025").count() == 1  # still the accepted upload
        assert page.get_by_text("Tổng quan — số liệu đến hết 09/2025").count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
