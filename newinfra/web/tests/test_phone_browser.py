"""The platform on a phone (390×844) and each role's header, in Chromium against a served platform.

Screenshots go to $NEWINFRA_SCREENSHOTS (or the test's tmp dir): phone_my_tasks.png, phone_report.png,
phone_order_feedback.png, phone_dispatch.png, phone_menu.png.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newinfra.conftest import confirm, login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

SETUP = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from newinfra.indicators.models import IndicatorProfile
from newinfra.orgs.models import Organization
from newinfra.plans.models import Responsibility
from newinfra.projects.models import Project, Status
from newinfra.supervision import services
users = get_user_model().objects
gongxin = Organization.objects.get(name="市工业和信息化局")
task = Responsibility.objects.filter(organization=gongxin, is_lead=True, is_active=True).first().task
order = services.issue_order(users.get(username="office"), gongxin,
    "5G基站建设进度滞后于年度计划，请说明原因并提出整改措施。", timezone.localdate() + dt.timedelta(days=7), task)
indicator = IndicatorProfile.objects.filter(responsible=gongxin, district_breakdown=False).first().indicator_id
project = Project.objects.filter(declarant__name="中国移动广州分公司", status=Status.ADMITTED).first().pk
print(order.pk, indicator, project)
"""


@pytest.fixture(scope="module")
def records(platform_url):
    var = os.environ["NEWINFRA_BROWSER_VAR"]
    env = {**os.environ, "NEWINFRA_VAR": var, "NEWINFRA_TESTING": "1"}
    env.pop("DATABASE_URL", None)
    cli = str(Path(sys.executable).with_name("newinfra"))
    out = subprocess.run(
        [cli, "manage", "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
    )
    order, indicator, project = out.stdout.strip().splitlines()[-1].split()
    return {"order": order, "indicator": indicator, "project": project}


@pytest.fixture
def phone(browser, platform_url, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base = platform_url
    pg.artifacts = Path(os.environ.get("NEWINFRA_SCREENSHOTS", tmp_path))
    yield pg
    context.close()


def fits(page) -> bool:
    """Nothing on the page is wider than the phone: no sideways scrolling of the whole page."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_menu_button_opens_the_sections_the_role_may_open(phone):
    login(phone, "gongxin")
    assert phone.is_visible("#menu-toggle")
    assert not phone.is_visible("#mainnav")
    phone.click("#menu-toggle")
    assert phone.is_visible("#mainnav") and phone.is_visible(".topbar .search input")
    labels = phone.locator("#mainnav a").all_inner_texts()
    assert "督办" in labels and "我的任务" in labels
    phone.screenshot(path=str(phone.artifacts / "phone_menu.png"))
    phone.click("#mainnav >> text=我的任务")
    phone.wait_for_load_state()  # the rows below are counted, not waited for
    assert "我的任务" in phone.locator("h1").inner_text()
    assert fits(phone)
    first = phone.locator("table.grid tbody tr").first
    assert first.locator("td[data-label=任务] a").is_visible()
    phone.screenshot(path=str(phone.artifacts / "phone_my_tasks.png"), full_page=True)


def test_a_unit_reports_a_value_and_answers_a_supervision_order_on_a_phone(phone, records):
    login(phone, "gongxin")
    phone.goto(f"{phone.base}/indicators/{records['indicator']}/report/")
    assert fits(phone)
    phone.fill("#report-form input[name=value_city]", "300")
    phone.screenshot(path=str(phone.artifacts / "phone_report.png"), full_page=True)
    phone.click("#report-form button[value=draft]")
    assert "已保存" in phone.locator(".messages").inner_text()

    phone.goto(f"{phone.base}/supervision/orders/{records['order']}/")
    assert fits(phone)
    phone.fill("textarea[name=text]", "已约谈运营商，四季度新增站址120个。")
    phone.screenshot(path=str(phone.artifacts / "phone_order_feedback.png"), full_page=True)
    phone.click("form:has(textarea[name=text]) button[type=submit]")
    phone.wait_for_load_state()
    assert "反馈已提交" in phone.locator(".messages").inner_text()
    assert "已约谈运营商" in phone.content()


def test_a_declarant_fills_the_monthly_dispatch_on_a_phone(phone, records):
    login(phone, "mobile")
    phone.goto(f"{phone.base}/projects/{records['project']}/dispatch/")
    assert fits(phone)
    box = phone.locator("form input[name=invested_month]").bounding_box()
    assert box["width"] > PHONE["width"] * 0.7, "one column: each field takes the whole width"
    phone.screenshot(path=str(phone.artifacts / "phone_dispatch.png"), full_page=True)


def test_each_role_sees_only_its_sections_and_is_refused_in_chinese(page):
    login(page, "mobile")
    labels = page.locator("#mainnav a").all_inner_texts()
    assert "项目库" in labels and "规划" in labels
    assert not {"督办", "评估", "总览", "指标监测", "我的任务"} & set(labels)
    page.goto(page.base + "/supervision/")
    assert page.locator("#error-page h1").inner_text() == "无权访问此页面"
    assert "申报单位" in page.locator("#error-page").inner_text()
    page.click("#error-page >> text=回到首页")
    assert page.url.rstrip("/") == page.base
    page.goto(page.base + "/no-such-page/")
    assert page.locator("#error-page h1").inner_text() == "找不到此页面"
    page.click("form[action='/logout/'] button")
    login(page, "leader")
    labels = page.locator("#mainnav a").all_inner_texts()
    assert {"督办", "评估", "总览", "指标监测"} <= set(labels) and "我的任务" not in labels
    page.fill(".topbar .search input", "5G")
    with page.expect_navigation():
        page.press(".topbar .search input", "Enter")
    # wait_for fails with a timeout if the section never shows; is_visible() would read the
    # page once, possibly before the results page has replaced the previous one.
    page.locator("#results-tasks").wait_for(state="visible")
    page.locator("#results-projects").wait_for(state="visible")


def test_freezing_an_evaluation_asks_first(page):
    login(page, "office")
    page.goto(page.base + "/evaluations/")
    before = page.locator("table.grid tbody tr").count()
    page.fill("#freeze-form input[name=name]", "浏览器测试评估")
    page.click("#freeze-form button[type=submit]")
    confirm(page, "冻结后不能修改", accept=False)
    page.goto(page.base + "/evaluations/")
    assert page.locator("table.grid tbody tr").count() == before
    page.fill("#freeze-form input[name=name]", "浏览器测试评估")
    page.click("#freeze-form button[type=submit]")
    confirm(page, "确认冻结评估")
    assert "已冻结" in page.locator(".messages").inner_text()
