"""Pages of 一张图: the map, district pages, facility layers with their imports, coverage analysis.

Every page needs a member; project points come from ``visible_projects`` (what the user sees in the
library, with the library's filters); layers are read by every member and imported only by the
programme office (统筹办, 管理员).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from newinfra.orgs.permissions import is_office, member_required
from newinfra.projects import permissions as project_perm
from newinfra.projects.forms import districts as district_orgs
from newinfra.projects.models import Domain, FlagKind, Project, Stage, Status
from newinfra.projects.queries import filter_projects
from newinfra.utilities import bounds, history, imports
from newinfra.utilities.tables import query_without, sort_and_page, xlsx_response

from . import coverage as cov
from . import importer, measures
from .boundaries import AREA_PRESETS, geometries
from .models import Boundary, CoverageResult, Facility, FacilityLayer, LayerKind

LIBRARY_FILTERS = ("domain", "district", "stage", "status", "flag", "org", "inv_min", "inv_max", "q")
MAX_POINTS = 20000
DOMAIN_COLORS = [
    "#c62828",
    "#1565c0",
    "#2e7d32",
    "#6a1b9a",
    "#ef6c00",
    "#00838f",
    "#4e342e",
    "#ad1457",
    "#f9a825",
    "#283593",
    "#558b2f",
    "#757575",
]
STAGE_COLORS = ["#90a4ae", "#f9a825", "#1565c0", "#2e7d32", "#b71c1c"]


def boundaries_geojson(simplified: bool = True, with_urls: bool = True) -> dict:
    features = []
    # Only the geometry that is sent: the full-precision one is ten times the JSON to decode.
    rows = Boundary.objects.filter(level="district").select_related("organization")
    rows = rows.defer("geometry") if simplified else rows.defer("geometry_simplified")
    for b in rows:
        props = {
            "name": b.name,
            "code": b.code,
            "area_km2": float(b.area_km2),
            "organization": b.organization.name if b.organization else None,
            "organization_id": b.organization_id,
        }
        if with_urls:
            props["url"] = reverse("geo-district", args=[b.code])
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": b.geometry_simplified if simplified else b.geometry,
            }
        )
    return {"type": "FeatureCollection", "crs_note": "GCJ-02", "features": features}


def project_points(user, params, color_by: str) -> tuple[list, list]:
    qs, _ = filter_projects(project_perm.visible_projects(user), params)
    qs = qs.exclude(lng=None).exclude(lat=None).order_by("-id")
    if color_by == "stage":
        cats = [(s.value, s.label) for s in Stage] + [("", "未入库")]
        colors = STAGE_COLORS + ["#bdbdbd"]
    else:
        cats = [(d.value, d.label) for d in Domain]
        colors = DOMAIN_COLORS
    index = {k: i for i, (k, _) in enumerate(cats)}
    points = [
        [
            float(lng),
            float(lat),
            pk,
            name,
            index.get(cat if color_by == "domain" or status == Status.ADMITTED else "", len(cats) - 1),
        ]
        for pk, name, lng, lat, cat, status in qs.values_list(
            "pk", "name", "lng", "lat", "stage" if color_by == "stage" else "domain", "status"
        )[:MAX_POINTS]
    ]
    categories = [
        {"key": k, "label": label, "color": colors[i % len(colors)]} for i, (k, label) in enumerate(cats)
    ]
    return points, categories


def facility_points(layer: FacilityLayer) -> list:
    return [
        [float(lng), float(lat), pk, name, n or 0]
        for pk, name, lng, lat, n in layer.facilities.filter(is_active=True).values_list(
            "pk", "name", "lng", "lat", "charging_points"
        )
    ]


@member_required
def map_page(request):
    user = request.user
    params = {k: request.GET.get(k, "") for k in LIBRARY_FILTERS}
    _, errors = filter_projects(project_perm.visible_projects(user), params)
    color_by = "stage" if request.GET.get("color") == "stage" else "domain"
    available = measures.available(user)
    measure = measures.get(user, request.GET.get("measure", "projects"))
    values = measure.values(user, params)
    points, categories = project_points(user, params, color_by)
    layers = list(
        FacilityLayer.objects.filter(is_active=True).annotate(
            n=Count("facilities", filter=Q(facilities__is_active=True))
        )
    )
    layer = next((x for x in layers if str(x.pk) == request.GET.get("layer")), None)
    names = dict(Boundary.objects.filter(level="district").values_list("code", "name"))
    payload = {
        "geojson": boundaries_geojson(),
        "values": [{"name": names[c], "code": c, "value": v} for c, v in values.items() if c in names],
        "measure": {"key": measure.key, "label": measure.label, "unit": measure.unit},
        "points": points,
        "categories": categories,
        "facilities": facility_points(layer) if layer else [],
        "layer": layer.name if layer else "",
        "urls": {
            "project": reverse("project-detail", args=[0]),
            "facility": reverse("geo-facility", args=[0]),
        },
    }
    table = sorted(
        ({"code": c, "name": names[c], "value": values.get(c, 0)} for c in names), key=lambda r: -r["value"]
    )
    return render(
        request,
        "geo/map.html",
        {
            "payload": payload,
            "errors": errors,
            "filters": params,
            "color_by": color_by,
            "measures": available,
            "measure": measure,
            "table": table,
            "layers": layers,
            "layer": layer,
            "point_count": len(points),
            "domains": Domain.choices,
            "stages": Stage.choices,
            "statuses": Status.choices,
            "flags": FlagKind.choices,
            "districts": district_orgs(),
            "image_query": query_without(request),
        },
    )


@member_required
def map_png(request):
    from .render import map_png as render_png

    params = {k: request.GET.get(k, "") for k in LIBRARY_FILTERS}
    points = project_points(request.user, params, "domain")
    data = render_png(request.user, request.GET.get("measure", "projects"), params, points=points)
    return HttpResponse(data, content_type="image/png")


@member_required
def district_detail(request, code: str):
    b = get_object_or_404(Boundary.objects.select_related("organization"), code=code, level="district")
    user = request.user
    projects = project_perm.visible_projects(user)
    if b.organization_id:
        projects = projects.filter(
            pk__in=Project.districts.through.objects.filter(organization_id=b.organization_id).values(
                "project_id"
            )
        )
    else:
        projects = projects.none()
    by_domain = list(
        projects.order_by()
        .values("domain")
        .annotate(n=Count("id"), inv=Sum("total_investment"))
        .order_by("-n")
    )
    labels = dict(Domain.choices)
    for r in by_domain:
        r["label"] = labels.get(r["domain"], r["domain"])
    layers = (
        FacilityLayer.objects.filter(is_active=True)
        .annotate(
            n=Count("facilities", filter=Q(facilities__district=b, facilities__is_active=True)),
            points=Sum(
                "facilities__charging_points", filter=Q(facilities__district=b, facilities__is_active=True)
            ),
        )
        .order_by("kind", "name")
    )
    results = [
        {"result": r, "share": r.per_district.get(b.code)}
        for r in CoverageResult.objects.filter(districts=b).select_related("layer")[:10]
    ]
    return render(
        request,
        "geo/district_detail.html",
        {
            "district": b,
            "by_domain": by_domain,
            "project_count": projects.count(),
            "investment": projects.aggregate(s=Sum("total_investment"))["s"] or 0,
            "recent": projects.select_related("declarant").order_by("-id")[:20],
            "layers": layers,
            "results": results,
            "payload": {"geojson": boundaries_geojson(), "focus": b.name},
        },
    )


# --- layers ---------------------------------------------------------------------------------------


@member_required
def layer_list(request):
    layers = FacilityLayer.objects.annotate(
        n=Count("facilities", filter=Q(facilities__is_active=True)),
        points=Sum("facilities__charging_points", filter=Q(facilities__is_active=True)),
    ).order_by("-is_active", "kind", "name")
    return render(request, "geo/layer_list.html", {"layers": layers, "can_import": is_office(request.user)})


FACILITY_SORT = {
    "code": "code",
    "name": "name",
    "district": "district__code",
    "points": "charging_points",
    "power": "power_kw",
}


@member_required
def layer_detail(request, pk: int):
    layer = get_object_or_404(FacilityLayer, pk=pk)
    qs = layer.facilities.filter(is_active=True).select_related("district")
    if d := request.GET.get("district"):
        qs = qs.filter(district__code=d)
    if q := request.GET.get("q", "").strip():
        from newinfra.utilities.script import to_simplified

        q = to_simplified(q)
        qs = qs.filter(Q(name__contains=q) | Q(code__contains=q) | Q(address__contains=q))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                f.code,
                f.name,
                float(f.lng),
                float(f.lat),
                f.district.name if f.district else "",
                f.address,
                f.operator,
                f.charging_points,
                float(f.power_kw) if f.power_kw is not None else None,
                "演示数据" if f.is_demo else "",
            ]
            for f in qs.order_by("code").iterator(chunk_size=2000)
        ]
        return xlsx_response(
            f"{layer.name}.xlsx",
            "设施点位",
            [
                "站点编号",
                "名称",
                "经度",
                "纬度",
                "所在区",
                "地址",
                "运营单位",
                "充电桩数",
                "总功率（kW）",
                "备注",
            ],
            rows,
            [14, 36, 12, 12, 10, 30, 18, 10, 12, 10],
            request.script,
        )
    totals = qs.aggregate(n=Count("id"), points=Sum("charging_points"), power=Sum("power_kw"))
    page, sort = sort_and_page(request, qs, FACILITY_SORT, "code", per_page=50)
    return render(
        request,
        "geo/layer_detail.html",
        {
            "layer": layer,
            "page": page,
            "sort": sort,
            "totals": totals,
            "districts": Boundary.objects.filter(level="district"),
            "filters": {"district": request.GET.get("district", ""), "q": request.GET.get("q", "")},
            "query": query_without(request, "page", "sort"),
            "export_query": query_without(request, "page"),
            "can_manage": is_office(request.user),
            "changes": history.changes(layer.history.all()),
        },
    )


@require_POST
@member_required
def layer_toggle(request, pk: int):
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以停用或启用图层。")
    layer = get_object_or_404(FacilityLayer, pk=pk)
    layer.is_active = not layer.is_active
    layer._history_user = request.user
    layer.save()
    messages.success(request, f"图层“{layer.name}”已{'启用' if layer.is_active else '停用'}。")
    return redirect("geo-layer", pk=pk)


@member_required
def facility_detail(request, pk: int):
    f = get_object_or_404(Facility.objects.select_related("layer", "district"), pk=pk)
    return render(
        request,
        "geo/facility_detail.html",
        {"f": f, "changes": history.changes(f.history.all()), "can_manage": is_office(request.user)},
    )


@require_POST
@member_required
def facility_toggle(request, pk: int):
    """The office takes a station out of service (or back), with the reason kept in its history."""
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以停用或启用设施点位。")
    f = get_object_or_404(Facility, pk=pk)
    reason = request.POST.get("reason", "").strip()
    if f.is_active and not reason:
        messages.error(request, "停用点位时请填写原因（如：已拆除、重复录入）。")
        return redirect("geo-facility", pk=pk)
    f.is_active = not f.is_active
    f._history_user = request.user
    f._change_reason = (reason or "重新启用")[:100]
    f.save()
    messages.success(
        request, f"点位“{f.name}”已{'启用' if f.is_active else '停用'}，覆盖分析将按新状态计算。"
    )
    return redirect("geo-facility", pk=pk)


@member_required
def import_template(request):
    from urllib.parse import quote

    response = HttpResponse(
        importer.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('设施点位模板.xlsx')}"
    return response


@member_required
def import_upload(request):
    """Upload → preview with every bad row named → commit all-or-nothing (统筹办 only)."""
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以导入设施图层。")
    layers = FacilityLayer.objects.filter(is_active=True)
    context = {"layers": layers, "kinds": LayerKind.choices, "selected": request.GET.get("layer", "")}
    if request.method == "POST":

        def form_meta(upload) -> dict:
            return {
                "filename": upload.name,
                "layer": request.POST.get("layer", ""),
                "name": request.POST.get("new_name", "").strip(),
                "kind": request.POST.get("kind", ""),
                "source": request.POST.get("source", "").strip(),
                "crs": "wgs84" if request.POST.get("crs") == "wgs84" else "gcj02",
            }

        def target_layer(meta):
            return layers.filter(pk=meta["layer"]).first() if str(meta.get("layer", "")).isdigit() else None

        def run(data, commit, meta):
            layer = target_layer(meta)
            new_layer = (
                None
                if layer
                else {
                    "name": meta["name"],
                    "kind": meta["kind"],
                    "source": meta["source"] or meta["filename"],
                }
            )
            return importer.run_import(
                data,
                meta["filename"],
                request.user,
                commit,
                layer=layer,
                new_layer=new_layer,
                crs=meta.get("crs", "gcj02"),
            )

        response, extra = imports.handle(
            request,
            "geo",
            run,
            importer.ImportFileError,
            "geo-import",
            lambda result: reverse("geo-layer", kwargs={"pk": result.layer.pk}),
            meta=form_meta,
            max_mb=30,
            file_label="",
            unit="个点位",
        )
        if response:
            return response
        layer = target_layer(extra["meta"])
        context.update(extra, target=layer.name if layer else extra["meta"]["name"])
    return render(request, "geo/import.html", context)


# --- coverage -----------------------------------------------------------------------------------


def coverage_request(params, layers) -> dict:
    """The analysis a request asks for: layer, radius (m), district codes, number of sites; errors."""
    errors = []
    geoms = geometries()
    layer = None
    raw = str(params.get("layer", "") or "")
    try:
        if pk := bounds.identifier(raw, "图层"):
            layer = layers.filter(pk=pk).first()
    except bounds.OutOfBounds:
        pass
    if layer is None:
        layer = layers.filter(kind=LayerKind.CHARGING).first() or layers.first()
        if raw:
            errors.append("所选图层不存在或已停用。")
    try:
        radius = int(bounds.number(params.get("radius") or cov.DEFAULT_RADIUS_M, "服务半径"))
        if not 50 <= radius <= 20000:
            raise ValueError
    except (ValueError, bounds.OutOfBounds):
        errors.append("服务半径应为50—20000米之间的数字。")
        radius = cov.DEFAULT_RADIUS_M
    raw_codes = params.getlist("districts") if hasattr(params, "getlist") else [params.get("districts") or ""]
    codes = [c.strip() for value in raw_codes for c in str(value).split(",") if c.strip()]
    preset = params.get("preset") or ""
    if not codes:
        codes = list(AREA_PRESETS.get(preset, AREA_PRESETS["central"])[1])
    bad = [c for c in codes if c not in geoms.district_codes]
    if bad:
        errors.append(f"区划代码“{'、'.join(bad)}”不是广州市的区。")
    codes = [c for c in dict.fromkeys(codes) if c in geoms.district_codes]
    try:
        sites = max(0, min(bounds.integer(params.get("sites") or 0, "站点数"), cov.MAX_SITES))
    except (ValueError, bounds.OutOfBounds):
        errors.append(f"建议新增站点数应为0—{cov.MAX_SITES}之间的整数。")
        sites = 0
    return {"layer": layer, "radius": radius, "codes": codes, "sites": sites, "errors": errors}


def run_coverage(req: dict, user):
    """(coverage, proposal, recorded result) for a checked request."""
    geoms = geometries()
    lng, lat = cov.layer_points(req["layer"])
    coverage = cov.analyse(lng, lat, req["codes"], req["radius"], geoms)
    proposal = cov.propose_sites(coverage, req["sites"], geoms) if req["sites"] else None
    result = cov.record_once(req["layer"], coverage, user)
    return coverage, proposal, result


@member_required
def coverage_page(request):
    layers = FacilityLayer.objects.filter(is_active=True)
    req = coverage_request(request.GET, layers)
    context = {
        "layers": layers,
        "req": req,
        "presets": {k: (label, ",".join(codes)) for k, (label, codes) in AREA_PRESETS.items()},
        "all_districts": Boundary.objects.filter(level="district"),
        "errors": req["errors"],
    }
    if req["layer"] is not None and req["codes"] and not req["errors"]:
        coverage, proposal, result = run_coverage(req, request.user)
        if request.GET.get("export") == "xlsx" and proposal:
            return xlsx_response(
                "建议新增站点.xlsx",
                "建议新增站点",
                ["序号", "经度（GCJ-02）", "纬度（GCJ-02）", "所在区", "新增覆盖面积（平方公里）"],
                [
                    [i, s["lng"], s["lat"], s["district"], s["gain_km2"]]
                    for i, s in enumerate(proposal.sites, 1)
                ],
                [8, 16, 16, 10, 20],
                request.script,
            )
        after = None
        if proposal and proposal.sites:
            import numpy as np

            lng, lat = cov.layer_points(req["layer"])
            after = cov.analyse(
                np.r_[lng, [s["lng"] for s in proposal.sites]],
                np.r_[lat, [s["lat"] for s in proposal.sites]],
                req["codes"],
                req["radius"],
            )
        indicator = cov.service_radius_indicator()
        context.update(
            {
                "coverage": coverage,
                "proposal": proposal,
                "after": after,
                "result": result,
                "indicator": indicator,
                "can_record": is_office(request.user)
                and indicator is not None
                and req["layer"].kind == LayerKind.CHARGING,
                "export_query": query_without(request),
                "payload": {
                    "geojson": boundaries_geojson(),
                    "uncovered": coverage.uncovered_geojson(),
                    "area": [geometries().names[c] for c in req["codes"]],
                    "facilities": facility_points(req["layer"]),
                    "sites": proposal.sites if proposal else [],
                    "radius": req["radius"],
                    "urls": {"facility": reverse("geo-facility", args=[0])},
                },
            }
        )
    return render(request, "geo/coverage.html", context)


@require_POST
@member_required
def coverage_record(request, pk: int):
    """The programme office records an analysis as the value of 公用充电设施服务半径."""
    result = get_object_or_404(CoverageResult.objects.select_related("layer"), pk=pk)
    indicator = cov.service_radius_indicator()
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以把分析结果记为指标值。")
    if indicator is None or result.layer.kind != LayerKind.CHARGING:
        messages.error(request, "只有充电站图层的分析可以记为“公用充电设施服务半径”的指标值。")
    else:
        result.indicator = indicator
        result._history_user = request.user
        result.save()
        messages.success(request, f"已将覆盖率{result.share}%记为“{indicator.name}”的最新值。")
    return redirect(request.POST.get("next") or reverse("geo-coverage"))
