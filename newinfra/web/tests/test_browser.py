"""The platform in Debian's Chromium, driven by Playwright, against a real `newinfra serve`."""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("NEWINFRA_CHROMIUM", "/usr/bin/chromium")
CLI = [str(Path(sys.executable).with_name("newinfra"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def platform_url(tmp_path_factory):
    """A served platform with both plans and the demo users, on its own SQLite database."""
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "NEWINFRA_VAR": str(var), "NEWINFRA_TESTING": "1"}
    env.pop("DATABASE_URL", None)
    for step in (["migrate"], ["seed-demo"]):
        subprocess.run(CLI + step, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        CLI + ["serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("the platform did not start")
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, platform_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base = platform_url
    yield pg
    context.close()


def login(page, username="office", password="newinfra2026"):
    page.goto(page.base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_login(page):
    login(page, password="wrong-password")
    assert page.locator("p.error").inner_text().startswith("用户名或密码错误")
    login(page)
    assert page.locator("h1").inner_text() == "工作台"
    assert "统筹办" in page.locator(".usermenu").inner_text()


def test_ledger_filter(page):
    login(page, "leader")
    page.goto(page.base + "/ledger/")
    assert page.locator("#ledger-table tbody tr").count() == 50  # first page of 60
    page.fill("input[name=unit]", "市工业和信息化局")
    page.select_option("select[name=role]", "lead")
    page.click("#ledger-filter button[type=submit]")
    rows = page.locator("#ledger-table tbody tr")
    assert rows.count() == 1
    assert "工业互联网" in rows.first.inner_text()
    page.fill("input[name=unit]", "")
    page.select_option("select[name=role]", "")
    page.fill("input[name=q]", "充电")
    page.click("#ledger-filter button[type=submit]")
    assert all(
        "充电" in t for t in [page.locator("#ledger-table tbody tr").nth(i).inner_text() for i in range(2)]
    )


def test_script_switch(page):
    login(page, "tianhe")
    page.goto(page.base + "/ledger/")
    page.click("a[data-script=hant]")
    assert page.locator("h1").inner_text() in ("任務分工臺賬", "任務分工台賬")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    page.goto(page.base + "/my-tasks/")
    assert "我的任務" in page.locator("h1").inner_text()
    page.click("a[data-script=hans]")
    assert "我的任务" in page.locator("h1").inner_text()


def test_xlsx_export(page):
    login(page, "yuexiu")
    page.goto(page.base + "/ledger/?unit=越秀区政府")
    shown = page.locator("#ledger-table tbody tr").count()
    with page.expect_download() as info:
        page.click("a.export")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert ws.max_row - 1 == shown == 2
    assert ws["C1"].value == "任务"


def test_a_district_user_cannot_report_on_another_units_task(page):
    login(page, "tianhe")
    page.goto(page.base + "/ledger/?unit=市卫生健康委&role=lead")
    page.locator("#ledger-table tbody tr a").first.click()
    assert page.locator("textarea[name=progress_note]").count() == 0
    assert "仅此任务的责任单位和统筹办可填写进展" in page.content()
