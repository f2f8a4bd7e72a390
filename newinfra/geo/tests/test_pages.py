"""The map's pages and API: boundaries with their codes and 区政府, project points as the user may
see them, district and facility pages, the coverage API and the map image."""

import json
from decimal import Decimal

import pytest

from newinfra.geo.boundaries import geometries
from newinfra.geo.demo import DEMO_LAYER
from newinfra.geo.models import Boundary, Facility, FacilityLayer
from newinfra.orgs.validators import GUANGZHOU_DISTRICTS
from newinfra.projects import permissions as perm
from newinfra.projects.tests.helpers import client_for, user

pytestmark = pytest.mark.django_db


def test_the_eleven_districts_with_their_codes_and_governments():
    districts = Boundary.objects.filter(level="district").select_related("organization")
    assert {b.code: b.name for b in districts} == GUANGZHOU_DISTRICTS
    for b in districts:
        assert b.organization.code == b.code and b.organization.name == f"{b.name}政府"
    # areas as published (km²), from the GCJ-02 land boundaries on the local plane
    areas = {b.name: float(b.area_km2) for b in districts}
    assert areas["越秀区"] == pytest.approx(33.8, rel=0.03)
    assert areas["天河区"] == pytest.approx(137.4, rel=0.03)
    city = Boundary.objects.get(level="city")
    assert sum(areas.values()) == pytest.approx(float(city.area_km2), rel=0.01)
    assert 7000 < float(city.area_km2) < 7600


def test_districts_api_is_geojson():
    data = client_for("leader").get("/api/geo/districts/").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 11
    tianhe = next(f for f in data["features"] if f["properties"]["code"] == "440106")
    assert tianhe["properties"]["organization"] == "天河区政府"
    assert tianhe["geometry"]["type"] == "MultiPolygon"
    full = client_for("leader").get("/api/geo/districts/?full=1").json()
    count = lambda gj: sum(len(ring) for poly in gj["coordinates"] for ring in poly)  # noqa: E731
    assert count(
        next(f for f in full["features"] if f["properties"]["code"] == "440106")["geometry"]
    ) > count(tianhe["geometry"])
    assert client_for("leader").get("/api/geo/districts/").status_code == 200
    from django.test import Client

    assert Client().get("/api/geo/districts/").status_code in (401, 403)


@pytest.mark.parametrize("username", ["office", "tianhe", "mobile", "leader"])
def test_project_points_are_the_projects_the_user_may_see(username):
    page = client_for(username).get("/map/")
    assert page.status_code == 200
    payload = page.context["payload"]
    ids = {p[2] for p in payload["points"]}
    visible = set(perm.visible_projects(user(username)).exclude(lng=None).values_list("pk", flat=True))
    assert ids == visible and ids
    assert len(payload["geojson"]["features"]) == 11


def test_the_library_filters_and_the_choropleth_measure_apply():
    client = client_for("office")
    all_points = client.get("/map/").context["payload"]["points"]
    g5 = client.get("/map/", {"domain": "5g"}).context["payload"]
    assert 0 < len(g5["points"]) < len(all_points)
    assert {c["key"] for c in g5["categories"]} >= {"5g"}
    assert {g5["categories"][p[4]]["key"] for p in g5["points"]} == {"5g"}
    inv = client.get("/map/", {"measure": "investment"}).context
    assert inv["measure"].unit == "万元"
    by_stage = client.get("/map/", {"color": "stage"}).context["payload"]
    assert [c["label"] for c in by_stage["categories"]][:4] == ["储备", "前期", "在建", "建成投产"]
    layer = FacilityLayer.objects.get(name=DEMO_LAYER)
    counts = client.get("/map/", {"measure": f"layer:{layer.pk}:count", "layer": layer.pk}).context
    assert sum(r["value"] for r in counts["table"]) == layer.facilities.exclude(district=None).count()
    assert len(counts["payload"]["facilities"]) == layer.facilities.count()


def test_every_page_needs_a_member():
    from django.test import Client

    for url in ("/map/", "/map/coverage/", "/map/layers/", "/map/districts/440106/", "/map/map.png"):
        assert Client().get(url).status_code == 302


