"""待办: what each role has to do now, counted, each entry a link to the page where it is done.

One function, ``todos_for(user)``, used by the home page (and anything else that shows to-dos).
The number of queries is fixed per role whatever the amount of data: counts are aggregates, and
the few items shown under an entry are read with one bounded query each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from newinfra.orgs.models import Role
from newinfra.orgs.permissions import is_office, membership

SHOWN = 5  # items listed under an entry; the count tells the rest


@dataclass
class TodoLine:
    text: str
    link: str
    days: int | None = None  # days waiting or overdue
    note: str = ""


@dataclass
class Todo:
    key: str
    label: str
    count: int
    link: str
    lines: list[TodoLine] = field(default_factory=list)
    tone: str = ""  # "red" for overdue, "amber" for due soon
    hint: str = ""
    listed: int | None = None  # how many lines there are in all, when a line is not one item

    @property
    def more(self) -> int:
        """Lines not shown under the entry."""
        return (self.count if self.listed is None else self.listed) - len(self.lines)


def _days(since, today: dt.date) -> int | None:
    if since is None:
        return None
    day = timezone.localtime(since).date() if isinstance(since, dt.datetime) else since
    return (today - day).days


def _waiting(qs, action: str, today: dt.date, status_label: str) -> tuple[int, list[TodoLine], int | None]:
    """Projects waiting in a review step, the longest-waiting first, with days since they arrived."""
    waiting = qs.annotate(
        arrived=Coalesce(Max("events__at", filter=Q(events__action=action)), Max("events__at"))
    ).order_by("arrived", "pk")
    total = qs.count()
    rows = list(waiting.select_related("declarant")[:SHOWN])
    lines = [
        TodoLine(
            f"{p.name}（{p.declarant.name}）",
            f"/projects/{p.pk}/",
            _days(p.arrived, today),
            f"{status_label}{_days(p.arrived, today)}天" if p.arrived else status_label,
        )
        for p in rows
    ]
    oldest = lines[0].days if lines else None
    return total, lines, oldest


def _item_todo(key: str, label: str, items, tone: str, link: str) -> Todo | None:
    if not items:
        return None
    items = sorted(items, key=lambda i: -i.days)
    lines = [
        TodoLine(
            f"{i.kind_label}：{i.subject}（{i.period}）",
            i.link,
            i.days,
            f"逾期{i.days}天" if i.days > 0 else f"{i.due:%m月%d日}到期",
        )
        for i in items[:SHOWN]
    ]
    return Todo(key, label, len(items), items[0].link if len(items) == 1 else link, lines, tone)


def _overdue(org, today) -> list[Todo | None]:
    """A unit's own reports overdue and due soon, and the projects in its charge lacking 月度调度."""
    from newinfra.supervision import overdue

    late = overdue.overdue_items(today, org)
    soon = overdue.due_soon_items(today, org)
    own_late = [i for i in late if i.kind != "dispatch"]
    own_soon = [i for i in soon if i.kind != "dispatch"]
    projects = [i for i in late if i.kind == "dispatch"]
    return [
        _item_todo("overdue", "逾期未报", own_late, "red", "/supervision/"),
        _item_todo("due_soon", f"{overdue.DUE_SOON_DAYS}天内到期", own_soon, "amber", "/supervision/"),
        _item_todo("projects_overdue", "所辖项目月度调度逾期", projects, "red", "/supervision/#dispatch"),
    ]


def _declarant_dispatch(org, today) -> list[Todo | None]:
    from newinfra.supervision import overdue

    return [
        _item_todo(
            "overdue",
            "月度调度逾期未报",
            overdue.declarant_dispatch(today, org),
            "red",
            "/projects/?dispatch=overdue",
        ),
        _item_todo(
            "due_soon",
            f"{overdue.DUE_SOON_DAYS}天内到期的月度调度",
            overdue.declarant_dispatch(today, org, soon=True),
            "amber",
            "/projects/?dispatch=overdue",
        ),
    ]


def _orders(org, today) -> Todo | None:
    from newinfra.supervision.models import SupervisionOrder

    qs = SupervisionOrder.objects.filter(organization=org, state__in=SupervisionOrder.AWAITING_UNIT)
    # Always both queries, so that the count of queries does not depend on the data.
    n = qs.count()
    rows = list(qs.select_related("task", "indicator", "project").order_by("respond_by", "pk")[:SHOWN])
    if not n:
        return None
    lines = [
        TodoLine(
            str(o.subject),
            f"/supervision/orders/{o.pk}/",
            (today - o.respond_by).days,
            ("退回重办，" if o.state == SupervisionOrder.State.RETURNED else "")
            + (
                f"已超过反馈期限{(today - o.respond_by).days}天"
                if o.respond_by < today
                else f"{o.respond_by:%m月%d日}前反馈"
            ),
        )
        for o in rows
    ]
    link = lines[0].link if n == 1 else "/supervision/#orders"
    return Todo("orders", "待反馈的督办", n, link, lines, "red" if rows[0].respond_by < today else "")


