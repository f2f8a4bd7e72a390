import django_filters
from django.db.models import Q

from newinfra.orgs.models import Organization
from newinfra.utilities import bounds
from newinfra.utilities.script import to_simplified
from newinfra.utilities.text_search import contains_q

from .models import Target, Task


def organization_for(value: str) -> Organization | None:
    value = (value or "").strip()
    if value.isdigit():
        try:
            return Organization.objects.filter(pk=bounds.identifier(value)).first()
        except bounds.OutOfBounds:
            return None
    return Organization.objects.resolve(to_simplified(value))


def _tasks_where(q: Q):
    """The keys of the tasks a condition on their responsibilities holds for, as a subquery: a
    task with two matching units is one row, without a DISTINCT over every column of the page
    (and of its count)."""
    return Task.objects.filter(q).values("pk")


@bounds.bounded_filterset
class TaskFilterSet(django_filters.FilterSet):
    plan = bounds.id_filter(field_name="plan_id")
    section = bounds.id_filter(method="filter_section")
    unit = django_filters.CharFilter(method="filter_unit", label="责任单位（名称或编号）")
    role = django_filters.ChoiceFilter(
        method="filter_role", choices=[("lead", "牵头"), ("co", "参与")], label="牵头/参与"
    )
    q = django_filters.CharFilter(method="filter_text", label="文本搜索")
    # The ledger page sends 1 unless the user unticks it (a district sees 各区政府's tasks);
    # the API widens only on request.
    include_collective = django_filters.CharFilter(
        method="filter_noop", label="含集体单位的任务（如区政府含“各区政府”的任务）"
    )
    due_before = django_filters.DateFilter(
        field_name="deadline_date", lookup_expr="lte", label="完成日期不晚于（YYYY-MM-DD）"
    )
    due_after = django_filters.DateFilter(
        field_name="deadline_date", lookup_expr="gte", label="完成日期不早于（YYYY-MM-DD）"
    )

    class Meta:
        model = Task
        fields = ["plan", "section", "unit", "role", "q", "include_collective", "due_before", "due_after"]

    @property
    def collective_included(self) -> bool:
        """The last value sent wins (the form sends a hidden 0 before the checkbox's 1)."""
        values = self.data.getlist("include_collective") if hasattr(self.data, "getlist") else []
        if not values and "include_collective" in self.data:
            values = [self.data["include_collective"]]
        if not values:
            return False
        return str(values[-1]).lower() not in ("0", "false", "no", "off", "")

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_unit

    def filter_section(self, queryset, name, value):
        from .models import Section

        section = Section.objects.filter(pk=value).first()
        if not section:
            return queryset.none()
        return queryset.filter(Q(section=section) | Q(section__path__startswith=section.path + "/"))

    def filter_unit(self, queryset, name, value):
        org = organization_for(value)
        if org is None:
            return queryset.none()
        from newinfra.orgs.permissions import responsible_q

        role = self.data.get("role")
        collective = self.collective_included
        lead = (role == "lead") if role in ("lead", "co") else None
        return queryset.filter(pk__in=_tasks_where(responsible_q(org, collective, lead)))

    def filter_role(self, queryset, name, value):
        if self.data.get("unit"):
            return queryset  # applied together with the unit
        return queryset.filter(
            pk__in=_tasks_where(
                Q(responsibilities__is_lead=value == "lead", responsibilities__is_active=True)
            )
        )

    def filter_text(self, queryset, name, value):
        value = to_simplified(value)
        return queryset.filter(contains_q(value, "title", "text") | Q(number=value))


@bounds.bounded_filterset
class TargetFilterSet(django_filters.FilterSet):
    plan = bounds.id_filter(field_name="plan_id")
    indicator = bounds.id_filter(field_name="indicator_id")
    task = bounds.id_filter(field_name="task_id")
    year = django_filters.NumberFilter(field_name="year")

    class Meta:
        model = Target
        fields = ["plan", "indicator", "task", "year"]