def test_district_page_shows_its_projects_and_government():
    page = client_for("office").get("/map/districts/440106/")
    html = page.content.decode()
    assert "天河区政府" in html and "440106" in html
    tianhe = user("tianhe").membership.organization
    expected = perm.visible_projects(user("office")).filter(districts=tianhe).count()
    assert page.context["project_count"] == expected
    # a declarant sees only its own projects there
    mobile = client_for("mobile").get("/map/districts/440106/").context["project_count"]
    assert mobile == perm.visible_projects(user("mobile")).filter(districts=tianhe).count() < expected
    assert client_for("office").get("/map/districts/999999/").status_code == 404


def test_layer_and_facility_pages_with_history():
    layer = FacilityLayer.objects.get(name=DEMO_LAYER)
    client = client_for("tianhe")
    page = client.get(f"/map/layers/{layer.pk}/", {"district": "440106"})
    assert page.context["totals"]["n"] == layer.facilities.filter(district__code="440106").count()
    f = layer.facilities.first()
    html = client.get(f"/map/facilities/{f.pk}/").content.decode()
    assert f.name in html and "演示数据" in html and "变更记录" in html
    xlsx = client.get(f"/map/layers/{layer.pk}/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    # only the office deactivates a layer (nothing is deleted)
    assert client.post(f"/map/layers/{layer.pk}/toggle/").status_code == 403
    other = FacilityLayer.objects.create(name="临时图层", kind="5g")
    Facility.objects.create(layer=other, code="X1", name="X", lng=Decimal("113.3"), lat=Decimal("23.1"))
    client_for("office").post(f"/map/layers/{other.pk}/toggle/")
    other.refresh_from_db()
    assert not other.is_active and other.facilities.count() == 1
    assert other.history.first().history_user.username == "office"


def test_coverage_api():
    layer = FacilityLayer.objects.get(name=DEMO_LAYER)
    data = (
        client_for("leader")
        .get(
            "/api/geo/coverage/",
            {"layer": layer.pk, "radius": 1000, "districts": "440104,440106", "sites": 5},
        )
        .json()
    )
    assert data["districts"] == ["440104", "440106"] and 0 < data["share"] <= 100
    assert [d["code"] for d in data["per_district"]] == ["440104", "440106"]
    assert data["uncovered"]["type"] == "MultiPolygon"
    assert len(data["proposed_sites"]) == 5
    g = geometries()
    assert all(
        d in ("440104", "440106")
        for d in g.district_of(
            [s["lng"] for s in data["proposed_sites"]], [s["lat"] for s in data["proposed_sites"]]
        )
    )
    bad = client_for("leader").get("/api/geo/coverage/", {"districts": "110101", "radius": "abc"})
    assert bad.status_code == 400 and any("110101" in e for e in bad.json()["detail"])
    layers = client_for("leader").get("/api/geo/layers/").json()["results"]
    demo = next(x for x in layers if x["id"] == layer.pk)
    assert demo["facilities"] == layer.facilities.count() and demo["is_demo"]
    points = client_for("leader").get(f"/api/geo/layers/{layer.pk}/facilities/").json()
    assert len(points["features"]) == layer.facilities.count()


def test_coverage_page_and_the_map_image():
    client = client_for("office")
    layer = FacilityLayer.objects.get(name=DEMO_LAYER)
    page = client.get("/map/coverage/", {"layer": layer.pk, "preset": "core", "sites": 3})
    assert page.status_code == 200
    assert page.context["after"].share > page.context["coverage"].share
    assert [d["name"] for d in page.context["coverage"].per_district] == [
        "荔湾区",
        "越秀区",
        "海珠区",
        "天河区",
    ]
    payload = json.loads(page.context["payload"]["uncovered"] and json.dumps(page.context["payload"]))
    assert len(payload["sites"]) == 3
    sites = client.get("/map/coverage/", {"layer": layer.pk, "preset": "core", "sites": 3, "export": "xlsx"})
    assert sites["Content-Type"].startswith("application/vnd.openxmlformats")
    png = client.get("/map/map.png", {"measure": "investment"})
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
