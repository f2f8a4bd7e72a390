"""Platform speed at scale: 100 plans × 60 tasks and 500 organisations.

Builds the data in a fresh SQLite database (or DATABASE_URL), then times the ledger page and the
tasks API in-process with Django's test client (server time: no network, no browser), and counts
their SQL queries. Run with ``make bench``; writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.django_bench import database_label, setup, timed  # noqa: E402

setup()

from django.core.management import call_command  # noqa: E402
from django.db import reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks.report import stamp, update_section  # noqa: E402

PLANS, TASKS, ORGS = 100, 60, 500


def build(seed: int = 1) -> None:
    from django.contrib.auth import get_user_model

    from newinfra.orgs.models import Membership, Organization, OrgKind, Role
    from newinfra.plans.models import Indicator, Plan, Responsibility, Section, Target, Task

    rng = random.Random(seed)
    kinds = [OrgKind.CITY] * 6 + [OrgKind.DISTRICT, OrgKind.ENTERPRISE, OrgKind.PROVINCE]
    orgs = Organization.objects.bulk_create(
        [Organization(name=f"测试单位{i:03d}", kind=rng.choice(kinds)) for i in range(ORGS)]
    )
    indicators = Indicator.objects.bulk_create(
        [Indicator(name=f"指标{i:03d}", unit="个") for i in range(300)]
    )
    for p in range(PLANS):
        plan = Plan.objects.create(
            key=f"bench-{p}",
            title=f"测试规划{p:03d}（2021—2025年）",
            period_start=2021,
            period_end=2025,
            status="published",
        )
        sections = Section.objects.bulk_create(
            [
                Section(
                    plan=plan,
                    number=f"({n})",
                    title=f"第{n}组任务",
                    path=f"三、主要任务/({n})第{n}组任务",
                    level=2,
                    order=n,
                )
                for n in range(1, 4)
            ]
        )
        tasks = Task.objects.bulk_create(
            [
                Task(
                    plan=plan,
                    section=sections[t % 3],
                    number=str(t + 1),
                    title=f"任务{p}-{t + 1}",
                    text="推进新型基础设施建设。" * 20,
                    order=t,
                )
                for t in range(TASKS)
            ]
        )
        resp, targets = [], []
        for task in tasks:
            for k, org in enumerate(rng.sample(orgs, rng.randint(2, 6))):
                resp.append(
                    Responsibility(
                        task=task, organization=org, is_lead=k == 0, name_as_written=org.name, order=k
                    )
                )
            if rng.random() < 0.6:
                targets.append(
                    Target(
                        plan=plan,
                        task=task,
                        indicator=rng.choice(indicators),
                        text="建成100个",
                        indicator_as_written="测试指标",
                        value=Decimal(rng.randint(1, 10**5)),
                        unit="个",
                        comparator=">=",
                        year=2025,
                        order=len(targets),
                    )
                )
        Responsibility.objects.bulk_create(resp)
        Target.objects.bulk_create(targets)
    user = get_user_model().objects.create_user("bench", password="bench-password-1")
    Membership.objects.create(user=user, organization=orgs[0], role=Role.LEADER)
    # Statistics, as the other builders take them and as autovacuum keeps them on a server: bulk
    # inserts leave none, and PostgreSQL then plans the ledger's queries for empty tables.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", metavar="MD")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build()
    built = time.perf_counter() - t0
    from django.contrib.auth import get_user_model

    from newinfra.orgs.models import Organization
    from newinfra.plans.models import Plan, Task

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    org = Organization.objects.get(name="测试单位007")
    plan = Plan.objects.order_by("id")[50]
    urls = [
        ("ledger page, all 6,000 tasks (first page of 50)", "/ledger/"),
        ("ledger page, one plan", f"/ledger/?plan={plan.pk}"),
        ("ledger page, one unit", f"/ledger/?unit={org.name}"),
        ("ledger page, text search", "/ledger/?q=任务5-1"),
        ("tasks API, first page of 50", "/api/tasks/"),
        ("tasks API, one unit", f"/api/tasks/?unit={org.name}"),
        ("tasks API, one plan", f"/api/tasks/?plan={plan.pk}"),
    ]
    rows = []
    reset_queries()
    for label, url in urls:
        median, worst, queries = timed(client, url, args.repeat)
        rows.append((label, url, median, worst, queries))
    lines = [
        f"{stamp()} Database: {database_label()}. {Plan.objects.count()} plans × {TASKS} tasks "
        f"({Task.objects.count()} tasks), {Organization.objects.count()} organisations, built in {built:.1f} s. "
        f"Server time per request (Django test client, in-process), median and worst of {args.repeat}; "
        "the bar is 100 ms.",
        "",
        "| request | median ms | worst ms | SQL queries |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {label} (`{url}`) | {m * 1e3:.1f} | {w * 1e3:.1f} | {q} |" for label, url, m, w, q in rows],
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        update_section(args.write, f"Platform: ledger and tasks API at scale ({database_label()})", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
