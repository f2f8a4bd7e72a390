from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, IndicatorAlias, Plan, Responsibility, Target, Task


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: nothing is hard-deleted


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Plan)
class PlanAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["title", "period_start", "period_end", "source_name", "loaded_at", "is_active"]
    exclude = ["document"]


@admin.register(Task)
class TaskAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["number", "title", "plan", "deadline", "deadline_date", "is_active"]
    list_filter = ["plan", "is_active"]
    search_fields = ["title", "text"]
    inlines = [ResponsibilityInline]


@admin.register(Target)
class TargetAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["text", "indicator", "value", "unit", "comparator", "year", "plan"]
    list_filter = ["plan", "year"]
    search_fields = ["text", "indicator__name"]


class IndicatorAliasInline(admin.TabularInline):
    model = IndicatorAlias
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["name", "unit"]
    search_fields = ["name", "aliases__name"]
    inlines = [IndicatorAliasInline]
