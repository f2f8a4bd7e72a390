"""The platform in Debian's Chromium, driven by Playwright, against a real `newinfra serve`."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from newinfra.conftest import login

pytestmark = pytest.mark.browser


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
    page.wait_for_load_state()  # count() reads the page once, it does not wait
    rows = page.locator("#ledger-table tbody tr")
    assert rows.count() == 1
    assert "工业互联网" in rows.first.inner_text()
    page.fill("input[name=unit]", "")
    page.select_option("select[name=role]", "")
    page.fill("#ledger-filter input[name=q]", "充电")  # not the header search box
    page.click("#ledger-filter button[type=submit]")
    page.wait_for_load_state()  # count() reads the page once, it does not wait
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
    assert "任务分工台账" in download.suggested_filename
    ws = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    # 越秀区's two named tasks and the 36 it has as one of 各区政府; a title row, 截至 and the header.
    assert ws.max_row - 3 == shown == 38
    assert ws["D3"].value == "任务" and "制表单位：越秀区政府" in ws["A2"].value


def test_a_district_user_cannot_report_on_another_units_task(page):
    login(page, "tianhe")
    page.goto(page.base + "/ledger/?unit=市卫生健康委&role=lead")
    page.locator("#ledger-table tbody tr a").first.click()
    page.wait_for_load_state()
    assert page.locator("textarea[name=progress_note]").count() == 0
    assert "仅此任务的责任单位和统筹办可填写进展" in page.content()


def test_a_units_long_overdue_list_folds_after_eight_rows_and_opens_on_demand(page):
    login(page, "office")
    page.goto(page.base + "/supervision/")
    group = page.locator(".unit-group", has=page.locator("tr.collapse-toggle")).first
    rows = group.locator("tbody tr.overdue")
    total = rows.count()
    assert total > 8
    assert sum(rows.nth(i).is_visible() for i in range(total)) == 8
    page.emulate_media(media="print")  # a folded list prints whole
    assert sum(rows.nth(i).is_visible() for i in range(total)) == total
    page.emulate_media(media="screen")
    toggle = group.locator("tr.collapse-toggle button")
    assert toggle.inner_text() == f"展开其余 {total - 8} 项"
    toggle.click()
    assert sum(rows.nth(i).is_visible() for i in range(total)) == total
    assert toggle.inner_text() == "收起"
    # the index of units jumps to a unit's group
    first = page.locator(".unit-index a").first
    assert first.get_attribute("href").startswith("#unit-")
