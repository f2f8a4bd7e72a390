"""What the district choropleth can show: a value per district code for the user who looks.

Built-in measures: the project library's count, total and completed investment (of the projects the
user sees, after the library's filters; a project in two districts counts in each), each facility
layer's stations and charging points, and the latest recorded coverage share per district.

Other apps add theirs with ``register(provider)``: a provider is ``provider(user) -> list[Measure]``
(e.g. the indicators app: an indicator's latest value or attainment per district, keys
``indicator:<id>:value`` and ``indicator:<id>:attainment``). A measure's ``values(user, params)``
returns ``{district code: number}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Sum

from newinfra.projects import permissions as project_perm
from newinfra.projects.models import Project
from newinfra.projects.queries import filter_projects

from .models import Boundary, CoverageResult, Facility, FacilityLayer


@dataclass
class Measure:
    key: str
    label: str
    unit: str
    values: Callable  # (user, params) -> {code: float}
    group: str = "项目库"


_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def _org_codes() -> dict[int, str]:
    return dict(
        Boundary.objects.filter(level="district")
        .exclude(organization=None)
        .values_list("organization_id", "code")
    )


def projects_by_district(user, params) -> dict[str, dict]:
    qs, _ = filter_projects(project_perm.visible_projects(user), params or {})
    codes = _org_codes()
    rows = (
        Project.districts.through.objects.filter(project__in=qs.order_by().values("pk"))
        .values("organization_id")
        .annotate(
            n=Count("project_id"), inv=Sum("project__total_investment"), done=Sum("project__invested_to_date")
        )
    )
    out = {}
    for r in rows:
        code = codes.get(r["organization_id"])
        if code:
            out[code] = {"n": r["n"], "investment": float(r["inv"] or 0), "invested": float(r["done"] or 0)}
    return out


def _project_measure(field: str):
    return lambda user, params: {c: v[field] for c, v in projects_by_district(user, params).items()}


def _layer_measure(layer_id: int, field: str | None):
    def values(user, params):
        qs = Facility.objects.filter(layer_id=layer_id, is_active=True).exclude(district=None)
        agg = Sum("charging_points") if field else Count("id")
        return {r["district__code"]: float(r["v"] or 0) for r in qs.values("district__code").annotate(v=agg)}

    return values


def _coverage_values(result_id: int):
    def values(user, params):
        r = CoverageResult.objects.filter(pk=result_id).first()
        return {k: float(v) for k, v in (r.per_district if r else {}).items()}

    return values


def builtin(user) -> list[Measure]:
    measures = [
        Measure("projects", "项目数", "个", _project_measure("n")),
        Measure("investment", "总投资", "万元", _project_measure("investment")),
        Measure("invested", "累计完成投资", "万元", _project_measure("invested")),
    ]
    for layer in FacilityLayer.objects.filter(is_active=True):
        measures.append(
            Measure(
                f"layer:{layer.pk}:count",
                f"{layer.name} · 点位数",
                "个",
                _layer_measure(layer.pk, None),
                "设施图层",
            )
        )
        if layer.kind == "charging":
            measures.append(
                Measure(
                    f"layer:{layer.pk}:points",
                    f"{layer.name} · 充电桩数",
                    "个",
                    _layer_measure(layer.pk, "points"),
                    "设施图层",
                )
            )
    latest = CoverageResult.objects.filter(layer__is_active=True).select_related("layer").first()
    if latest:
        measures.append(
            Measure(
                "coverage",
                f"覆盖率（最近一次分析：{latest.layer.name}，{latest.radius_m}米）",
                "%",
                _coverage_values(latest.pk),
                "覆盖分析",
            )
        )
    return measures


def available(user) -> list[Measure]:
    out = builtin(user)
    for provider in _PROVIDERS:
        out.extend(provider(user))
    return out


def get(user, key: str) -> Measure:
    measures = available(user)
    return next((m for m in measures if m.key == key), measures[0])