def _problems(user, org) -> Todo | None:
    from newinfra.projects.models import DispatchReport

    qs = DispatchReport.objects.filter(problem_unit=org, problem_resolved=False, project__is_active=True)
    # Always both queries, so that the count of queries does not depend on the data.
    n = qs.count()
    rows = list(qs.select_related("project").order_by("month", "pk")[:SHOWN])
    if not n:
        return None
    lines = [
        TodoLine(f"{r.project.name}（{r.month:%Y年%m月}）：{r.problems[:40]}", f"/projects/{r.project_id}/")
        for r in rows
    ]
    return Todo("problems", "需协调解决的问题", n, "/projects/review/#problems", lines)


def _returned_values(org) -> Todo | None:
    from newinfra.indicators.models import DataValue, ValueStatus

    qs = DataValue.objects.filter(status=ValueStatus.RETURNED).filter(
        Q(reporting_org=org) | Q(reporting_org__isnull=True, indicator__profile__responsible=org)
    )
    # Always both queries, so that the count of queries does not depend on the data.
    n = qs.count()
    rows = list(qs.select_related("indicator", "district").order_by("period", "pk")[:SHOWN])
    if not n:
        return None
    lines = [
        TodoLine(
            f"{v.indicator.name} {v.period:%Y-%m}{'（' + v.district.name + '）' if v.district else ''}",
            f"/indicators/{v.indicator_id}/report/",
            note=v.return_comment[:40],
        )
        for v in rows
    ]
    return Todo("returned_values", "被退回的指标数据", n, lines[0].link if n == 1 else "/monitor/", lines)


def _plans_to_proofread() -> Todo | None:
    """Plans uploaded as drafts, and revisions of published plans, wait for the office's proofreading."""
    from django.urls import reverse

    from newinfra.plans.models import PLAN_TEXTS, Plan, PlanRevision, PlanStatus, with_plan

    qs = Plan.objects.filter(is_active=True, status=PlanStatus.DRAFT)
    # Always both queries, so that the count of queries does not depend on the data.
    revisions = PlanRevision.objects.filter(status=PlanRevision.Status.DRAFT, plan__is_active=True)
    n = qs.count() + revisions.count()
    rows = list(qs.defer(*PLAN_TEXTS).order_by("pk")[:SHOWN])
    waiting = list(with_plan(revisions).defer("document", "source_text").order_by("pk")[:SHOWN])
    if not n:
        return None
    lines = [TodoLine(p.title, reverse("plan-proofread", args=[p.pk])) for p in rows] + [
        TodoLine(f"{r.plan.title}（修订稿）", reverse("plan-revision", args=[r.plan_id, r.pk]))
        for r in waiting
    ][:SHOWN]
    return Todo("proofread", "待校对的规划", n, lines[0].link if n == 1 else reverse("plan-list"), lines)


