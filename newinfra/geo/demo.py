"""Demo facility layer for `make run`: public charging stations, generated deterministically.

About 3,200 stations, denser in the centre (a mixture of clusters around the districts' centres
plus a thin uniform spread), each inside Guangzhou's land boundary; every station and the layer
are marked 演示数据 and the names end in （演示）.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .boundaries import AREA_PRESETS, ensure_boundaries, geometries
from .models import Facility, FacilityLayer, LayerKind

DEMO_LAYER = "公用充电站（演示数据）"
DEMO_MARK = "（演示）"
# (lng, lat, spread in degrees, weight) — GCJ-02
CLUSTERS = [
    (113.330, 23.130, 0.030, 15),  # 天河 CBD
    (113.268, 23.130, 0.018, 8),  # 越秀
    (113.300, 23.092, 0.028, 9),  # 海珠
    (113.243, 23.112, 0.022, 6),  # 荔湾
    (113.285, 23.205, 0.045, 10),  # 白云
    (113.455, 23.125, 0.045, 8),  # 黄埔
    (113.370, 22.955, 0.045, 11),  # 番禺
    (113.220, 23.395, 0.050, 7),  # 花都
    (113.540, 22.790, 0.060, 6),  # 南沙
    (113.730, 23.190, 0.060, 7),  # 增城
    (113.560, 23.550, 0.060, 3),  # 从化
]
UNIFORM_WEIGHT = 6
OPERATORS = [
    "南方电网广州供电局",
    "广州市公交集团",
    "特来电",
    "星星充电",
    "小鹏汽车",
    "广汽能源",
    "蔚来能源",
    "粤易充",
]
ROADS = [
    "中山大道",
    "黄埔大道",
    "广州大道",
    "天河路",
    "环市路",
    "新港路",
    "工业大道",
    "白云大道",
    "开创大道",
    "市桥大道",
    "迎宾大道",
    "凤凰大道",
    "荔湾路",
    "增城大道",
]


def generate(count: int = 3200, seed: int = 2022) -> list[dict]:
    rng = random.Random(seed)
    geoms = geometries()
    minx, miny, maxx, maxy = geoms.city.bounds
    weights = [w for *_, w in CLUSTERS] + [UNIFORM_WEIGHT]
    out = []
    while len(out) < count:
        k = rng.choices(range(len(weights)), weights)[0]
        if k == len(CLUSTERS):
            lng, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        else:
            cx, cy, s, _ = CLUSTERS[k]
            lng, lat = rng.gauss(cx, s), rng.gauss(cy, s)
        if not geoms.city.contains(__import__("shapely").Point(lng, lat)):
            continue
        dc = rng.random() < 0.7
        points = max(2, min(80, int(rng.lognormvariate(2.2, 0.6))))
        out.append(
            {
                "lng": round(lng, 6),
                "lat": round(lat, 6),
                "points": points,
                "power": points * (60 if dc else 7),
                "operator": rng.choice(OPERATORS),
                "road": rng.choice(ROADS),
            }
        )
    return out


def seed_demo_geo(count: int = 3200, seed: int = 2022, user=None) -> int:
    """The demo layer and one recorded analysis of 中心城区 at 1 km; nothing if already there."""
    ensure_boundaries()
    if FacilityLayer.objects.filter(name=DEMO_LAYER).exists():
        return 0
    geoms = geometries()
    rows = generate(count, seed)
    districts = geoms.district_of([r["lng"] for r in rows], [r["lat"] for r in rows])
    from .models import Boundary

    boundary_ids = dict(Boundary.objects.values_list("code", "pk"))
    with transaction.atomic():
        layer = FacilityLayer(
            name=DEMO_LAYER,
            kind=LayerKind.CHARGING,
            description="演示数据：按各区中心加密、随机生成的公用充电站，仅供演示。",
            source="演示数据（程序生成）",
            is_demo=True,
            created_by=user,
        )
        layer._history_user = user
        layer.save()
        facilities = [
            Facility(
                layer=layer,
                code=f"DEMO-CS-{i:05d}",
                name=f"{r['operator']}{geoms.names.get(d, '广州市').removesuffix('区')}{r['road']}第{i:04d}号充电站{DEMO_MARK}",
                lng=Decimal(str(r["lng"])),
                lat=Decimal(str(r["lat"])),
                district_id=boundary_ids.get(d),
                address=f"{geoms.names.get(d, '')}{r['road']}（演示地址）",
                operator=r["operator"],
                charging_points=r["points"],
                power_kw=Decimal(r["power"]),
                is_demo=True,
            )
            for i, (r, d) in enumerate(zip(rows, districts, strict=True), start=1)
        ]
        bulk_create_with_history(
            facilities, Facility, batch_size=1000, default_user=user, default_change_reason="演示数据"
        )
        from .coverage import analyse, layer_points, record

        lng, lat = layer_points(layer)
        record(layer, analyse(lng, lat, AREA_PRESETS["central"][1], 1000, geoms), user, for_indicator=True)
    return len(facilities)
