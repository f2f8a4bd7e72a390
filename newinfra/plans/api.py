"""REST API of plans, sections, tasks, targets and indicators: serializers and viewsets together."""

from functools import cached_property

from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from newinfra.orgs.permissions import is_office
from newinfra.utilities import versions

from .compare import indicators_with_targets
from .filtersets import TargetFilterSet, TaskFilterSet
from .models import Indicator, Plan, Responsibility, Section, Target, Task, with_plan
from .queries import responsibilities_of_tasks
from .workflow_api import PlanWorkflowMixin, TaskCorrectionMixin


class PlanSerializer(serializers.ModelSerializer):
    task_count = serializers.IntegerField(read_only=True)
    target_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "key",
            "title",
            "script",
            "period_start",
            "period_end",
            "source_name",
            "status",
            "status_reason",
            "published_at",
            "task_count",
            "target_count",
            "loaded_at",
        ]
        read_only_fields = [
            "key",
            "script",
            "source_name",
            "status",
            "status_reason",
            "published_at",
            "loaded_at",
        ]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "plan", "parent", "number", "title", "path", "level"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Responsibility
        fields = ["organization", "organization_name", "is_lead", "name_as_written"]


class TaskSerializer(serializers.ModelSerializer):
    section_path = serializers.CharField(source="section.path", read_only=True, default="")
    responsibilities = serializers.SerializerMethodField()
    lead_units = serializers.SerializerMethodField()
    all_units = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField(
        help_text="修改时原样带回（或用 If-Match），防止覆盖他人的修改"
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "version",
            "plan",
            "section",
            "section_path",
            "number",
            "title",
            "text",
            "deadline",
            "deadline_date",
            "flags",
            "progress_note",
            "lead_units",
            "all_units",
            "responsibilities",
            "responsibility_raw",
        ]
        read_only_fields = ["plan", "section", "number", "responsibility_raw", "flags"]

    def get_version(self, obj) -> str:
        return versions.version_of(obj)

    def validate(self, attrs):
        # A time limit rewritten without a date gets the date it names (2025年6月底前 → 2025-06-30).
        instance = self.instance
        if (
            "deadline" in attrs
            and "deadline_date" not in attrs
            and (instance is None or attrs["deadline"] != instance.deadline)
        ):
            from .services import deadline_date_of

            attrs["deadline_date"] = deadline_date_of(attrs["deadline"], instance.plan if instance else None)
        return attrs

    def _active(self, obj):
        return [r for r in obj.responsibilities.all() if r.is_active]

    @cached_property
    def _responsibility(self):
        # one nested serializer for every row: building its fields per task was half the list's time
        return ResponsibilitySerializer()

    @extend_schema_field(ResponsibilitySerializer(many=True))
    def get_responsibilities(self, obj):
        return [self._responsibility.to_representation(r) for r in self._active(obj)]

    def get_lead_units(self, obj) -> list[str]:
        return [r.organization.name for r in self._active(obj) if r.is_lead]

    def get_all_units(self, obj) -> list[str]:
        return [r.organization.name for r in self._active(obj)]


class TargetSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    task_number = serializers.CharField(source="task.number", read_only=True, default=None)
    display = serializers.CharField(source="display_value", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "task",
            "task_number",
            "indicator",
            "indicator_name",
            "indicator_as_written",
            "text",
            "value",
            "value_max",
            "unit",
            "comparator",
            "year",
            "per_year",
            "section_path",
            "display",
            "flags",
        ]
        read_only_fields = ["plan", "task", "text", "indicator_as_written", "section_path", "flags"]


class IndicatorSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True, source="active_targets")
    conflict = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "description", "targets", "conflict"]

    def get_conflict(self, obj) -> bool:
        """True when plans set different values for this measure."""
        from newinfra.plans.compare import has_conflict

        return has_conflict(obj.active_targets)


class PlanViewSet(PlanWorkflowMixin, viewsets.ModelViewSet):
    """Plans the user may see: published ones; drafts and withdrawn ones too for the office."""

    serializer_class = PlanSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Plan.objects.visible_to(self.request.user)
            .annotate(
                task_count=Count("tasks", filter=Q(tasks__is_active=True), distinct=True),
                target_count=Count("targets", filter=Q(targets__is_active=True), distinct=True),
            )
            .order_by("id")
        )


class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SectionSerializer
    filterset_fields = ["plan"]

    def get_queryset(self):
        return Section.objects.filter(plan__in=Plan.objects.visible_to(self.request.user)).order_by(
            "plan_id", "order"
        )


class TaskViewSet(versions.VersionedUpdateMixin, TaskCorrectionMixin, viewsets.ModelViewSet):
    serializer_class = TaskSerializer
    version_noun = "任务"
    filterset_class = TaskFilterSet
    # PATCH only: a whole-record PUT would bypass the reason and the notices of edit_task
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return (
            with_plan(Task.objects.visible_to(self.request.user))
            .select_related("section")
            .prefetch_related(Prefetch("responsibilities", queryset=responsibilities_of_tasks()))
            .order_by("plan_id", "order")
        )

    def perform_update(self, serializer):
        # A responsible unit reports progress; the task's wording belongs to the programme office.
        if not is_office(self.request.user):
            changed = {
                k for k, v in serializer.validated_data.items() if getattr(serializer.instance, k) != v
            }
            if changed - {"progress_note"}:
                raise PermissionDenied("责任单位只能填写进展情况，任务内容由统筹办维护。")
        serializer.save()


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet

    def get_queryset(self):
        return (
            Target.objects.visible_to(self.request.user)
            .select_related("indicator", "task")
            .order_by("plan_id", "order")
        )


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        return indicators_with_targets().order_by("name")
