"""Facility imports: a bad file is rejected whole with every bad row named and nothing changes;
a good one (any of .xlsx, .csv, GeoJSON) lands with history, and again changes nothing."""

import io
import json

import pytest
from openpyxl import Workbook

from newinfra.geo import importer
from newinfra.geo.models import Facility, FacilityLayer
from newinfra.projects.tests.helpers import client_for, user

pytestmark = pytest.mark.django_db
HEADER = ["站点编号", "名称", "经度", "纬度", "地址", "运营单位", "充电桩数", "总功率（kW）"]
GOOD = [
    ["T-001", "体育中心充电站", 113.3245, 23.1402, "天河路", "测试运营", 10, 600],
    ["T-002", "珠江新城充电站", 113.3301, 23.1188, "花城大道", "测试运营", 8, 480],
    ["T-003", "北京路充电站", 113.2705, 23.1290, "北京路", "测试运营", 4, 28],
]
BAD = [
    GOOD[0],
    ["T-002", "伶仃洋海上站", 113.7500, 22.4200, "", "", 4, 100],  # in the sea
    ["T-001", "体育中心充电站（重复）", 113.3300, 23.1400, "", "", 4, 100],  # duplicate code
    ["T-004", "负数站", 113.2705, 23.1290 + 0.01, "", "", -3, 100],  # negative count
    ["T-005", "同址站", 113.3245, 23.1402, "", "", 2, -5],  # same place as row 2, negative power
]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def snapshot():
    return (
        FacilityLayer.objects.count(),
        Facility.objects.count(),
        Facility.history.count(),
        FacilityLayer.history.count(),
    )


def test_a_bad_file_is_rejected_whole_with_each_bad_row_named():
    before = snapshot()
    result = importer.run_import(
        xlsx(BAD),
        "bad.xlsx",
        user("office"),
        commit=True,
        new_layer={"name": "测试充电站", "kind": "charging"},
    )
    assert not result.ok
    errors = {}
    for row, message in result.errors:
        errors.setdefault(row, []).append(message)
    assert set(errors) == {3, 4, 5, 6}  # the header is row 1, the good first row is row 2
    assert any("不在广州市陆域范围内" in m for m in errors[3])
    assert any("与第2行重复" in m for m in errors[4])
    assert any("充电桩数不能为负数" in m for m in errors[5])
    assert any("与第2行坐标相同" in m for m in errors[6]) and any("总功率不能为负数" in m for m in errors[6])
    assert snapshot() == before
    assert not FacilityLayer.objects.filter(name="测试充电站").exists()


def test_the_import_page_shows_every_bad_row_and_writes_nothing():
    before = snapshot()
    upload = io.BytesIO(xlsx(BAD))
    upload.name = "坏文件.xlsx"
    page = client_for("office").post(
        "/map/layers/import/", {"file": upload, "layer": "", "new_name": "测试充电站", "kind": "charging"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    for row in ("第3行", "第4行", "第5行", "第6行"):
        assert row in html
    assert "没有任何数据发生变化" in html and "import-commit" not in html
    assert snapshot() == before


def test_a_good_file_imports_with_history_and_again_changes_nothing():
    office = user("office")
    layer_data = {"name": "测试充电站（好）", "kind": "charging", "source": "测试"}
    preview = importer.run_import(xlsx(GOOD), "good.xlsx", office, commit=False, new_layer=layer_data)
    assert preview.ok and preview.created == 3
    assert not FacilityLayer.objects.filter(name=layer_data["name"]).exists()  # a preview writes nothing
    result = importer.run_import(xlsx(GOOD), "good.xlsx", office, commit=True, new_layer=layer_data)
    assert result.ok and result.created == 3
    layer = FacilityLayer.objects.get(name=layer_data["name"])
    stations = {f.code: f for f in layer.facilities.all()}
    assert stations["T-001"].district.name == "天河区" and stations["T-003"].district.name == "越秀区"
    assert stations["T-001"].charging_points == 10
    assert stations["T-001"].history.first().history_user == office
    again = importer.run_import(xlsx(GOOD), "good.xlsx", office, commit=True, layer=layer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = [list(r) for r in GOOD]
    changed[1][6] = 12
    update = importer.run_import(xlsx(changed), "good.xlsx", office, commit=True, layer=layer)
    assert update.updated == 1
    f = layer.facilities.get(code="T-002")
    assert f.charging_points == 12
    assert f.history.count() == 2  # created, then updated: both kept


def test_csv_in_gbk_and_geojson_are_read_too():
    office = user("office")
    csv_bytes = (",".join(HEADER) + "\n" + "\n".join(",".join(map(str, r)) for r in GOOD)).encode("gb18030")
    result = importer.run_import(
        csv_bytes, "站点.csv", office, commit=True, new_layer={"name": "CSV图层", "kind": "5g"}
    )
    assert result.ok and result.created == 3
    gj = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [113.3245, 23.1402]},
                "properties": {"code": "L1", "name": "灯杆1"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [23.1402, 113.3245]},
                "properties": {"code": "L2", "name": "填反的灯杆"},
            },
        ],
    }
    bad = importer.run_import(
        json.dumps(gj).encode(),
        "lamps.geojson",
        office,
        commit=True,
        new_layer={"name": "灯杆", "kind": "lamp"},
    )
    assert [row for row, _ in bad.errors] == [2] and bad.row_unit == "个要素"
    gj["features"].pop()
    good = importer.run_import(
        json.dumps(gj).encode(),
        "lamps.geojson",
        office,
        commit=True,
        new_layer={"name": "灯杆", "kind": "lamp"},
    )
    assert good.ok and FacilityLayer.objects.get(name="灯杆").facilities.count() == 1


