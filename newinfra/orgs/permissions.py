"""Who may see and change what, decided in one place for pages and API alike.

Plans are public documents inside the administration: every signed-in user with a membership
reads plans, tasks, targets and organisations. Changes depend on the role and the organisation:
- 管理员 and 统筹办 change everything;
- 责任单位 change the tasks their organisation is responsible for (lead or co), nothing else;
- 申报单位 and 领导 change nothing here.
"""

from __future__ import annotations

from .models import Role

OFFICE_ROLES = {Role.ADMIN, Role.OFFICE}


def membership(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "membership", None)


def can_read(user) -> bool:
    return membership(user) is not None or getattr(user, "is_superuser", False)


def is_office(user) -> bool:
    m = membership(user)
    return getattr(user, "is_superuser", False) or (m is not None and m.role in OFFICE_ROLES)


def can_change_task(user, task) -> bool:
    if is_office(user):
        return True
    m = membership(user)
    if m is None or m.role != Role.RESPONSIBLE:
        return False
    return task.responsibilities.filter(organization_id=m.organization_id, is_active=True).exists()


def changeable_tasks(user, queryset):
    """The tasks of ``queryset`` the user may change."""
    if is_office(user):
        return queryset
    m = membership(user)
    if m is None or m.role != Role.RESPONSIBLE:
        return queryset.none()
    return queryset.filter(
        responsibilities__organization_id=m.organization_id, responsibilities__is_active=True
    ).distinct()
