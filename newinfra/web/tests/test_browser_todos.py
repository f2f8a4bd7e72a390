"""Each role's home in Chromium: the to-dos are counted right, one is done from there, the count drops;
the declarant is told its project was admitted."""

from __future__ import annotations

import re

import pytest

from newinfra.conftest import confirm, login

pytestmark = pytest.mark.browser


def logout(page):
    page.click("form[action='/logout/'] button")


def todo_count(page, key: str) -> int:
    """The count a to-do shows on the home page (0 when the entry is absent: nothing to do)."""
    page.goto(page.base + "/")
    entry = page.locator(f"#todos [data-todo={key}] .todo-count")
    return int(entry.inner_text()) if entry.count() else 0


def unread(page) -> int:
    badge = page.locator("#unread-count")
    return int(badge.inner_text()) if badge.count() else 0


def open_todo(page, key: str, text: str | None = None):
    """Follow a to-do from the home: its line naming ``text`` when listed, else the entry itself."""
    page.goto(page.base + "/")
    entry = page.locator(f"#todos [data-todo={key}]")
    line = entry.locator(".todo-lines a", has_text=text) if text else entry.locator(".todo-lines a")
    if line.count():
        line.first.click()
    else:
        entry.locator(".todo-head").click()


def test_a_declaration_moves_through_three_homes_and_the_declarant_is_told(page):
    login(page, "tianhe")
    waiting = todo_count(page, "first_review")
    logout(page)

    login(page, "mobile")
    page.goto(page.base + "/projects/new/")
    page.fill("#id_code", "2021-440106-63-03-000654")
    page.fill("#id_name", "待办测试5G基站项目")
    page.select_option("#id_domain", "5g")
    # No 初审单位 chosen: one district, so its government is proposed.
    page.check("#project-form input[name=districts] >> nth=3")  # 天河区 (ordered by code)
    page.fill("#id_total_investment", "1800")
    page.fill("#id_contact_name", "刘经理")
    page.fill("#id_contact_phone", "020-88888888")
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert "待初审" in page.locator("#project-head").inner_text()
    assert "天河区政府" in page.content()
    project_url = page.url
    logout(page)

    # 责任单位: the declaration waits on the district's home; the count matches its queue.
    login(page, "tianhe")
    assert todo_count(page, "first_review") == waiting + 1
    page.goto(page.base + "/projects/review/")
    assert page.locator("#queue-first tbody tr").count() == waiting + 1
    open_todo(page, "first_review", "待办测试5G基站项目")
    page.fill("#actions textarea[name=comment]", "材料齐全")
    page.click("button[value=first_approve]")
    assert "待复核" in page.locator("#project-head").inner_text()
    assert todo_count(page, "first_review") == waiting
    page.screenshot(path=str(page.artifacts / "home_tianhe.png"), full_page=True)
    logout(page)

    # 统筹办: one more to review; admitted from the home, one fewer.
    login(page, "office")
    reviews = todo_count(page, "office_review")
    page.goto(page.base + "/projects/review/")
    assert page.locator("#queue-office tbody tr").count() == reviews
    open_todo(page, "office_review", "待办测试5G基站项目")
    if "待办测试5G基站项目" not in page.locator("h1").inner_text():
        page.click("#queue-office >> text=待办测试5G基站项目")
    page.click("button[value=admit]")
    confirm(page, "入库")
    assert "已入库" in page.locator("#project-head").inner_text()
    assert todo_count(page, "office_review") == reviews - 1
    page.screenshot(path=str(page.artifacts / "home_office.png"), full_page=True)
    logout(page)

    # 申报单位: the 入库 notice is waiting, and opening the project reads it.
    login(page, "mobile")
    before = unread(page)
    assert before >= 1
    page.goto(page.base + "/notices/")
    row = page.locator("#notice-table tbody tr.unread", has_text="待办测试5G基站项目")
    assert "已入库" in row.inner_text()
    row.locator("a").click()
    assert page.url == project_url
    page.goto(page.base + "/notices/")
    assert (
        page.locator("#notice-table tbody tr.unread", has_text="已入库")
        .filter(has_text="待办测试5G基站项目")
        .count()
        == 0
    )
    assert unread(page) == before - 1


def test_a_responsible_unit_reports_an_overdue_value_from_its_home(page):
    login(page, "gongxin")
    late = todo_count(page, "overdue")
    assert late >= 24  # 市工业和信息化局's overdue indicator reports in the demo
    page.goto(page.base + "/supervision/")
    rows = page.locator("#overdue tr[data-kind=value], #overdue tr[data-kind=task]")
    assert rows.count() == late
    open_todo(page, "overdue")
    assert re.search(r"/indicators/\d+/report/\?period=", page.url)
    page.fill("#report-form input[name=value_city]", "120")
    page.click("#report-form button[value=submit]")
    assert "已提交" in page.locator(".messages").inner_text()
    assert todo_count(page, "overdue") == late - 1
    page.screenshot(path=str(page.artifacts / "home_gongxin.png"), full_page=True)


def test_a_district_resolves_a_routed_problem_from_its_home(page):
    login(page, "tianhe")
    problems = todo_count(page, "problems")
    assert problems >= 1
    open_todo(page, "problems")
    page.locator("form[action*='/resolve/'] button").first.click()
    assert todo_count(page, "problems") == problems - 1


def test_a_declarant_resubmits_a_returned_declaration_from_its_home(page):
    login(page, "mobile")
    returned = todo_count(page, "returned")
    assert returned >= 1
    open_todo(page, "returned")
    page.click("#actions form:has(input[value=submit]) button[type=submit]")
    assert "待初审" in page.locator("#project-head").inner_text()
    assert todo_count(page, "returned") == returned - 1
    page.screenshot(path=str(page.artifacts / "home_mobile.png"), full_page=True)


def test_the_leaders_home_is_the_city_overview(page):
    login(page, "leader")
    assert page.locator("h1").inner_text().startswith("新基建总览")
    assert page.locator("#todos").count() == 0


def test_the_office_presses_a_unit_in_one_click_and_the_unit_answers_from_its_home(page):
    login(page, "gongxin")
    orders = todo_count(page, "orders")
    logout(page)
    login(page, "office")
    to_press = todo_count(page, "to_press")
    answered = todo_count(page, "answered_orders")
    page.goto(page.base + "/supervision/")
    group = page.locator(".unit-group", has_text="市工业和信息化局").first
    n = int(
        re.search(r"批量督办（(\d+)项）", group.locator("button", has_text="批量督办").inner_text()).group(1)
    )
    group.locator("button", has_text="批量督办").click()
    confirm(page, "逾期事项")
    assert f"发出{n}项督办" in page.locator(".messages").inner_text()
    assert todo_count(page, "to_press") == to_press - n
    logout(page)

    login(page, "gongxin")
    assert todo_count(page, "orders") == orders + n
    open_todo(page, "orders")
    page.fill("#feedback-form textarea[name=text]", "已安排专人补报，本周内完成。")
    page.click("#feedback-form button[type=submit]")
    assert "已反馈" in page.locator("#order-state").inner_text()
    assert todo_count(page, "orders") == orders + n - 1
    logout(page)

    login(page, "office")
    assert todo_count(page, "answered_orders") == answered + 1
