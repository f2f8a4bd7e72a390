"""Who may see and change what, decided in one place for pages and API alike.

Plans are public documents inside the administration: every signed-in user with a membership
reads plans, tasks, targets and organisations. Changes depend on the role and the organisation:
- 管理员 and 统筹办 change everything;
- 责任单位 change the tasks their organisation is responsible for (lead or co), nothing else;
- 申报单位 and 领导 change nothing here.
"""

from __future__ import annotations

from django.db.models import Q

from newinfra.utilities.decorators import requires

from .models import Organization, OrgKind, Role

# Units a plan names collectively, and who belongs to them: 各区政府 is every district government.
COLLECTIVE_UNITS = {"各区政府": OrgKind.DISTRICT, "市直职能部门": OrgKind.CITY}

OFFICE_ROLES = {Role.ADMIN, Role.OFFICE}


def membership(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "membership", None)


def can_read(user) -> bool:
    return membership(user) is not None or getattr(user, "is_superuser", False)


# Every page reads by organisation: signed in, and a member of one.
member_required = requires(can_read, "您的账号尚未分配单位，请联系管理员。")


def is_office(user) -> bool:
    m = membership(user)
    return getattr(user, "is_superuser", False) or (m is not None and m.role in OFFICE_ROLES)


def responsible_ids(org: Organization, include_collective: bool = True) -> list[int]:
    """The organisation itself and the collective units it belongs to (天河区政府 → 各区政府)."""
    ids = [org.pk]
    if include_collective and org.name not in COLLECTIVE_UNITS:
        names = [name for name, kind in COLLECTIVE_UNITS.items() if kind == org.kind]
        ids += list(Organization.objects.filter(name__in=names).values_list("pk", flat=True))
    return ids


def responsible_q(org: Organization, include_collective: bool = True, lead: bool | None = None) -> Q:
    """Tasks the organisation answers for: named, or through a collective unit."""
    q = Q(
        responsibilities__organization_id__in=responsible_ids(org, include_collective),
        responsibilities__is_active=True,
    )
    if lead is not None:
        q &= Q(responsibilities__is_lead=lead)
    return q


def can_change_task(user, task) -> bool:
    if is_office(user):
        return True
    m = membership(user)
    if m is None or m.role != Role.RESPONSIBLE:
        return False
    return task.responsibilities.filter(
        organization_id__in=responsible_ids(m.organization), is_active=True
    ).exists()
