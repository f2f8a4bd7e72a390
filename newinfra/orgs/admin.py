from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Organization, OrganizationAlias


class AliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "aliases__name"]
    inlines = [AliasInline]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: nothing is hard-deleted


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["organization"]
