"""Coverage analysis: the share is right (checked against an independent count), the proposal
helps more than chance, and a recorded analysis is the value of 公用充电设施服务半径."""

import math

import numpy as np
import pytest

from newinfra.geo import coverage as cov
from newinfra.geo.boundaries import AREA_PRESETS, geometries
from newinfra.geo.demo import DEMO_LAYER
from newinfra.geo.models import CoverageResult, FacilityLayer
from newinfra.projects.tests.helpers import client_for

pytestmark = pytest.mark.django_db
CENTRAL = AREA_PRESETS["central"][1]


def demo_points():
    return cov.layer_points(FacilityLayer.objects.get(name=DEMO_LAYER))


def haversine_m(lng1, lat1, lng2, lat2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lng2 - lng1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def grid_share(lng, lat, codes, radius_m=1000, step=0.0012):
    """Independent: a fine lon/lat grid, inside-tests on the unprojected boundaries, great-circle
    distances to the stations, each grid point weighted by cos(latitude) (equal-area)."""
    g = geometries()
    area = g.lnglat[codes[0]]
    for c in codes[1:]:
        area = area.union(g.lnglat[c])
    x0, y0, x1, y1 = area.bounds
    xs = np.arange(x0 + step / 2, x1, step)
    ys = np.arange(y0 + step / 2, y1, step)
    gx, gy = np.meshgrid(xs, ys)
    import shapely

    inside = shapely.contains_xy(area, gx, gy)
    covered = np.zeros_like(inside)
    dlat = radius_m / 111_000 * 1.01
    for sx, sy in zip(lng, lat, strict=True):
        dlng = dlat / math.cos(math.radians(sy))
        j0, j1 = np.searchsorted(xs, [sx - dlng, sx + dlng])
        i0, i1 = np.searchsorted(ys, [sy - dlat, sy + dlat])
        if i0 == i1 or j0 == j1:
            continue
        win = haversine_m(sx, sy, gx[i0:i1, j0:j1], gy[i0:i1, j0:j1]) <= radius_m
        covered[i0:i1, j0:j1] |= win
    w = np.cos(np.radians(gy))
    return (w * (inside & covered)).sum() / (w * inside).sum() * 100


def test_share_agrees_with_an_independent_grid_count_on_the_demo_layer():
    lng, lat = demo_points()
    result = cov.analyse(lng, lat, CENTRAL, 1000)
    independent = grid_share(lng, lat, CENTRAL)
    assert 20 < result.share < 99  # the demo leaves gaps to analyse
    assert abs(result.share - independent) < 1.0, (result.share, independent)
    # the districts' shares make up the whole
    total = sum(d["covered_km2"] for d in result.per_district)
    assert total == pytest.approx(result.covered_km2, abs=0.1)


def test_one_station_covers_a_circle_of_the_radius():
    g = geometries()
    yuexiu = g.lnglat["440104"].representative_point()
    result = cov.analyse([yuexiu.x], [yuexiu.y], ["440104", "440103", "440106", "440105"], 1000)
    assert result.covered_km2 == pytest.approx(math.pi, rel=0.01)
    assert result.facilities == 1


def test_stations_across_the_boundary_count_and_far_ones_do_not():
    lng, lat = demo_points()
    result = cov.analyse(lng, lat, ["440104"], 1000)  # 越秀: small, covered from its neighbours too
    inside = sum(1 for d in geometries().district_of(lng, lat) if d == "440104")
    assert result.facilities > inside
    assert result.facilities < len(lng)


def random_sites(codes, n, seed):
    rng = np.random.default_rng(seed)
    g = geometries()
    import shapely

    area = shapely.union_all([g.lnglat[c] for c in codes])
    x0, y0, x1, y1 = area.bounds
    out = []
    while len(out) < n:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if area.contains(shapely.Point(x, y)):
            out.append((x, y))
    return np.array(out)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_proposed_sites_raise_the_share_at_least_as_much_as_random_sites(seed):
    lng, lat = demo_points()
    before = cov.analyse(lng, lat, CENTRAL, 1000)
    n = 20
    proposal = cov.propose_sites(before, n)
    assert len(proposal.sites) == n
    g = geometries()
    assert {geometries().names[c] for c in CENTRAL} >= {s["district"] for s in proposal.sites}
    after = cov.analyse(
        np.r_[lng, [s["lng"] for s in proposal.sites]],
        np.r_[lat, [s["lat"] for s in proposal.sites]],
        CENTRAL,
        1000,
        g,
    )
    rnd = random_sites(CENTRAL, n, seed)
    random_after = cov.analyse(np.r_[lng, rnd[:, 0]], np.r_[lat, rnd[:, 1]], CENTRAL, 1000, g)
    gain, random_gain = after.share - before.share, random_after.share - before.share
    assert gain > 0
    assert gain >= random_gain
    # each new site can add at most one circle; greedy sites in the gaps come close to that
    assert after.covered_km2 - before.covered_km2 <= n * math.pi * 1.001
    assert after.covered_km2 - before.covered_km2 > 0.6 * n * math.pi


def test_a_fully_covered_area_needs_no_site():
    g = geometries()
    p = g.lnglat["440104"].representative_point()
    x0, y0, x1, y1 = g.lnglat["440104"].bounds
    xs, ys = np.meshgrid(np.arange(x0, x1 + 0.005, 0.005), np.arange(y0, y1 + 0.005, 0.005))
    result = cov.analyse(np.r_[xs.ravel(), p.x], np.r_[ys.ravel(), p.y], ["440104"], 1000)
    assert result.share == pytest.approx(100, abs=0.01)
    assert cov.propose_sites(result, 5).sites == []


def test_the_demo_analysis_is_the_indicators_value_and_the_office_records_new_ones():
    indicator = cov.service_radius_indicator()
    assert indicator is not None and "服务半径" in indicator.name
    demo = cov.latest_coverage_result(indicator)
    assert demo is not None and demo.radius_m == 1000
    assert demo.district_codes == ",".join(CENTRAL)
    assert cov.latest_coverage_share(indicator) == demo.share
    layer = FacilityLayer.objects.get(name=DEMO_LAYER)
    # a district reviewer analyses 越秀区: kept, but not the indicator's value
    page = client_for("yuexiu").get(
        "/map/coverage/", {"layer": layer.pk, "districts": "440104", "radius": 1000}
    )
    assert page.status_code == 200
    mine = CoverageResult.objects.filter(user__username="yuexiu").get()
    assert mine.indicator is None and cov.latest_coverage_share(indicator) == demo.share
    assert client_for("yuexiu").post(f"/map/coverage/{mine.pk}/record/").status_code == 403
    # reloading the same analysis keeps one record
    client_for("yuexiu").get("/map/coverage/", {"layer": layer.pk, "districts": "440104", "radius": 1000})
    assert CoverageResult.objects.filter(user__username="yuexiu").count() == 1
    # the office records it: now it is the latest value, with who did it in the history
    response = client_for("office").post(f"/map/coverage/{mine.pk}/record/", {"next": "/map/coverage/"})
    assert response.status_code == 302
    assert cov.latest_coverage_share(indicator) == mine.share
    assert mine.history.first().history_user.username == "office"
