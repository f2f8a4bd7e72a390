from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from newinfra.plans.admin import NoDelete

from .models import (
    AdjustmentRequest,
    AnnualInvestment,
    DispatchReport,
    GreenChannelItem,
    Project,
    ProjectEvent,
    ProjectFlag,
    RollingConfirmation,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False


class FlagInline(ReadOnlyInline):
    model = ProjectFlag


class GreenInline(ReadOnlyInline):
    model = GreenChannelItem


class AnnualInline(ReadOnlyInline):
    model = AnnualInvestment


@admin.register(Project)
class ProjectAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["code", "name", "declarant", "domain", "total_investment", "status", "stage", "is_demo"]
    list_filter = ["status", "stage", "domain", "is_demo", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["declarant", "competent", "districts"]
    raw_id_fields = ["tasks"]
    # Status and stage move only through the review workflow, where each step is recorded.
    readonly_fields = [
        "status",
        "stage",
        "admitted_on",
        "invested_to_date",
        "progress_pct",
        "last_report_month",
    ]
    inlines = [AnnualInline, FlagInline, GreenInline]


@admin.register(DispatchReport)
class DispatchReportAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = [
        "project",
        "month",
        "invested_month",
        "invested_cumulative",
        "progress_pct",
        "problem_unit",
    ]
    list_filter = ["month", "problem_resolved"]
    raw_id_fields = ["project"]
    # Figures change through the dispatch form or import, which check them against their neighbours.
    readonly_fields = ["invested_month", "invested_cumulative", "progress_pct"]


@admin.register(ProjectEvent)
class ProjectEventAdmin(admin.ModelAdmin):
    list_display = ["project", "action", "from_state", "to_state", "user", "at"]
    list_filter = ["action"]
    raw_id_fields = ["project"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (AdjustmentRequest, RollingConfirmation):
    admin.site.register(
        model, type(f"{model.__name__}Admin", (NoDelete, SimpleHistoryAdmin), {"raw_id_fields": ["project"]})
    )
