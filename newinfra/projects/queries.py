"""Filtering and statistics of the library, shared by the pages, the exports and the API."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db.models import Count, Exists, OuterRef, Q, Sum

from newinfra.web.script import to_simplified

from .models import AnnualInvestment, Domain, FlagKind, Project, ProjectFlag, Stage, Status

FILTERS = ("domain", "district", "stage", "status", "flag", "org", "inv_min", "inv_max", "q", "demo")


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "").strip()) if str(value).strip() else None
    except InvalidOperation:
        return None


def filter_projects(qs, params) -> tuple[object, list[str]]:
    """Apply ?domain=&district=&stage=&status=&flag=&org=&inv_min=&inv_max=&q=; (queryset, errors)."""
    errors = []
    get = params.get
    if (v := get("domain")) and v in Domain.values:
        qs = qs.filter(domain=v)
    if v := get("district"):
        if str(v).isdigit():
            qs = qs.filter(
                Exists(
                    Project.districts.through.objects.filter(project=OuterRef("pk"), organization_id=int(v))
                )
            )
        else:
            errors.append("所在区参数无效。")
    if (v := get("stage")) and v in Stage.values:
        qs = qs.filter(stage=v, status=Status.ADMITTED)
    if (v := get("status")) and v in Status.values:
        qs = qs.filter(status=v)
    if (v := get("flag")) and v in FlagKind.values:
        qs = qs.filter(Exists(ProjectFlag.objects.filter(project=OuterRef("pk"), kind=v, is_active=True)))
    if v := get("org"):
        if str(v).isdigit():
            qs = qs.filter(declarant_id=int(v))
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
    return qs, errors


def statistics(qs) -> dict:
    """Counts and investment (万元) by domain, stage, district and year, of the given projects."""
    totals = qs.aggregate(n=Count("id"), investment=Sum("total_investment"), invested=Sum("invested_to_date"))
    by_domain = {
        r["domain"]: r
        for r in qs.order_by().values("domain").annotate(n=Count("id"), investment=Sum("total_investment"))
    }
    by_stage = {
        r["stage"]: r
        for r in qs.filter(status=Status.ADMITTED)
        .order_by()
        .values("stage")
        .annotate(n=Count("id"), investment=Sum("total_investment"))
    }
    through = Project.districts.through.objects.filter(project__in=qs.order_by().values("pk"))
    by_district = list(
        through.order_by()
        .values("organization__name", "organization_id")
        .annotate(n=Count("project_id"), investment=Sum("project__total_investment"))
        .order_by("-investment")
    )
    by_year = list(
        AnnualInvestment.objects.filter(project__in=qs.order_by().values("pk"))
        .order_by()
        .values("year")
        .annotate(planned=Sum("planned"), completed=Sum("completed"), n=Count("project_id"))
        .order_by("year")
    )
    for row in by_year:
        row["rate"] = (row["completed"] / row["planned"] * 100) if row["planned"] else None
    return {
        "totals": totals,
        "by_domain": [
            {"key": d.value, "label": d.label, **by_domain.get(d.value, {"n": 0, "investment": 0})}
            for d in Domain
        ],
        "by_stage": [
            {"key": s.value, "label": s.label, **by_stage.get(s.value, {"n": 0, "investment": 0})}
            for s in Stage
        ],
        "by_district": by_district,
        "by_year": by_year,
    }
