from rest_framework.permissions import SAFE_METHODS, BasePermission

from newinfra.orgs.permissions import can_change_task, can_read, is_office
from newinfra.plans.models import Task


class RoleWritePermission(BasePermission):
    """Reads for every member; writes by role, and for tasks by responsible organisation."""

    message = "您所在单位或角色无权修改此记录。"

    def has_permission(self, request, view) -> bool:
        if not can_read(request.user):
            return False
        if request.method in SAFE_METHODS:
            return True
        if request.method in ("PUT", "PATCH") and getattr(view, "basename", "") == "task":
            return True  # decided per task in has_object_permission
        return is_office(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if isinstance(obj, Task):
            return can_change_task(request.user, obj)
        return is_office(request.user)
