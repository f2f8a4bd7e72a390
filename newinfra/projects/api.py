"""`/api/projects/` and `/api/dispatch-reports/`: the library for programs, with the pages' permissions.

Reads are scoped exactly like the pages (a project one may not see is a 404). Writes go through the
same services: a declarant creates and edits drafts and submits them; reviewers and the programme
office move a project with ``POST /api/projects/{id}/transition/``; dispatch reports are created
or corrected with ``POST /api/dispatch-reports/``.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from newinfra.orgs.models import Organization, OrgKind
from newinfra.orgs.permissions import AreaPermission, can_read, membership
from newinfra.utilities import bounds, versions

from . import permissions as perm
from . import services
from .forms import location_error
from .models import DispatchReport, Project, ProjectEvent
from .queries import filter_projects


class MemberPermission(AreaPermission, BasePermission):
    """A member whose role opens the endpoint's area; what a call may do is decided per record."""

    message = "您的账号尚未分配单位，请联系管理员。"

    def has_permission(self, request, view) -> bool:
        return can_read(request.user) and super().has_permission(request, view)


class ProjectSerializer(bounds.BoundedSerializerMixin, serializers.ModelSerializer):
    declarant_name = serializers.CharField(source="declarant.name", read_only=True)
    competent_name = serializers.CharField(source="competent.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    domain_display = serializers.CharField(source="get_domain_display", read_only=True)
    districts = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organization.objects.filter(kind=OrgKind.DISTRICT)
    )
    version = serializers.SerializerMethodField(
        help_text="send it back as If-Match (or version) when editing"
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "declarant",
            "declarant_name",
            "competent",
            "competent_name",
            "districts",
            "domain",
            "domain_display",
            "description",
            "lng",
            "lat",
            "tasks",
            "total_investment",
            "planned_start",
            "planned_finish",
            "contact_name",
            "contact_phone",
            "status",
            "status_display",
            "stage",
            "stage_display",
            "stage_reason",
            "admitted_on",
            "invested_to_date",
            "progress_pct",
            "last_report_month",
            "is_demo",
            "version",
        ]
        read_only_fields = [
            "declarant",
            "status",
            "stage",
            "stage_reason",
            "admitted_on",
            "invested_to_date",
            "progress_pct",
            "last_report_month",
            "is_demo",
        ]

    def get_version(self, obj) -> str:
        return versions.version_of(obj)

    def validate(self, attrs):
        lng = attrs.get("lng", getattr(self.instance, "lng", None))
        lat = attrs.get("lat", getattr(self.instance, "lat", None))
        if error := location_error(lng, lat):
            raise ValidationError({"lng": error})
        competent = attrs.get("competent")
        if competent and competent.kind not in (OrgKind.CITY, OrgKind.DISTRICT):
            raise ValidationError({"competent": "初审单位应为市级部门或区政府。"})
        return attrs


