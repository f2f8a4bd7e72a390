"""一张图 in Chromium: the 11 districts drawn from the platform's own boundaries (no tiles), the
project points, and the coverage page with its gaps and proposed sites."""

import pytest

from newinfra.conftest import login

pytestmark = pytest.mark.browser


def test_the_map_draws_the_eleven_districts_and_the_points(page):
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(page.base) else None)
    login(page, "office")
    page.click("nav.mainnav >> text=一张图")
    page.wait_for_selector("#geo-map[data-regions]")
    assert page.locator("#geo-map canvas").count() >= 1
    assert page.get_attribute("#geo-map", "data-regions") == "11"
    assert int(page.get_attribute("#geo-map", "data-points")) == int(page.inner_text("#point-count")) > 0
    assert page.locator("#district-values tbody tr").count() == 11
    assert not failed and not external
    page.screenshot(path=str(page.artifacts / "geo_map.png"), full_page=True)
    # clicking a district opens its page (the project points hidden through the legend first)
    box = page.locator("#geo-map").bounding_box()
    x, y = page.evaluate(
        "() => { const c = window.geoChart;"
        " c.getOption().series.forEach(s => s.type === 'scatter' && c.dispatchAction({type: 'legendUnSelect', name: s.name}));"
        " return c.convertToPixel({geoIndex: 0}, [113.40, 23.20]); }"
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/map/districts/440106/")
    assert "天河区" in page.inner_text("h1")


def test_the_coverage_page_shows_the_gaps_and_proposed_sites(page):
    login(page, "office")
    page.goto(page.base + "/map/coverage/?preset=central&sites=10")
    page.wait_for_selector("#geo-map[data-regions]")
    assert page.get_attribute("#geo-map", "data-regions") == "11"
    share = float(page.inner_text("#coverage-share").rstrip("%"))
    after = float(page.inner_text("#coverage-after").rstrip("%"))
    assert 0 < share < after <= 100
    assert page.locator("#coverage-districts tbody tr").count() == 6
    assert page.locator("#proposal tbody tr").count() == 10
    page.screenshot(path=str(page.artifacts / "geo_coverage.png"), full_page=True)
