"""City overview at scale: 300 indicators × 11 districts × 36 months of values and 100,000 projects.

Builds the data in a fresh SQLite database, then times the city overview (`/dashboard/`), the
monitoring list and the attainment API in-process with Django's test client (server time), both
right after a change (everything recomputed) and on later views (cached until the data change).
Run with ``make bench``; writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.django_bench import database_label, setup, timed  # noqa: E402

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks.bench_projects import build as build_projects  # noqa: E402
from benchmarks.report import stamp, update_section  # noqa: E402


def build_monitoring(indicators: int, months: int, seed: int = 11) -> int:
    from newinfra.indicators.models import Frequency, IndicatorProfile, Kind, period_end
    from newinfra.orgs.models import Organization, OrgKind
    from newinfra.plans.models import Indicator, Plan, Target

    rng = random.Random(seed)
    plan = Plan.objects.create(
        key="bench-monitoring",
        title="测试规划（2024—2027年）",
        period_start=2024,
        period_end=2027,
        status="published",
    )
    inds = Indicator.objects.bulk_create(
        [Indicator(name=f"测试指标{i:03d}", unit="个") for i in range(indicators)]
    )
    Target.objects.bulk_create(
        [
            Target(
                plan=plan,
                indicator=ind,
                text="建成100个",
                indicator_as_written=ind.name,
                value=1000 + i,
                unit="个",
                comparator=rng.choice([">=", ">=", ">", "~", "<"]),
                year=2027,
                order=i,
            )
            for i, ind in enumerate(inds)
        ]
    )
    city = Organization.objects.filter(kind=OrgKind.CITY).first()
    IndicatorProfile.objects.bulk_create(
        [
            IndicatorProfile(
                indicator=ind,
                kind=Kind.STOCK,
                frequency=Frequency.MONTH,
                responsible=city,
                district_breakdown=True,
                baseline=0,
            )
            for ind in inds
        ]
    )
    districts = list(
        Organization.objects.filter(kind=OrgKind.DISTRICT)
        .exclude(name="各区政府")
        .values_list("pk", flat=True)
    )
    ends = []
    day = dt.date(2024, 1, 31)
    for _ in range(months):
        ends.append(period_end(day, Frequency.MONTH))
        day = (day.replace(day=1) + dt.timedelta(days=40)).replace(day=1)
    now = dt.datetime.now(dt.UTC).isoformat()
    rows = []
    for ind in inds:
        pace = rng.uniform(15, 40)
        for m, end in enumerate(ends):
            total = round(pace * (m + 1))
            rows.append((ind.pk, end.isoformat(), None, total))
            share = total // len(districts)
            for k, d in enumerate(districts):
                rows.append(
                    (ind.pk, end.isoformat(), d, share if k else total - share * (len(districts) - 1))
                )
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO indicators_datavalue (indicator_id, period, district_id, value, status, note, return_comment,"
            " submitted_at, approved_at, updated_at, is_demo) VALUES (%s,%s,%s,%s,'approved','','',%s,%s,%s,%s)",
            # is_demo as a boolean parameter: PostgreSQL refuses the integer 0 for a boolean column
            [(a, b, c, v, now, now, now, False) for a, b, c, v in rows],
        )
    cur = connection.cursor()
    cur.execute("ANALYZE")
    return len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", metavar="MD")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--indicators", type=int, default=300)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--projects", type=int, default=100_000)
    args = ap.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    data = build_projects(args.projects, args.projects * 2)
    values = build_monitoring(args.indicators, args.months)
    built = time.perf_counter() - t0
    from newinfra.indicators.queries import bump_values
    from newinfra.projects.stats_cache import bump

    def changed():
        bump()
        bump_values()

    client = Client()
    client.force_login(data["users"]["office"])
    rows = []
    for label, url, before in [
        ("city overview, right after a change (all recomputed)", "/dashboard/", changed),
        ("city overview, later views", "/dashboard/", None),
        ("monitoring list, right after a change", "/monitor/", changed),
        ("attainment API, right after a change", "/api/attainment/", changed),
    ]:
        median, worst, queries = timed(client, url, args.repeat, *([before] if before else []))
        rows.append((label, url, median, worst, queries))
    lines = [
        f"{stamp()} Database: {database_label()}. {args.indicators} indicators × (city + 11 districts) × "
        f"{args.months} months = {values:,} approved values, {data['projects']:,} projects; built in {built:.0f} s. "
        f"Server time per request (Django test client, in-process), median and worst of {args.repeat}; "
        "the bar is 300 ms. “Right after a change” raises both data versions before every request, so "
        "attainment and library statistics are computed from scratch.",
        "",
        "| request | median ms | worst ms | SQL queries |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {label} (`{url}`) | {m * 1e3:.1f} | {w * 1e3:.1f} | {q} |" for label, url, m, w, q in rows],
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        update_section(args.write, f"Monitoring: the city overview at scale ({database_label()})", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
