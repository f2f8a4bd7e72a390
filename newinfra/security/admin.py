from django.contrib import admin

from .models import SignInThrottle


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    """Failed sign-ins; an administrator unlocks a user name or address by clearing its lock."""

    list_display = ("key", "failures", "last_failure", "locked_until")
    search_fields = ("key",)
    actions = ["unlock"]

    @admin.action(description="解除锁定")
    def unlock(self, request, queryset):
        queryset.update(failures=0, locked_until=None)