def test_only_the_programme_office_imports():
    assert client_for("tianhe").get("/map/layers/import/").status_code == 403
    assert client_for("mobile").post("/map/layers/import/", {}).status_code == 403
    result = importer.run_import(
        xlsx(GOOD), "good.xlsx", user("gongxin"), commit=True, new_layer={"name": "X", "kind": "charging"}
    )
    assert not result.ok and not FacilityLayer.objects.filter(name="X").exists()
    assert client_for("office").get("/map/layers/import/").status_code == 200


def test_the_page_import_goes_preview_then_commit():
    client = client_for("office")
    upload = io.BytesIO(xlsx(GOOD))
    upload.name = "good.xlsx"
    page = client.post(
        "/map/layers/import/", {"file": upload, "layer": "", "new_name": "页面导入", "kind": "charging"}
    )
    assert "import-commit" in page.content.decode()
    assert not FacilityLayer.objects.filter(name="页面导入").exists()
    token = page.context["token"]
    done = client.post("/map/layers/import/", {"token": token, "commit": "1"})
    layer = FacilityLayer.objects.get(name="页面导入")
    assert done.status_code == 302 and done["Location"] == f"/map/layers/{layer.pk}/"
    assert layer.facilities.count() == 3 and layer.history.first().history_user.username == "office"


def test_gps_coordinates_are_moved_onto_gcj02_on_import():
    from newinfra.geo.crs import wgs84_to_gcj02

    # 广州塔: GCJ-02 113.324520, 23.106414 (高德); its GPS reading is about 500 m away.
    glng, glat = wgs84_to_gcj02(113.31907, 23.10925)
    assert abs(glng - 113.3245) < 0.0005 and abs(glat - 23.1064) < 0.0005
    office = user("office")
    layer_data = {"name": "测试GPS图层", "kind": "charging", "source": "GPS"}
    rows = [["G-001", "广州塔充电站", 113.31907, 23.10925, "", "", 4, 100]]
    result = importer.run_import(
        xlsx(rows), "gps.xlsx", office, commit=True, new_layer=layer_data, crs="wgs84"
    )
    assert result.ok
    station = FacilityLayer.objects.get(name="测试GPS图层").facilities.get()
    assert abs(float(station.lng) - glng) < 1e-6 and abs(float(station.lat) - glat) < 1e-6


def test_the_office_takes_a_station_out_of_service_with_a_reason_and_coverage_follows():
    from newinfra.geo.coverage import layer_points

    layer = FacilityLayer.objects.filter(is_active=True).first()
    station = layer.facilities.filter(is_active=True).first()
    before = len(layer_points(layer)[0])
    assert (
        client_for("tianhe").post(f"/map/facilities/{station.pk}/toggle/", {"reason": "x"}).status_code == 403
    )
    client_for("office").post(f"/map/facilities/{station.pk}/toggle/", {"reason": ""})
    station.refresh_from_db()
    assert station.is_active  # a reason is required
    client_for("office").post(f"/map/facilities/{station.pk}/toggle/", {"reason": "已拆除"})
    station.refresh_from_db()
    assert not station.is_active and station.history.first().history_change_reason == "已拆除"
    assert len(layer_points(layer)[0]) == before - 1
    assert Facility.objects.filter(pk=station.pk).exists()  # kept, not deleted