class ProjectViewSet(
    versions.VersionedUpdateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Filters as on the library page: domain, district, stage, status, flag, org, inv_min, inv_max, q."""

    serializer_class = ProjectSerializer
    permission_classes = [MemberPermission]
    version_noun = "项目"

    def get_queryset(self):
        qs = (
            perm.visible_projects(self.request.user)
            .select_related("declarant", "competent")
            .prefetch_related("districts", "tasks")
        )
        if self.action == "list":
            qs, errors = filter_projects(qs, self.request.query_params)
            if errors:
                raise ValidationError({"detail": errors})
        return qs.order_by("-id")

    def perform_create(self, serializer):
        if not perm.can_declare(self.request.user):
            raise PermissionDenied("只有申报单位可以申报项目。")
        with transaction.atomic():
            project = serializer.save(
                declarant=membership(self.request.user).organization, created_by=self.request.user
            )
            services._event(
                project, self.request.user, ProjectEvent.Action.CREATE, "", project.get_status_display()
            )

    def perform_update(self, serializer):
        if not perm.can_edit(self.request.user, serializer.instance):
            raise PermissionDenied("只有申报单位可以修改草稿或退回修改的项目；已入库项目请提交调整申请。")
        serializer.instance._history_user = self.request.user
        serializer.save()

    @extend_schema(
        request=inline_serializer(
            "ProjectTransition",
            {
                "action": serializers.ChoiceField(
                    choices=[
                        "submit",
                        "first_approve",
                        "first_return",
                        "admit",
                        "office_return",
                        "reject",
                        "stage",
                        "remove",
                    ]
                ),
                "stage": serializers.CharField(required=False),
                "comment": serializers.CharField(required=False),
            },
        ),
        responses=ProjectSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        project = self.get_object()
        act = request.data.get("action", "")
        if act not in perm.TRANSITIONS:
            raise ValidationError({"action": "未知的操作。"})
        if not perm.can_transition(request.user, project, act):
            raise PermissionDenied("您所在单位或角色不能对此项目执行该操作，或项目不处于可办理的状态。")
        try:
            services.transition(
                project, request.user, act, request.data.get("comment", ""), request.data.get("stage", "")
            )
        except services.ProjectError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        project.refresh_from_db()
        return Response(ProjectSerializer(project).data)


class DispatchReportSerializer(bounds.BoundedSerializerMixin, serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    month = serializers.CharField(help_text="年-月，例如 2021-06")
    version = serializers.SerializerMethodField(
        help_text="send it back as If-Match (or version) to correct the month"
    )

    def get_version(self, obj) -> str:
        return versions.version_of(obj)

    class Meta:
        model = DispatchReport
        fields = [
            "id",
            "project",
            "month",
            "invested_month",
            "invested_cumulative",
            "progress_pct",
            "milestone",
            "problems",
            "problem_unit",
            "problem_resolved",
            "explanation",
            "reported_at",
            "version",
        ]
        read_only_fields = ["problem_resolved", "reported_at"]
        # POST for a month already reported corrects it: not a uniqueness error
        validators = []

    def validate_month(self, value):
        try:
            return services.month_start(value)
        except services.ProjectError as exc:
            raise ValidationError(exc.messages) from exc

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["month"] = instance.month.strftime("%Y-%m")
        return data


class DispatchReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Filter with ?project=<id>&month=YYYY-MM. POST for a month already reported corrects it."""

    serializer_class = DispatchReportSerializer
    permission_classes = [MemberPermission]

    def get_queryset(self):
        qs = DispatchReport.objects.filter(project__in=perm.visible_projects(self.request.user).values("pk"))
        params = self.request.query_params
        try:
            if project := bounds.query_id(params, "project", "项目"):
                qs = qs.filter(project_id=project)
        except bounds.OutOfBounds as exc:
            raise ValidationError({"project": str(exc)}) from exc
        if m := params.get("month"):
            try:
                qs = qs.filter(month=services.month_start(m))
            except services.ProjectError as exc:
                raise ValidationError({"month": exc.messages}) from exc
        return qs.order_by("project_id", "month")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        project = perm.visible_projects(request.user).filter(pk=data["project"].pk).first()
        if project is None:
            raise PermissionDenied("项目不存在或您无权查看。")
        if not perm.can_report_dispatch(request.user, project):
            raise PermissionDenied("只有已入库项目的申报单位或统筹办可以填报月度调度。")
        # correcting a month already reported: at the version read (If-Match or "version"), if given
        try:
            current = DispatchReport.objects.filter(
                project=project, month=services.month_start(data["month"])
            ).first()
        except services.ProjectError as exc:
            raise ValidationError({"month": exc.messages}) from exc
        if current is not None:
            try:
                versions.check(current, versions.sent_version(request), "月度调度")
            except versions.Stale as exc:
                return versions.conflict_response(exc)
        try:
            report = services.save_dispatch(project, request.user, data["month"], data)
        except services.ProjectError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(
            self.get_serializer(report).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": versions.etag_of(report)},
        )
