"""Under the Content-Security-Policy the pages still work in Chromium: no violation, charts and map
drawn, filters that apply on change still apply."""

import pytest

from newinfra.conftest import login

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/dashboard/",
    "/projects/",
    "/projects/stats/",
    "/map/",
    "/map/coverage/",
    "/ledger/",
    "/monitor/",
]


def test_the_main_pages_raise_no_csp_violation_and_draw_their_charts(page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, "office")
    drawn = 0
    for path in PAGES:
        response = page.goto(page.base + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        drawn += page.locator("canvas").count()
    assert not violations, violations[:5]
    assert drawn >= 3  # ECharts draws on canvas: dashboards and the map


def test_a_filter_that_applies_on_change_still_applies(page):
    login(page, "office")
    page.goto(page.base + "/ledger/")
    select = page.locator("select[data-autosubmit]").first
    value = select.locator("option").nth(1).get_attribute("value")
    with page.expect_navigation():
        select.select_option(value)
    assert f"={value}" in page.url
