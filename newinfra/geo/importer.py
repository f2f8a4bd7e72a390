"""Facility layers from .xlsx, .csv or GeoJSON: read whole, every row checked, written all-or-nothing.

The house rule of imports (see projects/excel.py): the file is read and every row checked against
the others and the layer; only when no row has an error is it written, in one transaction, with
history. A preview is the same run without the write. Rows are keyed by 站点编号 within the layer:
the same file imported again changes nothing; a changed row updates its station. Stations not in
the file stay as they are (nothing is deleted).

Checks: 站点编号, 名称, 经度 and 纬度 present; the point inside Guangzhou's land boundary (GCJ-02,
with about 150 m of tolerance), so that a point in the sea or with longitude and latitude swapped
is caught; no two rows with one 站点编号, and no two stations at the same place (to about 1 m) in
the file or in the layer; 充电桩数 a whole number and 总功率 a number, neither negative.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from newinfra.orgs.permissions import is_office
from newinfra.utilities import cells
from newinfra.utilities.workbooks import append_row

from .boundaries import geometries
from .crs import wgs84_to_gcj02
from .models import Boundary, Facility, FacilityLayer, LayerKind

MAX_ROWS = 50_000
COLUMNS = [
    ("code", "站点编号", ["编号", "code", "id"]),
    ("name", "名称", ["站点名称", "name"]),
    ("lng", "经度", ["lng", "lon", "longitude", "经度（GCJ-02）"]),
    ("lat", "纬度", ["lat", "latitude", "纬度（GCJ-02）"]),
    ("address", "地址", ["address"]),
    ("operator", "运营单位", ["operator"]),
    ("charging_points", "充电桩数", ["充电桩数（个）", "charging_points", "桩数"]),
    ("power_kw", "总功率（kW）", ["功率（kW）", "总功率", "power_kw", "功率"]),
]
REQUIRED = ("code", "name", "lng", "lat")
FIELDS = ["name", "lng", "lat", "district_id", "address", "operator", "charging_points", "power_kw"]


class ImportFileError(Exception):
    """The file as a whole cannot be read; Chinese message."""


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    row_unit: str = "行"
    errors: list[tuple[int, str]] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    layer: FacilityLayer | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _labels() -> dict[str, str]:
    out = {}
    for key, label, aliases in COLUMNS:
        for name in [label, *aliases]:
            out[name.strip().lower()] = key
    return out


def _keyed(header) -> dict[str, int]:
    labels = _labels()
    index = {}
    for i, h in enumerate(header):
        key = labels.get(str(h).strip().lower()) if h is not None else None
        if key and key not in index:
            index[key] = i
    missing = [label for key, label, _ in COLUMNS if key in REQUIRED and key not in index]
    if missing:
        raise ImportFileError(f"缺少“{'”“'.join(missing)}”列。请下载模板填写。")
    return index


def _table_rows(header, rows, first: int) -> list[dict]:
    index = _keyed(header)
    out = []
    for n, values in enumerate(rows, start=first):
        values = list(values or [])
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        row["_row"] = n
        out.append(row)
        if len(out) > MAX_ROWS:
            raise ImportFileError(f"一次最多导入{MAX_ROWS}行，请分批上传。")
    return out


def read_file(data: bytes, filename: str) -> tuple[list[dict], str]:
    """(rows, row unit) from .xlsx, .csv (UTF-8 or GB18030) or GeoJSON (FeatureCollection of points)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from newinfra.utilities import workbooks

        try:
            it = (values for _, values in workbooks.sheet_rows(data))
            header = next(it, None)
            if not header:
                raise ImportFileError("文件是空的。")
            rows = _table_rows(header, it, 2)
        except workbooks.ImportFileError as exc:
            raise ImportFileError(
                str(exc).replace("由本平台模板填写的 .xlsx", ".xlsx、.csv 或 GeoJSON")
            ) from exc
        unit = "行"
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError("无法识别 CSV 文件的编码，请另存为 UTF-8。")
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if not header:
            raise ImportFileError("文件是空的。")
        rows, unit = _table_rows(header, reader, 2), "行"
    elif name.endswith((".geojson", ".json")):
        try:
            gj = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportFileError("GeoJSON 文件格式错误，无法解析。") from exc
        features = gj.get("features") if isinstance(gj, dict) else None
        if not isinstance(features, list):
            raise ImportFileError("GeoJSON 应为要素集合（FeatureCollection）。")
        labels = _labels()
        rows = []
        for n, f in enumerate(features, start=1):
            props = (f or {}).get("properties") or {}
            row = {"_row": n}
            for k, v in props.items():
                key = labels.get(str(k).strip().lower())
                if key and key not in row:
                    row[key] = v
            geom = (f or {}).get("geometry") or {}
            if geom.get("type") == "Point" and len(geom.get("coordinates") or []) >= 2:
                row["lng"], row["lat"] = geom["coordinates"][:2]
            else:
                row["_geometry_error"] = "几何类型应为点（Point）"
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ImportFileError(f"一次最多导入{MAX_ROWS}个要素，请分批上传。")
        unit = "个要素"
    else:
        raise ImportFileError("请上传 .xlsx、.csv 或 GeoJSON（.geojson）文件。")
    if not rows:
        raise ImportFileError("文件中没有数据。")
    return rows, unit


