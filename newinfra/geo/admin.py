from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from newinfra.plans.admin import NoDelete

from .models import Boundary, CoverageResult, Facility, FacilityLayer


@admin.register(Boundary)
class BoundaryAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["code", "name", "level", "organization", "area_km2"]
    exclude = ["geometry", "geometry_simplified"]
    readonly_fields = ["code", "center_lng", "center_lat", "area_km2", "source"]


@admin.register(FacilityLayer)
class FacilityLayerAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_demo", "is_active", "updated_at"]
    list_filter = ["kind", "is_active", "is_demo"]


@admin.register(Facility)
class FacilityAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["code", "name", "layer", "district", "charging_points", "power_kw", "is_active"]
    list_filter = ["layer", "district", "is_active"]
    search_fields = ["code", "name", "address"]
    raw_id_fields = ["layer"]


@admin.register(CoverageResult)
class CoverageResultAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ["computed_at", "layer", "radius_m", "district_codes", "share", "indicator", "user"]
    list_filter = ["layer", "indicator"]
    readonly_fields = ["per_district"]
