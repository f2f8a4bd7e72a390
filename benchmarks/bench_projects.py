"""Project library at scale: 100,000 projects and 2,000,000 monthly dispatch reports.

Builds the data in a fresh database (SQLite, or a throwaway database on the PostgreSQL server of
DATABASE_URL; ``--projects``/``--reports`` for a smaller trial), then times the library's filtered
list, the statistics page and the projects API in-process with Django's test client (server time), for the programme office
(sees everything) and a district reviewer (sees its district), and times Excel imports of 10,000
rows (read, check every row, write with history). Run with ``make bench``; writes its section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
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

from benchmarks.report import stamp, update_section  # noqa: E402

DOMAINS = [
    "5g",
    "gigabit",
    "iot",
    "iiot",
    "datacenter",
    "ai",
    "blockchain",
    "transport",
    "energy",
    "city",
    "innovation",
]


def build(projects: int, reports: int, seed: int = 7) -> dict:
    from django.contrib.auth import get_user_model

    from newinfra.orgs.management.commands.seed_demo import seed_organizations
    from newinfra.orgs.models import Membership, Organization, OrgKind, Role
    from newinfra.projects.models import Project

    rng = random.Random(seed)
    seed_organizations()
    enterprises = Organization.objects.bulk_create(
        [Organization(name=f"测试企业{i:04d}有限公司", kind=OrgKind.ENTERPRISE) for i in range(2000)]
    )
    districts = list(
        Organization.objects.filter(kind=OrgKind.DISTRICT).exclude(name="各区政府").order_by("code")
    )
    city = list(Organization.objects.filter(kind=OrgKind.CITY).exclude(name="市直职能部门"))
    User = get_user_model()
    users = {}
    for username, org, role in (
        ("office", city[0], Role.OFFICE),
        ("district", districts[3], Role.RESPONSIBLE),
        ("declarant", enterprises[0], Role.DECLARANT),
    ):
        users[username] = User.objects.create_user(username, password="bench-password-1")
        Membership.objects.create(user=users[username], organization=org, role=role)
    stages = ["reserve", "preparation", "construction", "construction", "completed"]
    now = dt.datetime.now(dt.UTC).isoformat()
    rows, links = [], []
    for i in range(1, projects + 1):
        d = districts[i % len(districts)]
        status = "admitted" if rng.random() < 0.9 else rng.choice(["submitted", "first_reviewed", "returned"])
        rows.append(
            (
                f"20{20 + i % 3}-{d.code}-65-03-{i:06d}",
                f"测试项目{i:06d}（{DOMAINS[i % len(DOMAINS)]}）",
                enterprises[i % len(enterprises)].pk,
                (d if i % 2 else city[i % len(city)]).pk,
                DOMAINS[i % len(DOMAINS)],
                "",
                rng.randrange(100, 100000),
                status,
                rng.choice(stages) if status == "admitted" else "",
                "",
                0,
                0,
                False,
                True,
                now,
                now,
            )
        )
        links.append((i, d.pk))
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO projects_project (code, name, declarant_id, competent_id, domain, description,"
            " total_investment, status, stage, stage_reason, invested_to_date, progress_pct, is_demo,"
            " is_active, created_at, updated_at, contact_name, contact_phone, districts_key) VALUES"
            " (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'','','')",
            rows,
        )
        cur.execute("SELECT id FROM projects_project ORDER BY id")  # psycopg's execute returns None
        ids = [r[0] for r in cur.fetchall()]
        cur.executemany(
            "INSERT INTO projects_project_districts (project_id, organization_id) VALUES (%s, %s)",
            [(ids[i - 1], d) for i, d in links],
        )
        cur.executemany(
            "UPDATE projects_project SET districts_key = %s WHERE id = %s",
            [(f",{d},", ids[i - 1]) for i, d in links],
        )
        cur.executemany(
            "INSERT INTO projects_annualinvestment (project_id, year, planned, completed) VALUES (%s,%s,%s,%s)",
            [(pid, y, 1000, rng.randrange(0, 1200)) for pid in ids for y in (2021, 2022, 2023)],
        )
        cur.executemany(
            "INSERT INTO projects_projectflag (project_id, kind, document, note, is_active) VALUES (%s,'city_key','','',%s)",
            [(pid, True) for pid in ids[::10]],  # a boolean parameter: PostgreSQL refuses the integer 1
        )
        # Dispatch: months of the admitted projects under construction or completed.
        running = [pid for pid, r in zip(ids, rows, strict=True) if r[8] in ("construction", "completed")]
        per_project = max(1, reports // max(1, len(running)))
        months = [dt.date(2019 + (m // 12), m % 12 + 1, 1).isoformat() for m in range(per_project)]
        batch, made = [], 0
        for pid in running:
            cumulative = 0
            for m in months:
                cumulative += 10
                batch.append((pid, m, 10, cumulative, 50, "", "", False, "", now))
                made += 1
                if made >= reports:
                    break
            if len(batch) >= 50000:
                cur.executemany(
                    "INSERT INTO projects_dispatchreport (project_id, month, invested_month, invested_cumulative,"
                    " progress_pct, milestone, problems, problem_resolved, explanation, reported_at)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                    batch,
                )
                batch = []
            if made >= reports:
                break
        if batch:
            cur.executemany(
                "INSERT INTO projects_dispatchreport (project_id, month, invested_month, invested_cumulative,"
                " progress_pct, milestone, problems, problem_resolved, explanation, reported_at)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                batch,
            )
    from newinfra.projects.stats_cache import bump

    bump()
    cur = connection.cursor()
    cur.execute("ANALYZE")
    return {"users": users, "district": districts[3], "projects": Project.objects.count()}


def declaration_file(n: int, district) -> bytes:
    from openpyxl import Workbook

    from newinfra.projects.excel import DECLARATION_COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("项目申报")
    ws.append([label for _, label, _ in DECLARATION_COLUMNS])
    for i in range(n):
        ws.append(
            [
                f"2023-{district.code}-65-03-{900000 + i:06d}",
                f"导入项目{i:05d}",
                "测试企业0000有限公司",
                district.name,
                district.name,
                "5G",
                1000 + i,
                "2023-01-01",
                "2024-12-31",
                None,
                None,
                "联系人",
                "020-1",
                "在建",
                "导入测试",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def dispatch_file(codes: list[str]) -> bytes:
    from openpyxl import Workbook

    from newinfra.projects.excel import DISPATCH_COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("月度调度")
    ws.append([label for _, label, _ in DISPATCH_COLUMNS])
    for code in codes:
        for m, month in enumerate(("2023-01", "2023-02")):
            ws.append([code, "", month, 100, 100 * (m + 1), 10 * (m + 1), "", "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", metavar="MD")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--projects", type=int, default=100_000)
    ap.add_argument("--reports", type=int, default=2_000_000)
    ap.add_argument("--import-rows", type=int, default=10_000)
    args = ap.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    data = build(args.projects, args.reports)
    built = time.perf_counter() - t0
    from newinfra.projects import excel
    from newinfra.projects.models import DispatchReport, Project
    from newinfra.projects.stats_cache import bump

    district = data["district"]
    rows = []
    for who in ("office", "district"):
        client = Client()
        client.force_login(data["users"][who])
        for spec in [
            ("library, first page", "/projects/"),
            (
                "library, domain + district + investment range",
                f"/projects/?domain=5g&district={district.pk}&inv_min=1000&inv_max=50000",
            ),
            (
                "library, stage + flag, sorted by investment",
                "/projects/?stage=construction&flag=city_key&sort=-investment",
            ),
            ("library, text search", "/projects/?q=测试项目0123"),
            ("statistics page, everything visible", "/projects/stats/"),
            ("statistics page, everything visible, recomputed after a change", "/projects/stats/", bump),
            ("statistics page, one domain", "/projects/stats/?domain=energy"),
            (
                "statistics page, one domain, recomputed after a change",
                "/projects/stats/?domain=energy",
                bump,
            ),
            ("projects API, filtered", "/api/projects/?domain=ai&stage=completed"),
        ]:
            label, url, *before = spec
            median, worst, queries = timed(client, url, args.repeat, *before)
            rows.append((who, label, url, median, worst, queries))
    office = data["users"]["office"]
    payload = declaration_file(args.import_rows, district)
    t0 = time.perf_counter()
    result = excel.run_import("declaration", payload, office, commit=True)
    import_s = time.perf_counter() - t0
    assert result.ok and result.created == args.import_rows, result.errors[:5]
    t0 = time.perf_counter()
    again = excel.run_import("declaration", payload, office, commit=True)
    reimport_s = time.perf_counter() - t0
    assert again.unchanged == args.import_rows
    codes = [f"2023-{district.code}-65-03-{900000 + i:06d}" for i in range(args.import_rows // 2)]
    payload = dispatch_file(codes)
    t0 = time.perf_counter()
    result = excel.run_import("dispatch", payload, office, commit=True)
    dispatch_s = time.perf_counter() - t0
    assert result.ok and result.created == len(codes) * 2, result.errors[:5]
    lines = [
        f"{stamp()} Database: {database_label()}. {data['projects']:,} projects, "
        f"{DispatchReport.objects.count():,} dispatch reports, built in {built:.0f} s. Server time per request "
        f"(Django test client, in-process), median and worst of {args.repeat}; the bar is 200 ms. "
        "`office` is the programme office (sees every declared project); `district` a district reviewer. "
        "Statistics are cached until the library changes (`newinfra/projects/stats_cache.py`); the "
        "“recomputed” rows raise the data version before every request, so they measure a full recomputation.",
        "",
        "| user | request | median ms | worst ms | SQL queries |",
        "| --- | --- | ---: | ---: | ---: |",
        *[
            f"| {who} | {label} (`{url}`) | {m * 1e3:.1f} | {w * 1e3:.1f} | {q} |"
            for who, label, url, m, w, q in rows
        ],
        "",
        f"Excel import of {args.import_rows:,} declaration rows (read, check every row against the database, "
        f"write projects, districts, history and events in one transaction): **{import_s:.1f} s**; the same file "
        f"again (all rows unchanged, nothing written): {reimport_s:.1f} s. {len(codes) * 2:,} dispatch rows "
        f"({len(codes):,} projects × 2 months, checked against each other and the database): **{dispatch_s:.1f} s**. "
        f"The bar is 30 s. Projects after the imports: {Project.objects.count():,}.",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        update_section(args.write, f"Project library at scale ({database_label()})", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
