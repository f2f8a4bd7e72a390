"""Who may see and change what, decided in one place for pages and API alike.

Plans are public documents inside the administration: every signed-in user with a membership
reads plans, tasks, targets and organisations. Changes depend on the role and the organisation:
- 管理员 and 统筹办 change everything;
- 责任单位 change the tasks their organisation is responsible for (lead or co), nothing else;
- 申报单位 and 领导 change nothing here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

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


def sees_city_wide(user) -> bool:
    """The programme office and leaders see every unit's rows; a unit sees its own."""
    m = membership(user)
    return is_office(user) or (m is not None and m.role == Role.LEADER)


# --- Who opens which page and API endpoint ----------------------------------------------------------
#
# Every URL of the platform belongs to one area; an area names the roles that may open it (GET, HEAD)
# and the roles that may send to it (POST, PUT, PATCH, DELETE). The page middleware and the API's
# permission class both ask `may_open`, and so does the navigation: a link is shown exactly when the
# page behind it opens. Within an area the views still decide per record (whose project, whose task).

EVERYONE = frozenset(Role)
GOVERNMENT = frozenset({Role.ADMIN, Role.OFFICE, Role.RESPONSIBLE, Role.LEADER})
UNITS = frozenset({Role.ADMIN, Role.OFFICE, Role.RESPONSIBLE})
OFFICE = frozenset(OFFICE_ROLES)
NOT_LEADER = EVERYONE - {Role.LEADER}
DECLARING = frozenset({Role.ADMIN, Role.OFFICE, Role.DECLARANT})


@dataclass(frozen=True)
class Area:
    label: str  # what the area is, in the interface's words
    audience: str  # who may open it, for the refusal message
    read: frozenset
    write: frozenset
    # A further rule on the URL's arguments (a unit opens its own dashboard only).
    rule: Callable | None = None

    def with_rule(self, rule: Callable) -> Area:
        return Area(self.label, self.audience, self.read, self.write, rule)


def _own_unit(user, kwargs) -> bool:
    m = membership(user)
    return sees_city_wide(user) or (m is not None and str(m.organization_id) == str(kwargs.get("pk")))


PERSONAL = Area("个人页面", "所有用户", EVERYONE, EVERYONE)
READING = Area("首页与搜索", "所有用户", EVERYONE, frozenset())
PLANS = Area("规划、任务与目标", "所有用户", EVERYONE, OFFICE)
TASKS = Area("任务", "所有用户", EVERYONE, UNITS)
PROJECTS = Area("项目库", "所有用户（各自可见的项目）", EVERYONE, NOT_LEADER)
PROJECT_WORK = Area("项目办理", "申报单位、责任单位和统筹办", NOT_LEADER, NOT_LEADER)
PROJECT_IMPORT = Area("项目 Excel 导入", "申报单位和统筹办", DECLARING, DECLARING)
MONITORING = Area("督办、监测与总览", "政府部门和领导", GOVERNMENT, UNITS)
EVALUATION = Area("阶段评估", "政府部门和领导", GOVERNMENT, OFFICE)
UNIT_VIEW = Area("单位看板", "本单位、统筹办和领导", GOVERNMENT, OFFICE, _own_unit)
REPORTING = Area("报送", "责任单位和统筹办", UNITS, UNITS)
OFFICE_WORK = Area("统筹办业务", "统筹办", OFFICE, OFFICE)

