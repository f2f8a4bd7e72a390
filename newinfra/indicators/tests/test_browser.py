"""From an empty period to a red light and back, in Chromium against a served platform."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newinfra.conftest import login

pytestmark = pytest.mark.browser

SETUP = """
from newinfra.indicators.tests.helpers import live_target
t = live_target("浏览器测试充电站", value=100)
print(t.indicator_id)
"""


def test_a_missed_due_date_turns_red_reminds_the_unit_and_turns_green_once_approved(page, platform_url):
    var = os.environ.get("NEWINFRA_BROWSER_VAR")
    env = {**os.environ, "NEWINFRA_VAR": var, "NEWINFRA_TESTING": "1"}
    env.pop("DATABASE_URL", None)
    cli = str(Path(sys.executable).with_name("newinfra"))
    out = subprocess.run(
        [cli, "manage", "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
    )
    indicator = out.stdout.strip().splitlines()[-1]
    subprocess.run([cli, "remind"], env=env, check=True, capture_output=True)

    login(page, "gongxin")
    page.goto(f"{page.base}/indicators/{indicator}/")
    assert "预警" in page.locator("#target-lights").inner_text()
    assert "逾期未报" in page.locator("#target-lights").inner_text()
    assert int(page.locator("#unread-count").inner_text()) >= 1
    page.goto(f"{page.base}/notices/")
    assert "浏览器测试充电站" in page.locator("#notice-table").inner_text()
    page.goto(f"{page.base}/supervision/")
    overdue = page.locator("#overdue tr[data-kind=value]", has_text="浏览器测试充电站")
    periods = overdue.count()
    assert periods >= 1
    # Report every overdue month (the target is 100; the last value meets it).
    for i in range(periods):
        page.goto(f"{page.base}/supervision/")
        # a unit's list folds after eight rows: open every one, as a user looking for a row does
        page.locator("tr.collapse-toggle button").evaluate_all("buttons => buttons.forEach(b => b.click())")
        page.locator("#overdue tr[data-kind=value]", has_text="浏览器测试充电站").first.locator(
            "text=报送"
        ).click()
        page.fill("#report-form input[name=value_city]", str(100 + i))
        page.click("#report-form button[value=submit]")
        assert "已提交" in page.locator(".messages").inner_text()
    page.goto(f"{page.base}/indicators/{indicator}/")
    assert "预警" not in page.locator("#target-lights").inner_text()  # reported: not overdue any more
    page.click("form[action='/logout/'] button")

    login(page, "office")
    page.goto(f"{page.base}/monitor/review/")
    while page.locator("#review-table tbody tr", has_text="浏览器测试充电站").count():
        page.locator("#review-table tbody tr", has_text="浏览器测试充电站").first.locator(
            "button[value=approve]"
        ).click()
    page.goto(f"{page.base}/indicators/{indicator}/")
    lights = page.locator("#target-lights").inner_text()
    assert "正常" in lights and "已达到目标值" in lights
    page.wait_for_selector("#indicator-chart[data-rendered='1']")
    page.screenshot(path=str(page.artifacts / "indicator_green.png"), full_page=True)
