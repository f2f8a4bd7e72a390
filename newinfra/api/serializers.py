from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Plan, Responsibility, Section, Target, Task


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "kind_display", "code", "parent", "aliases", "is_active"]

    def validate(self, attrs):
        instance = Organization(
            **{
                **(
                    {}
                    if not self.instance
                    else {"name": self.instance.name, "kind": self.instance.kind, "code": self.instance.code}
                ),
                **attrs,
            }
        )
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        attrs["code"] = instance.code
        return attrs


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
            "task_count",
            "target_count",
            "loaded_at",
        ]
        read_only_fields = ["key", "script", "source_name", "loaded_at"]


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

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "section_path",
            "number",
            "title",
            "text",
            "deadline",
            "progress_note",
            "lead_units",
            "all_units",
            "responsibilities",
            "responsibility_raw",
        ]
        read_only_fields = ["plan", "section", "number", "responsibility_raw"]

    def _active(self, obj):
        return [r for r in obj.responsibilities.all() if r.is_active]

    @extend_schema_field(ResponsibilitySerializer(many=True))
    def get_responsibilities(self, obj):
        return ResponsibilitySerializer(self._active(obj), many=True).data

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
        ]
        read_only_fields = ["plan", "task", "text", "indicator_as_written", "section_path"]


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