# Pages by URL name; API endpoints by "api:" and their URL name. OPEN needs no membership.
OPEN = None
URL_AREAS: dict[str, Area | None] = {
    "favicon.ico": OPEN,
    "login": OPEN,
    "logout": OPEN,
    "set-script": OPEN,
    "home": READING,
    "search": READING,
    "notices": PERSONAL,
    # plans, the ledger, targets, organisations: public inside the administration
    "plan-list": PLANS,
    "plan-detail": PLANS,
    "ledger": PLANS,
    "task-detail": PLANS,
    "target-list": PLANS,
    "indicator-detail": PLANS,
    "organization-list": PLANS,
    "organization-detail": PLANS,
    "plan-upload": OFFICE_WORK,
    "plan-proofread": OFFICE_WORK,
    "plan-revision": OFFICE_WORK,
    # the units' own work
    "my-tasks": REPORTING,
    "task-progress": REPORTING,
    "task-post-progress": REPORTING,
    "task-closure": REPORTING,
    "indicator-report": REPORTING,
    "value-import": REPORTING,
    "value-template": REPORTING,
    # monitoring, supervision, dashboards, evaluations: the government's internal work
    "monitor": MONITORING,
    "dashboard": MONITORING,
    "dashboard-plan": MONITORING,
    "dashboard-unit": UNIT_VIEW,
    "supervision": MONITORING,
    "order-detail": MONITORING,
    "evidence": MONITORING,
    "evaluation-list": EVALUATION,
    "evaluation-detail": EVALUATION,
    "geo-coverage": MONITORING,
    "geo-layers": MONITORING,
    "geo-layer": MONITORING,
    "geo-facility": MONITORING,
    # the programme office's desk
    "value-review": OFFICE_WORK,
    "value-decide": OFFICE_WORK,
    "indicator-profile": OFFICE_WORK,
    "order-new": OFFICE_WORK,
    "order-batch": OFFICE_WORK,
    "evaluation-void": OFFICE_WORK,
    "closure-decide": OFFICE_WORK,
    "geo-import": OFFICE_WORK,
    "geo-template": OFFICE_WORK,
    "geo-layer-toggle": OFFICE_WORK,
    "geo-facility-toggle": OFFICE_WORK,
    "geo-coverage-record": OFFICE_WORK,
    "adjustment-decide": OFFICE_WORK,
    "green-update": OFFICE_WORK,
    "flag-update": OFFICE_WORK,
    "project-flag": OFFICE_WORK,
    "project-green": OFFICE_WORK,
    # the project library: each sees the projects visible to it (projects/permissions.py)
    "project-list": PROJECTS,
    "project-detail": PROJECTS,
    "project-stats": PROJECTS,
    "project-roll": PROJECTS,
    "project-dispatch-export": PROJECTS,
    "geo-map": PROJECTS,
    "geo-map-png": PROJECTS,
    "geo-district": PROJECTS,
    "project-new": PROJECT_WORK,
    "project-review": PROJECT_WORK,
    "project-edit": PROJECT_WORK,
    "project-action": PROJECT_WORK,
    "project-dispatch": PROJECT_WORK,
    "project-adjust": PROJECT_WORK,
    "problem-resolve": PROJECT_WORK,
    "project-import": PROJECT_IMPORT,
    "project-template": PROJECT_IMPORT,
    # API
    "api:api-root": PLANS,
    "api:api-token": OPEN,
    "api:api-schema": OPEN,
    "api:api-docs": OPEN,
    "api:plan-list": PLANS,
    "api:plan-detail": PLANS,
    "api:plan-publish": OFFICE_WORK,
    "api:plan-withdraw": OFFICE_WORK,
    "api:section-list": PLANS,
    "api:section-detail": PLANS,
    "api:target-list": PLANS,
    "api:target-detail": PLANS,
    "api:indicator-list": PLANS,
    "api:indicator-detail": PLANS,
    "api:organization-list": PLANS,
    "api:organization-detail": PLANS,
    "api:api-geo-districts": PLANS,
    "api:task-list": TASKS,
    "api:task-detail": TASKS,
    "api:project-list": PROJECTS,
    "api:project-detail": PROJECTS,
    "api:project-transition": PROJECT_WORK,
    "api:dispatch-report-list": PROJECTS,
    "api:dispatch-report-detail": PROJECTS,
    "api:notice-list": PERSONAL,
    "api:notice-detail": PERSONAL,
    "api:notice-read": PERSONAL,
    "api:data-value-list": MONITORING,
    "api:data-value-detail": MONITORING,
    "api:data-value-approve": OFFICE_WORK,
    "api:data-value-return-": OFFICE_WORK,
    "api:api-attainment": MONITORING,
    "api:evaluation-list": EVALUATION,
    "api:evaluation-detail": EVALUATION,
    "api:api-geo-coverage": MONITORING,
    "api:geo-layer-api-list": MONITORING,
    "api:geo-layer-api-detail": MONITORING,
    "api:geo-layer-api-facilities": MONITORING,
}
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
logger = logging.getLogger(__name__)


def url_key(match) -> str | None:
    """The key of a resolved URL in URL_AREAS (None for the admin site, which keeps its own rules)."""
    if match is None or "admin" in match.namespaces:
        return None
    name = match.url_name or str(match.route)
    return f"api:{name}" if str(match.route).startswith("api/") else name


def area_of(key: str) -> Area | None:
    if key not in URL_AREAS:
        # A URL nobody placed is closed to everyone but the programme office (and fails the matrix test).
        logger.warning("URL %s has no area in orgs.permissions.URL_AREAS; only the office may open it", key)
        return OFFICE_WORK
    return URL_AREAS[key]


def may_open(user, key: str, method: str = "GET", kwargs: dict | None = None) -> bool:
    """May this user open (or, for a write method, send to) the page or endpoint named `key`?"""
    area = area_of(key)
    if area is OPEN or getattr(user, "is_superuser", False):
        return True
    m = membership(user)
    if m is None:
        return False
    roles = area.read if method.upper() in READ_METHODS else area.write
    if m.role not in roles or m.role not in area.read:
        return False
    return area.rule is None or area.rule(user, kwargs or {})


def refusal(user, key: str, method: str = "GET") -> str:
    """Why `may_open` said no, in the interface's words."""
    area = area_of(key) or PERSONAL
    m = membership(user)
    if m is None:
        return "您的账号尚未分配单位，请联系管理员。"
    if method.upper() not in READ_METHODS and m.role in area.read:
        return f"{area.label}：您的角色（{m.get_role_display()}）只能查看，不能修改。"
    return f"{area.label}仅对{area.audience}开放，您的角色（{m.get_role_display()}）不能查看。"


class AreaPermission:
    """DRF permission: the endpoint's area decides, as for pages (token users are known only here)."""

    message = "您所在单位或角色无权访问此接口。"

    def has_permission(self, request, view) -> bool:
        match = getattr(request, "resolver_match", None)
        key = url_key(match)
        if key is None:
            return True
        if not may_open(request.user, key, request.method, match.kwargs):
            self.message = refusal(request.user, key, request.method)
            return False
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        return True
