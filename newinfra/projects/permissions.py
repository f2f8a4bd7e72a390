"""Who sees and does what in the project library, for pages and API alike.

- 申报单位 see and edit their own organisation's projects (edit only while 草稿 or 退回修改).
- 责任单位 (a department or a district government) review what is in their competence: the projects
  they are the 初审单位 of and, for a district, every project in the district; they also see
  projects whose dispatch routed a problem to them. Drafts stay with the declarant.
- 统筹办 and 管理员 see every declared project, do the 复核, manage stages, flags and the annual roll.
- 领导 read every declared project.
"""

from __future__ import annotations

from django.db.models import Q

from newinfra.orgs.models import OrgKind, Role
from newinfra.orgs.permissions import is_office, membership

from .models import DispatchReport, Project, Stage, Status


def _role(user):
    m = membership(user)
    return (m.role, m.organization) if m else (None, None)


def visible_projects(user, queryset=None):
    qs = Project.objects.active() if queryset is None else queryset
    role, org = _role(user)
    if getattr(user, "is_superuser", False) or role in (Role.ADMIN, Role.OFFICE, Role.LEADER):
        return qs.exclude(status=Status.DRAFT)
    if role == Role.DECLARANT:
        return qs.filter(declarant=org)
    if role == Role.RESPONSIBLE:
        # One non-correlated IN (a UNION of three indexed lookups): the database builds the set
        # once and reads only those projects, instead of testing every project of the library.
        competence = (
            Project.objects.filter(competent=org)
            .order_by()
            .values("pk")
            .union(DispatchReport.objects.filter(problem_unit=org).order_by().values("project_id"))
        )
        if org.kind == OrgKind.DISTRICT:
            competence = competence.union(
                Project.districts.through.objects.filter(organization=org).order_by().values("project_id")
            )
        return qs.filter(pk__in=competence).exclude(status=Status.DRAFT)
    return qs.none()


def invisible_projects(user):
    """The projects a user with scope "all" does not see (drafts, deactivated): few, by design."""
    return Project.objects.filter(Q(is_active=False) | Q(status=Status.DRAFT))


def visibility_scope(user) -> str:
    """Users with the same scope see the same projects (a key for cached results)."""
    role, org = _role(user)
    if getattr(user, "is_superuser", False) or role in (Role.ADMIN, Role.OFFICE, Role.LEADER):
        return "all"
    return f"{role}:{org.pk if org else 0}"


def is_declarant_of(user, project: Project) -> bool:
    role, org = _role(user)
    return role == Role.DECLARANT and org is not None and org.pk == project.declarant_id


def can_declare(user) -> bool:
    return _role(user)[0] == Role.DECLARANT


def can_edit(user, project: Project) -> bool:
    return is_declarant_of(user, project) and project.editable_by_declarant and project.is_active


def can_first_review(user, project: Project) -> bool:
    role, org = _role(user)
    if project.status != Status.SUBMITTED or role != Role.RESPONSIBLE:
        return False
    return org.pk == project.competent_id


def can_office_review(user, project: Project) -> bool:
    return project.status == Status.FIRST_REVIEWED and is_office(user)


def can_change_stage(user, project: Project) -> bool:
    if not project.is_admitted or project.stage in (Stage.REMOVED, Stage.COMPLETED):
        return False
    return is_office(user) or is_declarant_of(user, project)


def can_remove(user, project: Project) -> bool:
    return project.is_admitted and project.stage != Stage.REMOVED and is_office(user)


def can_report_dispatch(user, project: Project) -> bool:
    if not project.is_admitted or project.stage == Stage.REMOVED:
        return False
    return is_office(user) or is_declarant_of(user, project)


def can_request_adjustment(user, project: Project) -> bool:
    return project.is_admitted and project.stage != Stage.REMOVED and is_declarant_of(user, project)


def can_manage(user) -> bool:
    """Flags, green-channel items, adjustments' approval and the annual roll: the programme office."""
    return is_office(user)


# The transitions a project page or the API may ask for, and who may ask.
TRANSITIONS = {
    "submit": can_edit,
    "first_approve": can_first_review,
    "first_return": can_first_review,
    "admit": can_office_review,
    "office_return": can_office_review,
    "reject": can_office_review,
    "stage": can_change_stage,
    "remove": can_remove,
}


def can_transition(user, project: Project, action: str) -> bool:
    check = TRANSITIONS.get(action)
    return bool(check and check(user, project))
