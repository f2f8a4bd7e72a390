"""Filtering and statistics of the library, shared by the pages, the exports and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from newinfra.orgs.models import Organization
from newinfra.utilities import bounds
from newinfra.utilities.script import to_simplified

from .models import Domain, FlagKind, Project, ProjectFlag, Stage, Status

FILTERS = (
    "domain",
    "district",
    "stage",
    "status",
    "flag",
    "org",
    "inv_min",
    "inv_max",
    "q",
    "demo",
    "dispatch",
)


def _decimal(value) -> Decimal | None:
    try:
        return bounds.decimal(value, 14, 2, "投资额")
    except bounds.OutOfBounds:
        return None


def filter_projects(qs, params) -> tuple[object, list[str]]:
    """Apply ?domain=&district=&stage=&status=&flag=&org=&inv_min=&inv_max=&q=; (queryset, errors)."""
    errors = []
    get = params.get
    if (v := get("domain")) and v in Domain.values:
        qs = qs.filter(domain=v)
    if v := get("district"):
        try:
            through = Project.districts.through.objects.filter(organization_id=bounds.identifier(v, "所在区"))
            qs = qs.filter(pk__in=through.values("project_id"))
        except bounds.OutOfBounds:
            errors.append("所在区参数无效。")
    if (v := get("stage")) and v in Stage.values:
        qs = qs.filter(stage=v, status=Status.ADMITTED)
    if (v := get("status")) and v in Status.values:
        qs = qs.filter(status=v)
    if (v := get("flag")) and v in FlagKind.values:
        qs = qs.filter(pk__in=ProjectFlag.objects.filter(kind=v, is_active=True).values("project_id"))
    if v := get("org"):
        if str(v).strip().isdigit():
            try:
                qs = qs.filter(declarant_id=bounds.identifier(v, "申报单位"))
            except bounds.OutOfBounds:
                errors.append("申报单位参数无效。")
        else:
            qs = qs.filter(declarant__name__contains=to_simplified(str(v).strip()))
    for key, lookup in (("inv_min", "total_investment__gte"), ("inv_max", "total_investment__lte")):
        raw = get(key)
        if raw not in (None, ""):
            value = _decimal(raw)
            if value is None:
                errors.append("投资额范围应为数字（万元）。")
            else:
                qs = qs.filter(**{lookup: value})
    if v := (get("q") or "").strip():
        v = to_simplified(v)
        qs = qs.filter(Q(name__contains=v) | Q(code__contains=v) | Q(description__contains=v))
    if get("demo") in ("0", "1"):
        qs = qs.filter(is_demo=get("demo") == "1")
    if get("dispatch") == "overdue":
        due = last_due_month(timezone.localdate())
        qs = dispatch_expected(qs).filter(Q(last_report_month__isnull=True) | Q(last_report_month__lt=due))
    return qs, errors


def statistics(qs, complement=None) -> dict:
    """Counts and investment (万元) by domain, stage, district and year, of the given projects:
    ``group_statistics`` and, as ``by_year``, ``year_statistics``."""
    return {**group_statistics(qs), "by_year": year_statistics(qs, complement)}


def group_statistics(qs) -> dict:
    """Totals, and counts and investment (万元) by domain, stage and district, of the given projects.

    One grouped query over a covering index gives domain × stage × status × districts; the rest
    is summed here.
    """
    base = qs.order_by()
    groups = list(
        base.values("domain", "stage", "status", "districts_key").annotate(
            n=Count("id"), investment=Sum("total_investment"), invested=Sum("invested_to_date")
        )
    )
    zero = Decimal(0)
    totals = {
        "n": sum(g["n"] for g in groups),
        "investment": sum((g["investment"] or zero for g in groups), zero),
        "invested": sum((g["invested"] or zero for g in groups), zero),
    }

    def summed(rows, key) -> dict:
        out: dict = {}
        for g in rows:
            cell = out.setdefault(g[key], {"n": 0, "investment": zero})
            cell["n"] += g["n"]
            cell["investment"] += g["investment"] or zero
        return out

    by_domain = summed(groups, "domain")
    by_stage = summed([g for g in groups if g["status"] == Status.ADMITTED], "stage")
    # A project in two districts counts in each of them.
    per_district = summed(
        [{**g, "district": int(d)} for g in groups for d in g["districts_key"].strip(",").split(",") if d],
        "district",
    )
    names = dict(Organization.objects.filter(pk__in=per_district).values_list("pk", "name"))
    by_district = sorted(
        (
            {"organization__name": names.get(pk, str(pk)), "organization_id": pk, **cell}
            for pk, cell in per_district.items()
        ),
        key=lambda r: -r["investment"],
    )

    return {
        "totals": totals,
        "by_domain": [
            {"key": d.value, "label": d.label, **by_domain.get(d.value, {"n": 0, "investment": zero})}
            for d in Domain
        ],
        "by_stage": [
            {"key": s.value, "label": s.label, **by_stage.get(s.value, {"n": 0, "investment": zero})}
            for s in Stage
        ],
        "by_district": by_district,
    }


def year_statistics(qs, complement=None) -> list[dict]:
    """Planned and completed investment (万元) by year of the rolling plan, of the given projects:
    from their plan rows, or — when ``complement`` (the projects *not* in ``qs``) is given and
    small — as all plan rows minus the complement's, which reads one index instead of joining
    every project to its years. The costliest part of the statistics (every plan row of the
    library), so the pages that do not show the years do not ask for it."""
    from .models import AnnualInvestment

    def years(rows) -> dict:
        return {
            r["year"]: r
            for r in rows.order_by()
            .values("year")
            .annotate(planned=Sum("planned"), completed=Sum("completed"), n=Count("id"))
            .order_by("year")
        }

    if complement is not None:
        every = years(AnnualInvestment.objects.all())
        minus = years(AnnualInvestment.objects.filter(project__in=complement.order_by().values("pk")))
        for year, row in minus.items():
            for k in ("planned", "completed", "n"):
                every[year][k] -= row[k] or 0
        by_year = [r for r in every.values() if r["n"]]
    else:
        by_year = list(
            years(AnnualInvestment.objects.filter(project__in=qs.order_by().values("pk"))).values()
        )
    for row in by_year:
        row["rate"] = (row["completed"] / row["planned"] * 100) if row["planned"] else None
    return by_year


# --- 月度调度 due and overdue ----------------------------------------------------------------------

DISPATCH_DUE_DAY = 10  # a month's dispatch is due by the 10th of the next month
# Projects that report every month: those under construction.
DISPATCH_STAGES = (Stage.CONSTRUCTION,)


def _next_month(d):
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def dispatch_due_date(month):
    """The day the report of ``month`` (its 1st) is due."""
    return _next_month(month).replace(day=DISPATCH_DUE_DAY)


def last_due_month(as_of):
    """The latest month whose dispatch is already past due on ``as_of``."""
    month = as_of.replace(day=1)
    while dispatch_due_date(month) >= as_of:
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def dispatch_expected(qs=None):
    """Admitted projects that owe a monthly dispatch."""
    qs = Project.objects.active() if qs is None else qs
    return qs.filter(status=Status.ADMITTED, stage__in=DISPATCH_STAGES)


def overdue_dispatch(as_of, qs=None) -> list[tuple[Project, object, int]]:
    """(project, first missing month, months missing) for projects whose 月度调度 is past due.

    One query whatever the library's size: ``last_report_month`` is kept up to date by the dispatch.
    """
    due = last_due_month(as_of)
    rows = (
        dispatch_expected(qs)
        .filter(Q(last_report_month__isnull=True) | Q(last_report_month__lt=due))
        .select_related("declarant", "competent")
        .order_by("competent_id", "last_report_month", "pk")
    )
    out = []
    for p in rows:
        if p.last_report_month:
            first = _next_month(p.last_report_month)
        else:
            first = (p.admitted_on or as_of).replace(day=1)
            if first > due:
                first = due
        months = (due.year - first.year) * 12 + due.month - first.month + 1
        out.append((p, first, months))
    return out
