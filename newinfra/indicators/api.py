"""`/api/data-values/`, `/api/attainment/`, `/api/notices/`, `/api/evaluations/`, with the pages' rules."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from newinfra.evaluation.models import Evaluation
from newinfra.orgs.models import Organization, OrgKind
from newinfra.orgs.permissions import membership
from newinfra.projects.api import MemberPermission
from newinfra.supervision.models import Notice
from newinfra.utilities import bounds, versions

from . import services
from .attainment import STATUS_LABELS
from .models import DataValue
from .queries import attainment_rows


class DataValueSerializer(bounds.BoundedSerializerMixin, serializers.ModelSerializer):
    period = serializers.DateField(help_text="报告期内任一日期；保存为期末日")
    district = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrgKind.DISTRICT),
        allow_null=True,
        required=False,
        default=None,
    )
    submit = serializers.BooleanField(write_only=True, default=True, help_text="false 保存为草稿")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    version = serializers.SerializerMethodField(
        help_text="更正某期数据时原样带回（或用 If-Match），防止覆盖他人在此期间的修改"
    )

    class Meta:
        model = DataValue
        fields = [
            "id",
            "indicator",
            "period",
            "district",
            "value",
            "note",
            "status",
            "status_display",
            "return_comment",
            "reporting_org",
            "submitted_at",
            "approved_at",
            "is_demo",
            "submit",
            "warnings",
            "version",
        ]
        read_only_fields = [
            "status",
            "return_comment",
            "reporting_org",
            "submitted_at",
            "approved_at",
            "is_demo",
        ]

    def get_version(self, obj) -> str:
        return versions.version_of(obj)


class DataValueViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Filters: indicator, district (id or `city`), status, period_from, period_to. POST reports a value
    (the same period again corrects it); approve/return are for the programme office."""

    serializer_class = DataValueSerializer
    permission_classes = [MemberPermission]

    def get_queryset(self):
        qs = DataValue.objects.all().order_by("indicator_id", "period", "district_id")
        p = self.request.query_params
        try:
            if v := bounds.query_id(p, "indicator", "指标"):
                qs = qs.filter(indicator_id=v)
            if p.get("district", "") == "city":
                qs = qs.filter(district__isnull=True)
            elif v := bounds.query_id(p, "district", "区"):
                qs = qs.filter(district_id=v)
        except bounds.OutOfBounds as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        if v := p.get("status"):
            qs = qs.filter(status=v)
        for key, lookup in (("period_from", "period__gte"), ("period_to", "period__lte")):
            if v := p.get(key):
                try:
                    qs = qs.filter(**{lookup: bounds.date(v, key)})
                except bounds.OutOfBounds as exc:
                    raise ValidationError({key: str(exc)}) from exc
        return qs

    def create(self, request, *args, **kwargs):
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        profile = services.profile_of(d["indicator"])
        if not services.can_report(request.user, profile, d.get("district")):
            raise PermissionDenied("您所在单位不是该指标的报送单位。")
        try:
            dv, warnings = services.save_value(
                request.user,
                d["indicator"],
                d["period"],
                d.get("district"),
                d["value"],
                d.get("note", ""),
                d.get("submit", True),
                version=versions.sent_version(request),
            )
        except services.ReportError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        except versions.Stale as exc:
            return versions.conflict_response(exc)
        data = self.get_serializer(dv).data
        data["warnings"] = warnings
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": versions.etag_of(dv)})

    def retrieve(self, request, *args, **kwargs):
        return versions.tagged(super().retrieve(request, *args, **kwargs))

    @extend_schema(request=None, responses=DataValueSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(lambda dv: services.approve(request.user, dv))

    @extend_schema(
        request=inline_serializer("ReturnValue", {"comment": serializers.CharField()}),
        responses=DataValueSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._decide(
            lambda dv: services.return_value(request.user, dv, request.data.get("comment", ""))
        )

    def _decide(self, fn):
        from newinfra.orgs.permissions import is_office

        if not is_office(self.request.user):
            raise PermissionDenied("只有统筹办可以审核指标数据。")
        dv = self.get_object()
        try:
            fn(dv)
        except services.ReportError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(self.get_serializer(dv).data)


@extend_schema(
    parameters=[
        OpenApiParameter("as_of", str, description="评估基准日 YYYY-MM-DD，默认今天"),
        OpenApiParameter("plan", int),
    ],
    responses=inline_serializer(
        "Attainment",
        {
            "target": serializers.IntegerField(),
            "plan": serializers.IntegerField(),
            "indicator": serializers.CharField(),
            "target_value": serializers.FloatField(),
            "comparator": serializers.CharField(),
            "year": serializers.IntegerField(),
            "value": serializers.FloatField(),
            "progress": serializers.FloatField(),
            "elapsed": serializers.FloatField(),
            "forecast": serializers.FloatField(),
            "status": serializers.CharField(),
            "status_label": serializers.CharField(),
            "explanation": serializers.CharField(),
            "overdue_periods": serializers.ListField(child=serializers.DateField()),
        },
        many=True,
    ),
)
@api_view(["GET"])
def attainment(request):
    """Per target: latest approved value, progress, time elapsed, forecast and status."""
    if not MemberPermission().has_permission(request, None):
        raise PermissionDenied(MemberPermission.message)
    raw = request.query_params.get("as_of")
    try:
        as_of = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError as exc:
        raise ValidationError({"as_of": "日期格式应为 YYYY-MM-DD。"}) from exc
    rows = attainment_rows(as_of=as_of)
    if (plan := request.query_params.get("plan", "")).isdigit():
        rows = [r for r in rows if r.target.plan_id == int(plan)]
    return Response(
        [
            {
                "target": r.target.pk,
                "plan": r.target.plan_id,
                "indicator": r.target.indicator.name,
                "target_value": float(r.target.value),
                "comparator": r.target.comparator,
                "year": r.target.year,
                "value": r.attainment.current,
                "progress": r.attainment.progress,
                "elapsed": r.attainment.elapsed,
                "forecast": r.attainment.forecast,
                "status": r.attainment.status,
                "status_label": STATUS_LABELS[r.attainment.status],
                "explanation": r.attainment.explanation,
                "overdue_periods": r.overdue,
            }
            for r in rows
        ]
    )


class NoticeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_display", "title", "body", "link", "created_at", "read_at"]
        read_only_fields = fields


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The notices of the user's organisation; ?unread=1 for the unread ones; POST …/read/ marks one read."""

    serializer_class = NoticeSerializer
    permission_classes = [MemberPermission]

    def get_queryset(self):
        m = membership(self.request.user)
        qs = Notice.objects.filter(organization=m.organization) if m else Notice.objects.none()
        if self.request.query_params.get("unread") == "1":
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = self.get_object()
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
        return Response(self.get_serializer(notice).data)


class EvaluationSerializer(serializers.ModelSerializer):
    phase_display = serializers.CharField(source="get_phase_display", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "name", "phase", "phase_display", "as_of", "frozen_at", "frozen_by", "snapshot"]
        read_only_fields = fields


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    """Frozen evaluations with their whole snapshot (targets, tasks, library, scorecards)."""

    serializer_class = EvaluationSerializer
    permission_classes = [MemberPermission]
    queryset = Evaluation.objects.filter(is_active=True)
