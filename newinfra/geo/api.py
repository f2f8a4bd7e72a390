"""`/api/geo/`: district boundaries (GeoJSON), facility layers and coverage analysis, read by members.

- ``GET /api/geo/districts/`` — the 11 districts as a GeoJSON FeatureCollection (GCJ-02), properties
  code (GB/T 2260), name, organization (区政府) and area; ``?full=1`` for full-precision boundaries.
- ``GET /api/geo/layers/`` and ``/api/geo/layers/{id}/`` — layers with their counts;
  ``/api/geo/layers/{id}/facilities/`` — the layer's points as GeoJSON.
- ``GET /api/geo/coverage/?layer=&radius=1000&districts=440103,440104&sites=10`` — share (%),
  per-district shares, the uncovered area as GeoJSON and the proposed sites; the analysis is kept
  as a CoverageResult (``result`` is its id).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from newinfra.projects.api import MemberPermission

from .models import FacilityLayer
from .views import boundaries_geojson, coverage_request, run_coverage


@extend_schema(
    summary="广州市11个区的行政边界（GeoJSON，GCJ-02）",
    parameters=[OpenApiParameter("full", str, description="1 = 全精度边界（默认为简化边界）")],
    responses={200: dict},
)
@api_view(["GET"])
@permission_classes([MemberPermission])
def districts(request):
    full = request.query_params.get("full") in ("1", "true")
    return Response(boundaries_geojson(simplified=not full, with_urls=False))


class LayerSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    facilities = serializers.IntegerField(source="n", read_only=True)
    charging_points = serializers.IntegerField(source="points", read_only=True)

    class Meta:
        model = FacilityLayer
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "description",
            "source",
            "is_demo",
            "facilities",
            "charging_points",
            "updated_at",
        ]


class LayerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LayerSerializer
    permission_classes = [MemberPermission]

    def get_queryset(self):
        active = Q(facilities__is_active=True)
        return (
            FacilityLayer.objects.filter(is_active=True)
            .annotate(
                n=Count("facilities", filter=active), points=Sum("facilities__charging_points", filter=active)
            )
            .order_by("kind", "name")
        )

    @extend_schema(summary="图层的点位（GeoJSON，GCJ-02）", responses={200: dict})
    @action(detail=True, methods=["get"])
    def facilities(self, request, pk=None):
        layer = self.get_object()
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(f.lng), float(f.lat)]},
                "properties": {
                    "id": f.pk,
                    "code": f.code,
                    "name": f.name,
                    "district": f.district.code if f.district else None,
                    "charging_points": f.charging_points,
                    "power_kw": float(f.power_kw) if f.power_kw is not None else None,
                    "is_demo": f.is_demo,
                },
            }
            for f in layer.facilities.filter(is_active=True).select_related("district").order_by("code")
        ]
        return Response({"type": "FeatureCollection", "features": features})


@extend_schema(
    summary="覆盖分析：覆盖率、分区覆盖率、未覆盖区域与建议新增站点",
    parameters=[
        OpenApiParameter("layer", int, description="图层 id（默认第一个充电站图层）"),
        OpenApiParameter("radius", int, description="服务半径（米），默认1000"),
        OpenApiParameter("districts", str, description="区划代码，逗号分隔；默认中心城区六区"),
        OpenApiParameter("preset", str, description="central | core | all"),
        OpenApiParameter("sites", int, description="建议新增站点数（0—200）"),
    ],
    responses={200: dict},
)
@api_view(["GET"])
@permission_classes([MemberPermission])
def coverage(request):
    layers = FacilityLayer.objects.filter(is_active=True)
    req = coverage_request(request.query_params, layers)
    if req["layer"] is None:
        raise NotFound("尚无设施图层。")
    if req["errors"]:
        raise ValidationError({"detail": req["errors"]})
    result_cov, proposal, result = run_coverage(req, request.user)
    return Response(
        {
            "layer": req["layer"].pk,
            "radius_m": req["radius"],
            "districts": req["codes"],
            "share": round(result_cov.share, 2),
            "area_km2": round(result_cov.area_km2, 2),
            "covered_km2": round(result_cov.covered_km2, 2),
            "facilities": result_cov.facilities,
            "per_district": result_cov.per_district,
            "uncovered": result_cov.uncovered_geojson(),
            "proposed_sites": proposal.sites if proposal else [],
            "result": result.pk,
            "crs": "GCJ-02",
        }
    )
