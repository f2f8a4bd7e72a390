"""The office proofreads a plan the parser got partly wrong, in Chromium, and publishes it."""

import re

import pytest

from newinfra.conftest import confirm, login

from .test_services import PLAN

pytestmark = pytest.mark.browser


def test_the_office_corrects_a_draft_and_the_unit_sees_exactly_the_corrected_tasks(page, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 900})
    source = tmp_path / "示范市智能网联设施建设工作方案.txt"
    source.write_text(PLAN, encoding="utf-8")

    login(page, "office")
    page.goto(page.base + "/plans/upload/")
    page.set_input_files("input[name=document]", str(source))
    page.click("form[enctype] button[type=submit]")  # the upload form, not the header's search
    confirm(page, "草稿")
    page.wait_for_url(re.compile(r"/plans/\d+/proofread/"))
    pid = int(re.search(r"/plans/(\d+)/proofread/", page.url).group(1))
    assert "草稿" in page.locator("h1").inner_text()

    # the parser does not know 承办/协办: tasks 1 and 2 have no units and come first, flagged
    first = page.locator("article.ptask").first
    assert "没有找到这项任务的责任单位" in first.inner_text()  # the parser's own flag
    page.click("#next-flag")
    assert page.locator("article.ptask.current").count() == 1
    assert page.locator("#source mark.active").count() >= 1  # where it was read, in the source
    page.screenshot(path=str(page.artifacts / "proofread-1440.png"))

    task2 = page.locator("article.ptask", has_text="2. 完善充电网络")
    task2.locator("summary", has_text="修改任务").click()
    form = task2.locator("form", has=page.locator("input[name=action][value=edit_task]"))
    form.locator("input[name=lead_units]").fill("市发展改革委")
    form.locator("input[name=co_units]").fill("天河区政府")
    form.locator("input[name=deadline]").fill("2025年12月底前")
    form.locator("input[name=deadline_date]").fill("2025-12-31")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已保存任务 2" in page.locator(".messages").inner_text()

    task2 = page.locator("article.ptask", has_text="2. 完善充电网络")
    row = task2.locator("tr.ptarget", has_text="新建公共充电桩2万个")
    row.locator("summary", has_text="修改目标").click()
    tform = row.locator("form", has=page.locator("input[name=action][value=edit_target]"))
    tform.locator("select[name=comparator]").select_option(">=")
    tform.locator("input[name=year]").fill("2025")
    tform.locator("input[name=value]").fill("2.5万")
    tform.locator("button[type=submit]").click()
    page.wait_for_load_state()

    task2 = page.locator("article.ptask", has_text="2. 完善充电网络")
    changed = task2.inner_text()
    assert "牵头单位：" in changed and "市发展改革委" in changed
    assert "2025年12月 → 2025年12月底前" in changed.replace("\n", " ")  # the parser read 时间：2025年12月
    assert "2万 → 2.5万" in changed.replace("\n", " ")
    page.screenshot(path=str(page.artifacts / "proofread-corrected-1440.png"), full_page=False)

    page.click("#publish")
    confirm(page, "发布")
    page.wait_for_url(re.compile(rf"/plans/{pid}/(#.*)?$"))
    assert "已发布" in page.locator("body").inner_text()

    # the unit: exactly the corrected task, in 我的任务 and in the API, and one notice
    page.context.clear_cookies()
    login(page, "tianhe")
    page.goto(page.base + "/my-tasks/")
    mine = page.locator("main").inner_text()
    assert "完善充电网络" in mine
    assert "推进智慧灯杆建设" not in mine and "建设车路协同示范路段" not in mine
    page.screenshot(path=str(page.artifacts / "my-tasks-1440.png"))
    api = page.request.get(page.base + f"/api/tasks/?plan={pid}&unit=天河区政府").json()
    assert [(t["number"], t["deadline"], t["deadline_date"]) for t in api["results"]] == [
        ("2", "2025年12月底前", "2025-12-31")
    ]
    targets = page.request.get(page.base + f"/api/targets/?plan={pid}").json()["results"]
    charging = next(t for t in targets if t["indicator_as_written"] == "公共充电桩")
    assert (charging["value"], charging["comparator"], charging["year"]) == ("25000.000000", ">=", 2025)
    notices = page.request.get(page.base + "/api/notices/").json()
    notices = notices["results"] if isinstance(notices, dict) else notices
    about = [n for n in notices if "示范市智能网联设施建设工作方案" in n["title"]]
    assert len(about) == 1 and "2. 完善充电网络（配合；完成时限：2025年12月底前）" in about[0]["body"]

    # leave the shared platform as it was: the office withdraws the plan, with a reason
    page.context.clear_cookies()
    login(page, "office")
    page.goto(page.base + f"/plans/{pid}/proofread/")
    page.click("details.withdraw summary")
    page.fill("details.withdraw textarea[name=reason]", "浏览器测试结束")
    page.click("details.withdraw button[type=submit]")
    confirm(page, "撤回")
    page.wait_for_url(re.compile(rf"/plans/{pid}/(#.*)?$"))
    page.context.clear_cookies()
    login(page, "tianhe")
    page.goto(page.base + "/my-tasks/")
    assert "完善充电网络" not in page.locator("main").inner_text()
