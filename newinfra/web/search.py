"""Search from the header: tasks, projects, indicators, organisations and plans, by kind.

Each kind is searched only when the user may open its pages, and within the records the user may
see: projects through `projects.permissions.visible_projects`, the rest are public plan records
(active, in an active plan). Every kind costs two queries (the first rows and the count),
whatever the size of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import may_open
from newinfra.plans.models import PLAN_TEXTS, Indicator, Plan, Task, with_plan
from newinfra.projects.permissions import visible_projects
from newinfra.utilities.text_search import contains_q

PER_KIND = 20
MAX_QUERY = 100


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more_url: str = ""


def _tasks(user, q):
    qs = with_plan(Task.objects.filter(is_active=True, plan__is_active=True))
    qs = qs.filter(contains_q(q, "title", "text") | Q(number=q)).order_by("plan_id", "order")
    hits = [
        Hit(f"{t.number}. {t.title}", reverse("task-detail", args=[t.pk]), t.plan.title)
        for t in qs[:PER_KIND]
    ]
    return hits, qs.count(), reverse("ledger") + "?" + _qs(q)


def _projects(user, q):
    qs = visible_projects(user).filter(contains_q(q, "name", "code")).select_related("declarant")
    qs = qs.order_by("-id")
    hits = [
        Hit(
            p.name,
            reverse("project-detail", args=[p.pk]),
            f"{p.code} · {p.declarant.name} · {p.get_status_display()}",
        )
        for p in qs[:PER_KIND]
    ]
    return hits, qs.count(), reverse("project-list") + "?" + _qs(q)


def _indicators(user, q):
    qs = Indicator.objects.filter(
        contains_q(q, "name"), targets__is_active=True, targets__plan__is_active=True
    )
    qs = qs.distinct().order_by("name")
    hits = [Hit(i.name, reverse("indicator-detail", args=[i.pk]), i.unit) for i in qs[:PER_KIND]]
    return hits, qs.count(), ""


def _organizations(user, q):
    qs = Organization.objects.filter(is_active=True).filter(contains_q(q, "name", "aliases__name"))
    qs = qs.distinct().order_by("kind", "name")
    hits = [
        Hit(o.name, reverse("organization-detail", args=[o.pk]), o.get_kind_display()) for o in qs[:PER_KIND]
    ]
    return hits, qs.count(), ""


def _plans(user, q):
    qs = Plan.objects.filter(contains_q(q, "title"), is_active=True).defer(*PLAN_TEXTS).order_by("id")
    hits = [Hit(p.title, reverse("plan-detail", args=[p.pk]), p.period or "") for p in qs[:PER_KIND]]
    return hits, qs.count(), ""


def _qs(q: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": q})


# kind, label, the page its results open, the search
KINDS = [
    ("tasks", "任务", "task-detail", _tasks),
    ("projects", "项目", "project-detail", _projects),
    ("indicators", "指标", "indicator-detail", _indicators),
    ("organizations", "单位", "organization-detail", _organizations),
    ("plans", "规划", "plan-detail", _plans),
]


def search(user, q: str) -> list[Group]:
    """Results for `q` (already Simplified), grouped by kind, only of kinds the user may open."""
    q = (q or "").strip()[:MAX_QUERY]
    if not q:
        return []
    groups = []
    for key, label, page, find in KINDS:
        if not may_open(user, page):
            continue
        hits, total, more = find(user, q)
        groups.append(Group(key, label, hits, total, more if total > len(hits) else ""))
    return groups