def _office(user, today) -> list[Todo | None]:
    from newinfra.indicators.models import DataValue, ValueStatus
    from newinfra.projects.models import AdjustmentRequest, ProjectEvent, Status
    from newinfra.projects.permissions import visible_projects
    from newinfra.supervision import overdue
    from newinfra.supervision.models import ClosureRequest, SupervisionOrder

    todos: list[Todo | None] = []
    n, lines, oldest = _waiting(
        visible_projects(user).filter(status=Status.FIRST_REVIEWED),
        ProjectEvent.Action.FIRST_APPROVE,
        today,
        "已等待",
    )
    if n:
        todos.append(
            Todo("office_review", "待复核的项目", n, "/projects/review/", lines, hint=f"最长已等待{oldest}天")
        )
    adj = AdjustmentRequest.objects.filter(state=AdjustmentRequest.State.PENDING, project__is_active=True)
    k = adj.count()
    rows = list(adj.select_related("project").order_by("requested_at")[:SHOWN])
    if k:
        todos.append(
            Todo(
                "adjustments",
                "待审批的调整申请",
                k,
                "/projects/review/#adjustments",
                [
                    TodoLine(a.project.name, f"/projects/{a.project_id}/", _days(a.requested_at, today))
                    for a in rows
                ],
            )
        )
    closures = ClosureRequest.objects.filter(state=ClosureRequest.State.PENDING)
    k = closures.count()
    rows = list(closures.select_related("task", "organization").order_by("requested_at")[:SHOWN])
    if k:
        todos.append(
            Todo(
                "closures",
                "待审批的销号申请",
                k,
                f"/tasks/{rows[0].task_id}/" if k == 1 else "/supervision/#closures",
                [
                    TodoLine(
                        f"{c.task.number}. {c.task.title[:30]}（{c.organization.name}）",
                        f"/tasks/{c.task_id}/",
                        _days(c.requested_at, today),
                        f"已等待{_days(c.requested_at, today)}天",
                    )
                    for c in rows
                ],
            )
        )
    answered = SupervisionOrder.objects.filter(state=SupervisionOrder.State.ANSWERED)
    k = answered.count()
    rows = list(
        answered.select_related("task", "indicator", "project", "organization").order_by("respond_by")[:SHOWN]
    )
    if k:
        todos.append(
            Todo(
                "answered_orders",
                "已反馈待办结的督办",
                k,
                f"/supervision/orders/{rows[0].pk}/" if k == 1 else "/supervision/#orders",
                [
                    TodoLine(f"{o.subject}（{o.organization.name}）", f"/supervision/orders/{o.pk}/")
                    for o in rows
                ],
            )
        )
    agg = DataValue.objects.filter(status=ValueStatus.SUBMITTED).aggregate(
        n=Count("pk"), first=Min("submitted_at")
    )
    if agg["n"]:
        todos.append(
            Todo(
                "value_review",
                "待审核的指标数据",
                agg["n"],
                "/monitor/review/",
                hint=f"最早提交于{_days(agg['first'], today)}天前" if agg["first"] else "",
            )
        )
    late = overdue.overdue_items(today)
    unpressed = [i for i in late if not i.open_order]
    if unpressed:
        groups = overdue.by_unit(unpressed)
        todos.append(
            Todo(
                "to_press",
                "逾期未报、尚未督办",
                len(unpressed),
                "/supervision/",
                [
                    TodoLine(
                        f"{g.organization.name}：{len(g.items)}项",
                        "/supervision/#unit-" + str(g.organization.pk),
                        g.max_days,
                        f"最长逾期{g.max_days}天",
                    )
                    for g in groups[:SHOWN]
                ],
                "red",
                hint=f"{len(groups)}个单位",
                listed=len(groups),
            )
        )
    todos.append(_plans_to_proofread())
    return todos


def _responsible(user, org, today) -> list[Todo | None]:
    from newinfra.projects.models import ProjectEvent, Status
    from newinfra.projects.permissions import visible_projects

    todos: list[Todo | None] = []
    n, lines, oldest = _waiting(
        visible_projects(user).filter(status=Status.SUBMITTED, competent=org),
        ProjectEvent.Action.SUBMIT,
        today,
        "已等待",
    )
    if n:
        todos.append(
            Todo("first_review", "待初审的项目", n, "/projects/review/", lines, hint=f"最长已等待{oldest}天")
        )
    todos += _overdue(org, today)
    todos += [_orders(org, today), _returned_values(org), _problems(user, org)]
    return todos


def _declarant(user, org, today) -> list[Todo | None]:
    from newinfra.projects.models import Project, RollingConfirmation, Status

    todos: list[Todo | None] = []
    mine = Project.objects.active().filter(declarant=org)
    counts = mine.aggregate(
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
    )
    returned = list(
        mine.filter(status=Status.RETURNED).annotate(at=Max("events__at")).order_by("at", "pk")[:SHOWN]
    )
    drafts = list(mine.filter(status=Status.DRAFT).order_by("pk")[:SHOWN])
    if counts["returned"]:
        todos.append(
            Todo(
                "returned",
                "退回修改的申报",
                counts["returned"],
                f"/projects/{returned[0].pk}/" if counts["returned"] == 1 else "/projects/?status=returned",
                [TodoLine(p.name, f"/projects/{p.pk}/", _days(p.at, today)) for p in returned],
                "red",
            )
        )
    if counts["drafts"]:
        todos.append(
            Todo(
                "drafts",
                "尚未提交的草稿",
                counts["drafts"],
                f"/projects/{drafts[0].pk}/" if counts["drafts"] == 1 else "/projects/?status=draft",
                [TodoLine(p.name, f"/projects/{p.pk}/") for p in drafts],
            )
        )
    todos += _declarant_dispatch(org, today)
    roll = RollingConfirmation.objects.filter(
        decision=RollingConfirmation.Decision.PENDING, project__declarant=org, project__is_active=True
    )
    if k := roll.count():
        todos.append(Todo("roll", "待确认的年度滚动", k, "/projects/roll/"))
    return todos


def todos_for(user, today: dt.date | None = None) -> list[Todo]:
    """The user's to-dos, in the order they should be done; empty for 领导 (who acts on nothing)."""
    today = today or timezone.localdate()
    m = membership(user)
    if is_office(user):
        items = _office(user, today)
    elif m is None or m.role == Role.LEADER:
        items = []
    elif m.role == Role.RESPONSIBLE:
        items = _responsible(user, m.organization, today)
    elif m.role == Role.DECLARANT:
        items = _declarant(user, m.organization, today)
    else:
        items = []
    return [t for t in items if t is not None and t.count]
