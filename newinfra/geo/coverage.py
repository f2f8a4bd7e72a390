"""Coverage analysis of a facility layer: which share of an area lies within the service radius of
a facility, where the gaps are, and where N new sites would close most of them.

Coverage (exact up to the circle's polygon). On the local plane of ``boundaries`` each facility
that could reach the area (its distance to the area at most the radius) becomes a disc of the
service radius: a 64-sided polygon whose radius is enlarged so that its area equals the circle's
(πr²). The discs are buffered in one vectorised call (``shapely.buffer`` on the array) and merged
with ``shapely.union_all`` (GEOS' cascaded union); the union is intersected with the area (the
union of the chosen districts, full-precision boundaries) and with each district. Share = covered
area / area. The gaps (area minus union) go back to GCJ-02 degrees for the map.

Proposal (maximal-covering location problem, greedy heuristic). The area is rasterised into
cells of radius/10 (100 m at 1 km; larger when the area is big); each cell centre that is inside
the area and not covered is demand, weighted by the cell's area. Every cell centre inside the area
is a candidate site. A candidate's gain is the demand within the radius of it — for all candidates
at once by a disc-shaped moving sum (row prefix sums, one pass per disc row). The greedy step
takes the candidate of largest gain, removes the demand it covers and recomputes gains only in the
window the change can reach (twice the radius around the site); it repeats N times. Greedy is
the classic heuristic for maximal covering: it is guaranteed at least 1 − 1/e ≈ 63 % of the
optimum's covered demand, and in practice much closer.

The indicator: 004's target 公用充电设施服务半径小于1公里 (中心城区、城市副中心) is the indicator
公用充电设施服务半径. A result recorded by the programme office for it (``CoverageResult.indicator``)
is that indicator's value: the share (%) of the area within the radius of a public charging
station; ``latest_coverage_share`` reads the newest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import shapely

from .boundaries import Geometries, from_plane, geometries, geometry_from_plane, oriented_geojson, to_plane

DEFAULT_RADIUS_M = 1000
QUAD_SEGS = 16  # 64-gon
# Equal-area polygon: (n/2)·sin(2π/n)·r'² = π·r²
_N = 4 * QUAD_SEGS
EQUAL_AREA = math.sqrt(math.pi / (_N / 2 * math.sin(2 * math.pi / _N)))
MAX_GRID_CELLS = 1_500_000
MAX_SITES = 200


@dataclass
class Coverage:
    radius_m: int
    codes: list[str]
    area_km2: float
    covered_km2: float
    share: float  # percent
    per_district: list[dict]
    facilities: int
    uncovered: object = field(repr=False)  # shapely geometry, GCJ-02 degrees
    union_plane: object = field(repr=False)  # union of the discs, plane metres
    area_plane: object = field(repr=False)

    def uncovered_geojson(self, tolerance_m: float = 20) -> dict:
        return oriented_geojson(self.uncovered.simplify(tolerance_m / 111_000, preserve_topology=True), 5)


def _discs(x, y, radius_m: float):
    return shapely.buffer(shapely.points(x, y), radius_m * EQUAL_AREA, quad_segs=QUAD_SEGS)


def reaching(x, y, area_plane, radius_m: float) -> np.ndarray:
    """Which facilities are within the radius of the area (and so may cover part of it)."""
    if len(x) == 0:
        return np.zeros(0, dtype=bool)
    minx, miny, maxx, maxy = area_plane.bounds
    r = radius_m * EQUAL_AREA
    near = (x >= minx - r) & (x <= maxx + r) & (y >= miny - r) & (y <= maxy + r)
    idx = np.flatnonzero(near)
    if len(idx):
        shapely.prepare(area_plane)
        near[idx] = shapely.dwithin(area_plane, shapely.points(x[idx], y[idx]), r)
    return near


def analyse(lng, lat, codes, radius_m: float = DEFAULT_RADIUS_M, geoms: Geometries | None = None) -> Coverage:
    """Coverage of the districts ``codes`` by facilities at (lng, lat) GCJ-02, radius in metres."""
    geoms = geoms or geometries()
    codes = [c for c in codes if c in geoms.plane]
    if not codes:
        raise ValueError("请至少选择一个区。")
    if radius_m <= 0:
        raise ValueError("服务半径应大于0。")
    area = geoms.area_plane(codes)
    x, y = to_plane(np.asarray(lng, float), np.asarray(lat, float))
    use = reaching(x, y, area, radius_m)
    union = shapely.union_all(_discs(x[use], y[use], radius_m)) if use.any() else shapely.Polygon()
    covered = shapely.intersection(union, area)
    per = []
    for c in codes:
        a = geoms.plane[c].area
        cov = shapely.intersection(covered, geoms.plane[c]).area if not covered.is_empty else 0.0
        per.append(
            {
                "code": c,
                "name": geoms.names[c],
                "area_km2": round(a / 1e6, 2),
                "covered_km2": round(cov / 1e6, 2),
                "share": round(cov / a * 100, 2) if a else 0.0,
            }
        )
    uncovered = shapely.difference(area, union) if not union.is_empty else area
    return Coverage(
        radius_m=int(radius_m),
        codes=codes,
        area_km2=area.area / 1e6,
        covered_km2=covered.area / 1e6,
        share=covered.area / area.area * 100 if area.area else 0.0,
        per_district=per,
        facilities=int(use.sum()),
        uncovered=geometry_from_plane(uncovered),
        union_plane=union,
        area_plane=area,
    )


def naive_union_share(lng, lat, codes, radius_m: float = DEFAULT_RADIUS_M, geoms=None) -> float:
    """The same share by merging the discs one at a time (the benchmark's baseline)."""
    geoms = geoms or geometries()
    area = geoms.area_plane(codes)
    x, y = to_plane(np.asarray(lng, float), np.asarray(lat, float))
    union = shapely.Polygon()
    for px, py in zip(x, y, strict=True):
        union = union.union(shapely.Point(px, py).buffer(radius_m * EQUAL_AREA, quad_segs=QUAD_SEGS))
    return union.intersection(area).area / area.area * 100


# --- proposal ----------------------------------------------------------------------------------


def _disc_rows(p: int, cell: float, radius_m: float) -> list[tuple[int, int]]:
    """(row offset, half-width in cells) of the cells whose centres are within the radius."""
    rows = []
    for di in range(-p, p + 1):
        rem = radius_m**2 - (di * cell) ** 2
        if rem >= 0:
            rows.append((di, int(math.floor(math.sqrt(rem) / cell + 1e-9))))
    return rows


def _gains(demand_padded: np.ndarray, p: int, rows, i0: int, i1: int, j0: int, j1: int) -> np.ndarray:
    """Σ of demand within the disc, for grid cells [i0:i1, j0:j1] (indices of the unpadded grid)."""
    sub = demand_padded[i0 : i1 + 2 * p, j0 : j1 + 2 * p]
    csum = np.zeros((sub.shape[0], sub.shape[1] + 1))
    np.cumsum(sub, axis=1, out=csum[:, 1:])
    h, w = i1 - i0, j1 - j0
    out = np.zeros((h, w))
    cols = np.arange(w) + p
    for di, half in rows:
        r = csum[p + di : p + di + h]
        out += r[:, cols + half + 1] - r[:, cols - half]
    return out


@dataclass
class Proposal:
    sites: list[dict]  # lng, lat, gain_km2 (grid estimate), district
    cell_m: float
    candidates: int


def propose_sites(
    coverage: Coverage, n: int, geoms: Geometries | None = None, cell_m: float | None = None
) -> Proposal:
    """N new sites chosen greedily to cover the most uncovered area (see the module's text)."""
    geoms = geoms or geometries()
    n = max(0, min(int(n), MAX_SITES))
    r = float(coverage.radius_m)
    area, union = coverage.area_plane, coverage.union_plane
    minx, miny, maxx, maxy = area.bounds
    cell = cell_m or r / 10
    cell = max(cell, math.sqrt((maxx - minx) * (maxy - miny) / MAX_GRID_CELLS))
    nx, ny = int(math.ceil((maxx - minx) / cell)), int(math.ceil((maxy - miny) / cell))
    xs = minx + (np.arange(nx) + 0.5) * cell
    ys = miny + (np.arange(ny) + 0.5) * cell
    gx, gy = np.meshgrid(xs, ys)  # row i = y, column j = x
    shapely.prepare(area)
    inside = shapely.contains_xy(area, gx, gy)
    demand = inside.copy()
    if not union.is_empty:
        shapely.prepare(union)
        idx = np.flatnonzero(inside)
        demand.flat[idx] = ~shapely.contains_xy(union, gx.flat[idx], gy.flat[idx])
    p = int(math.floor(r / cell))
    rows = _disc_rows(p, cell, r)
    padded = np.zeros((ny + 2 * p, nx + 2 * p))
    padded[p : p + ny, p : p + nx] = demand * (cell * cell / 1e6)  # km² per cell
    gain = _gains(padded, p, rows, 0, ny, 0, nx)
    gain[~inside] = -1.0
    sites = []
    for _ in range(n):
        k = int(np.argmax(gain))
        i, j = divmod(k, nx)
        if gain[i, j] <= 1e-12:
            break
        sites.append({"x": float(xs[j]), "y": float(ys[i]), "gain_km2": round(float(gain[i, j]), 3)})
        for di, half in rows:  # the demand this site covers is met
            padded[p + i + di, max(0, p + j - half) : p + j + half + 1] = 0.0
        i0, i1 = max(0, i - 2 * p), min(ny, i + 2 * p + 1)
        j0, j1 = max(0, j - 2 * p), min(nx, j + 2 * p + 1)
        local = _gains(padded, p, rows, i0, i1, j0, j1)
        local[~inside[i0:i1, j0:j1]] = -1.0
        gain[i0:i1, j0:j1] = local
    if sites:
        lng, lat = from_plane([s["x"] for s in sites], [s["y"] for s in sites])
        districts = geoms.district_of(lng, lat)
        for s, a, b, d in zip(sites, lng, lat, districts, strict=True):
            s.pop("x"), s.pop("y")
            s.update(lng=round(float(a), 6), lat=round(float(b), 6), district=geoms.names.get(d, ""))
    return Proposal(sites=sites, cell_m=round(cell, 1), candidates=int(inside.sum()))


# --- layers, records and the indicator ----------------------------------------------------------


def layer_points(layer) -> tuple[np.ndarray, np.ndarray]:
    rows = np.array(
        list(layer.facilities.filter(is_active=True).values_list("lng", "lat")), dtype=float
    ).reshape(-1, 2)
    return rows[:, 0], rows[:, 1]


def service_radius_indicator():
    """The indicator 公用充电设施服务半径 (004: 服务半径小于1公里), if the plans are loaded."""
    from newinfra.plans.models import Indicator

    return Indicator.objects.filter(name__contains="服务半径").order_by("pk").first()


def record(layer, coverage: Coverage, user, for_indicator: bool = False):
    """Store the result (every analysis is kept; the office's recorded ones feed the indicator)."""
    from django.db import transaction

    from .models import Boundary, CoverageResult

    indicator = service_radius_indicator() if for_indicator else None
    with transaction.atomic():
        result = CoverageResult(
            layer=layer,
            radius_m=coverage.radius_m,
            district_codes=",".join(coverage.codes),
            share=Decimal(str(round(coverage.share, 2))),
            area_km2=Decimal(str(round(coverage.area_km2, 2))),
            covered_km2=Decimal(str(round(coverage.covered_km2, 2))),
            facilities=coverage.facilities,
            per_district={d["code"]: d["share"] for d in coverage.per_district},
            indicator=indicator,
            user=user if getattr(user, "is_authenticated", False) else None,
        )
        result._history_user = result.user
        result.save()
        result.districts.set(Boundary.objects.filter(code__in=coverage.codes))
    return result


def record_once(layer, coverage: Coverage, user):
    """The analysis as a record; the same analysis by the same user on the same day is kept once."""
    from django.utils import timezone

    from .models import CoverageResult

    same = CoverageResult.objects.filter(
        layer=layer,
        radius_m=coverage.radius_m,
        district_codes=",".join(coverage.codes),
        share=Decimal(str(round(coverage.share, 2))),
        facilities=coverage.facilities,
        user=user if getattr(user, "is_authenticated", False) else None,
        computed_at__date=timezone.localdate(),
    ).first()
    return same or record(layer, coverage, user)


def latest_coverage_result(indicator):
    """The newest analysis recorded for the indicator, or None."""
    from .models import CoverageResult

    if indicator is None:
        return None
    return (
        CoverageResult.objects.filter(indicator=indicator, layer__is_active=True)
        .select_related("layer")
        .order_by("-computed_at", "-id")
        .first()
    )


def latest_coverage_share(indicator) -> Decimal | None:
    """The indicator's latest value from the map: the covered share of the area, in percent.

    For 公用充电设施服务半径 the target (服务半径小于1公里) is met when the share of the area within
    1 km of a public charging station reaches 100 %; the result's ``radius_m`` says which radius
    the share was measured at (``latest_coverage_result`` gives the whole record).
    """
    result = latest_coverage_result(indicator)
    return result.share if result else None


def coverage_series(indicator) -> list[tuple]:
    """The indicator's values from the map: (day, covered share %) of every analysis the programme
    office recorded for it, the last of each day. The indicators app reads these as approved values."""
    from django.utils import timezone

    from .models import CoverageResult

    by_day = {}
    for result in CoverageResult.objects.filter(indicator=indicator, layer__is_active=True).order_by(
        "computed_at", "id"
    ):
        by_day[timezone.localtime(result.computed_at).date()] = float(result.share)
    return sorted(by_day.items())