_text = cells.text


def _number(v, label: str, errs: list[str], places: int, required: bool = False) -> Decimal | None:
    """Negative numbers are read here and refused with a message of their own below."""
    return cells.number(v, label, errs, places, required, negative_ok=True)


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "设施点位"
    append_row(ws, [label for _, label, _ in COLUMNS])
    append_row(
        ws, ["CS-0001", "（示例）天河路充电站", 113.3312, 23.1375, "天河区天河路1号", "某运营单位", 12, 720]
    )
    for col, width in zip("ABCDEFGH", [14, 30, 12, 12, 30, 18, 10, 12], strict=True):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("填写说明")
    for line in [
        "1. 每行一个点位；站点编号在图层内唯一，再次导入同一编号会更新该点位，不会重复。",
        "2. 经纬度为 GCJ-02 坐标（高德、腾讯地图拾取的坐标），须在广州市陆域范围内。",
        "3. 充电桩数为非负整数，总功率单位为 kW，非负；非充电设施可不填。",
        "4. 也可上传 CSV（UTF-8 或 GBK，列名同上）或 GeoJSON（点要素，属性名同上）。",
        "5. 任何一行有错误时，整个文件都不会导入。示例行（名称以“（示例）”开头）会被忽略。",
    ]:
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_facilities(
    rows: list[dict],
    user,
    commit: bool,
    layer: FacilityLayer | None = None,
    new_layer: dict | None = None,
    row_unit: str = "行",
    crs: str = "gcj02",
) -> ImportResult:
    """Check every row; write them all (and create the layer) only when none has an error."""
    result = ImportResult(rows=len(rows), row_unit=row_unit, layer=layer)
    if not is_office(user):
        result.errors.append((0, "只有统筹办可以导入设施图层。"))
        return result
    if layer is None:
        name = _text((new_layer or {}).get("name"))
        kind = (new_layer or {}).get("kind")
        if not name:
            result.errors.append((0, "请选择图层或填写新图层名称。"))
        elif FacilityLayer.objects.filter(name=name).exists():
            result.errors.append((0, f"已有名为“{name}”的图层，请在图层列表中选择它。"))
        if kind not in LayerKind.values:
            result.errors.append((0, "请选择设施类型。"))
        if result.errors:
            return result
    elif not layer.is_active:
        result.errors.append((0, "该图层已停用，不能导入。"))
        return result
    rows = [r for r in rows if not _text(r.get("name")).startswith("（示例")]
    result.rows = len(rows)
    geoms = geometries()
    existing = {f.code: f for f in layer.facilities.all()} if layer else {}
    at_place = {(round(float(f.lng), 5), round(float(f.lat), 5)): f for f in existing.values() if f.is_active}
    seen_code: dict[str, int] = {}
    seen_place: dict[tuple, int] = {}
    parsed = []
    for r in rows:
        errs: list[str] = []
        n = r["_row"]
        code = _text(r.get("code"))[:60]
        if not code:
            errs.append("站点编号不能为空")
        elif code in seen_code:
            errs.append(f"站点编号“{code}”与第{seen_code[code]}{row_unit}重复")
        else:
            seen_code[code] = n
        name = _text(r.get("name"))
        if not name:
            errs.append("名称不能为空")
        if r.get("_geometry_error"):
            errs.append(r["_geometry_error"])
        lng = _number(r.get("lng"), "经度", errs, 6, required=True)
        lat = _number(r.get("lat"), "纬度", errs, 6, required=True)
        if crs == "wgs84" and lng is not None and lat is not None:
            # GPS coordinates: moved onto GCJ-02 before any check, like every layer here.
            glng, glat = wgs84_to_gcj02(float(lng), float(lat))
            lng, lat = Decimal(f"{glng:.6f}"), Decimal(f"{glat:.6f}")
        if lng is not None and lat is not None:
            if not geoms.inside_city(float(lng), float(lat)):
                errs.append(
                    f"坐标（{lng}，{lat}）不在广州市陆域范围内（可能在海上、在市外或经纬度填反），请核对 GCJ-02 坐标"
                )
            else:
                place = (round(float(lng), 5), round(float(lat), 5))
                if place in seen_place:
                    errs.append(f"与第{seen_place[place]}{row_unit}坐标相同，疑似重复站点")
                else:
                    seen_place[place] = n
                    other = at_place.get(place)
                    if other is not None and other.code != code:
                        errs.append(f"与图层中已有站点“{other.name}”（{other.code}）坐标相同，疑似重复站点")
        points = _number(r.get("charging_points"), "充电桩数", errs, 0)
        if points is not None and points < 0:
            errs.append(f"充电桩数不能为负数（{_text(r.get('charging_points'))}）")
        elif points is not None and Decimal(_text(r.get("charging_points")).replace(",", "")) != points:
            errs.append(f"充电桩数应为整数（{_text(r.get('charging_points'))}）")
        power = _number(r.get("power_kw"), "总功率", errs, 1)
        if power is not None and power < 0:
            errs.append(f"总功率不能为负数（{_text(r.get('power_kw'))}）")
        current = existing.get(code)
        if current is not None and not current.is_active:
            errs.append(f"站点编号“{code}”对应的站点已停用")
        for e in errs:
            result.errors.append((n, e))
        if not errs:
            parsed.append(
                {
                    "row": n,
                    "code": code,
                    "current": current,
                    "values": {
                        "name": name[:200],
                        "lng": lng,
                        "lat": lat,
                        "address": _text(r.get("address"))[:300],
                        "operator": _text(r.get("operator"))[:120],
                        "charging_points": int(points) if points is not None else None,
                        "power_kw": power,
                    },
                }
            )
    if result.errors:
        return result
    districts = geoms.district_of(
        [float(p["values"]["lng"]) for p in parsed], [float(p["values"]["lat"]) for p in parsed]
    )
    boundary_ids = dict(Boundary.objects.values_list("code", "pk"))
    to_create, to_update = [], []
    for item, d in zip(parsed, districts, strict=True):
        values = {**item["values"], "district_id": boundary_ids.get(d)}
        current = item["current"]
        if current is None:
            to_create.append(Facility(code=item["code"], **values))
            result.created += 1
            action = "新增"
        else:
            changed = [f for f in FIELDS if getattr(current, f) != values[f]]
            if changed:
                for f in changed:
                    setattr(current, f, values[f])
                to_update.append(current)
                result.updated += 1
                action = "更新：" + "、".join(
                    str(Facility._meta.get_field(f).verbose_name) for f in changed if f != "district_id"
                )
            else:
                result.unchanged += 1
                action = "不变"
        if len(result.preview) < 50:
            result.preview.append(
                {"row": item["row"], "code": item["code"], "name": values["name"], "action": action}
            )
    if not commit:
        return result
    with transaction.atomic():
        if layer is None:
            layer = FacilityLayer(
                name=_text(new_layer["name"]),
                kind=new_layer["kind"],
                source=_text(new_layer.get("source"))[:200],
                created_by=user,
            )
            layer._history_user = user
            layer.save()
        for f in to_create:
            f.layer = layer
        if to_create:
            bulk_create_with_history(
                to_create, Facility, batch_size=1000, default_user=user, default_change_reason="文件导入"
            )
        if to_update:
            now = timezone.now()
            for f in to_update:
                f.updated_at = now
            bulk_update_with_history(
                to_update,
                Facility,
                FIELDS + ["updated_at"],
                batch_size=1000,
                default_user=user,
                default_change_reason="文件导入",
            )
        FacilityLayer.objects.filter(pk=layer.pk).update(updated_at=timezone.now())
    result.layer = layer
    return result


def run_import(
    data: bytes, filename: str, user, commit: bool, layer=None, new_layer=None, crs: str = "gcj02"
) -> ImportResult:
    rows, unit = read_file(data, filename)
    return import_facilities(rows, user, commit, layer=layer, new_layer=new_layer, row_unit=unit, crs=crs)
