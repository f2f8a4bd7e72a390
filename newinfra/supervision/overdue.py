"""Everything a unit owes and has not delivered, as one kind of item: what, who, since when.

Indicator values, quarterly task progress and projects' 月度调度 are all "reports" with a due
date; an item past its due date is overdue (逾期天数 counted from the due date), an item due in the
next ``DUE_SOON_DAYS`` days is due soon. Each item knows the page where it is done and what a
督办 about it says, so that 督办 from any overdue item is pre-filled and 批量督办 is one click.
The number of queries does not grow with the data.

The lists are cached (they took some 40 ms, on the office's home page and 督办 alike), keyed on
the day and on the data versions of everything they are read from: ``values`` (indicator values,
reporting settings, plans, tasks, units' responsibilities, targets), ``library`` (projects and
their monthly dispatch) and ``reports`` (task progress, task states, organisations; raised by
``connect_signals``). Which 督办 already presses an item is read fresh on every call. A short
lifetime bounds the damage should a write path ever forget to raise a version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from newinfra.indicators.models import (
    DataValue,
    Frequency,
    IndicatorProfile,
    period_end,
    period_label,
    previous_period_end,
)
from newinfra.indicators.services import REPORTED
from newinfra.plans.models import Responsibility, Target, with_plan
from newinfra.projects import queries as project_queries
from newinfra.utilities.held import held

from . import services
from .models import ProgressReport, SupervisionOrder, TaskState, TaskStatus

DUE_SOON_DAYS = 7
ORDER_DAYS = 10  # a 督办 from an overdue item asks for an answer within ten days

KIND_LABELS = {"value": "指标数据", "task": "任务进展", "dispatch": "月度调度"}


@dataclass
class OverdueItem:
    kind: str  # value | task | dispatch
    organization: object
    subject: str
    period: str
    due: dt.date
    link: str  # where the report is made
    task: object = None
    indicator: object = None
    project: object = None
    as_of: dt.date = field(default_factory=dt.date.today)
    open_order: object = None  # a 督办 already waiting for the unit on the same subject

    @property
    def key(self) -> str:
        target = (self.task or self.indicator or self.project).pk
        return f"{self.kind}:{target}:{self.organization.pk}:{self.due.isoformat()}"

    @property
    def days(self) -> int:
        """逾期天数 (negative: days left)."""
        return (self.as_of - self.due).days

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def order_text(self) -> str:
        late = f"已逾期{self.days}天" if self.days > 0 else "即将到期"
        return (
            f"{self.kind_label}“{self.subject}”（{self.period}）应于{self.due:%Y年%m月%d日}前报送，"
            f"{late}，请尽快报送并说明原因。"
        )

    @property
    def order_query(self) -> str:
        """The query string of the pre-filled 督办 form for this item."""
        return f"item={self.key}"


def _value_items(as_of: dt.date, org_id=None, soon: bool = False) -> list[OverdueItem]:
    profiles = (
        IndicatorProfile.objects.filter(responsible__isnull=False)
        .select_related("indicator", "responsible")
        .prefetch_related(
            Prefetch(
                "indicator__targets",
                queryset=with_plan(Target.objects.filter(is_active=True, plan__is_active=True)),
                to_attr="live_targets",
            )
        )
    )
    if org_id:
        profiles = profiles.filter(responsible_id=org_id)
    profiles = list(profiles)
    reported: dict[int, set] = {}
    values = DataValue.objects.filter(
        district__isnull=True, status__in=REPORTED, indicator_id__in=[p.indicator_id for p in profiles]
    )
    for ind, period in values.values_list("indicator_id", "period"):
        reported.setdefault(ind, set()).add(period)
    out = []
    for profile in profiles:
        targets = profile.indicator.live_targets
        if not targets:
            continue
        start = min(t.plan.period_start or 2020 for t in targets)
        until = max(dt.date(t.year or t.plan.period_end or as_of.year, 12, 31) for t in targets)
        done = reported.get(profile.indicator_id, set())
        if soon:
            # The period that has ended and whose deadline is within the next days.
            end = period_end(min(as_of, until), profile.frequency)
            if end >= as_of:
                end = previous_period_end(end, profile.frequency)
            due = profile.due_date(end)
            periods = (
                [end] if end.year >= start and as_of <= due <= as_of + dt.timedelta(DUE_SOON_DAYS) else []
            )
            periods = [p for p in periods if p not in done]
        else:
            periods = services.overdue_periods(profile, start, as_of, done, until)
        for period in periods:
            out.append(
                OverdueItem(
                    "value",
                    profile.responsible,
                    profile.indicator.name,
                    period_label(period, profile.frequency),
                    profile.due_date(period),
                    f"/indicators/{profile.indicator_id}/report/?period={period.isoformat()}",
                    indicator=profile.indicator,
                    as_of=as_of,
                )
            )
    return out


def _quarter_due(as_of: dt.date, soon: bool) -> dt.date | None:
    """The quarter whose progress is overdue (soon=False) or due in the next days (soon=True)."""
    q = services.quarter_end(as_of)
    while q >= as_of or (not soon and q + dt.timedelta(days=services.TASK_GRACE_DAYS) >= as_of):
        q = previous_period_end(q, Frequency.QUARTER)
    due = q + dt.timedelta(days=services.TASK_GRACE_DAYS)
    if soon:
        return q if as_of <= due <= as_of + dt.timedelta(DUE_SOON_DAYS) else None
    return q


def _task_items(as_of: dt.date, org_id=None, soon: bool = False) -> list[OverdueItem]:
    quarter = _quarter_due(as_of, soon)
    if quarter is None:
        return []
    due = quarter + dt.timedelta(days=services.TASK_GRACE_DAYS)
    posted = set(ProgressReport.objects.filter(period=quarter).values_list("task_id", "organization_id"))
    closed = set(TaskState.objects.filter(status=TaskStatus.CLOSED).values_list("task_id", flat=True))
    resp = (
        with_plan(Responsibility.objects.filter(is_active=True, task__is_active=True), "task__plan")
        .filter(task__plan__is_active=True)
        .filter(Q(task__plan__period_end__isnull=True) | Q(task__plan__period_end__gte=quarter.year))
        .exclude(organization__name__in=["各区政府", "市直职能部门"])
        .select_related("organization")
        .order_by("task_id", "-is_lead")
    )
    by_task: dict[int, list[Responsibility]] = {}
    for r in resp:
        by_task.setdefault(r.task_id, []).append(r)
    out = []
    for rows in by_task.values():
        task = rows[0].task
        if task.pk in closed:
            continue
        for r in [r for r in rows if r.is_lead] or rows:
            if org_id and r.organization_id != org_id:
                continue
            if (task.pk, r.organization_id) not in posted:
                out.append(
                    OverdueItem(
                        "task",
                        r.organization,
                        f"{task.number}. {task.title}",
                        period_label(quarter, Frequency.QUARTER),
                        due,
                        f"/tasks/{task.pk}/#progress",
                        task=task,
                        as_of=as_of,
                    )
                )
    return out


def _dispatch_items(as_of: dt.date, org_id=None, soon: bool = False, declarant_id=None) -> list[OverdueItem]:
    """Projects' 月度调度 past due. The 督办 goes to the project's 初审单位 (the department or
    district in charge of it), which presses its enterprise; the declarant sees them as its own."""
    from newinfra.projects.models import Project

    qs = Project.objects.active()
    if org_id:
        qs = qs.filter(competent_id=org_id)
    if declarant_id:
        qs = qs.filter(declarant_id=declarant_id)
    out = []
    if soon:
        month = (as_of.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        due = project_queries.dispatch_due_date(month)
        if not as_of <= due <= as_of + dt.timedelta(DUE_SOON_DAYS):
            return []
        rows = project_queries.dispatch_expected(qs).filter(
            Q(last_report_month__isnull=True) | Q(last_report_month__lt=month)
        )
        # Only projects up to date until the month before: the others are already overdue.
        before = (month - dt.timedelta(days=1)).replace(day=1)
        rows = rows.filter(last_report_month__gte=before).select_related("declarant", "competent")
        pending = [(p, month, 1) for p in rows]
    else:
        pending = project_queries.overdue_dispatch(as_of, qs)
    for p, first, months in pending:
        period = f"{first:%Y年%m月}" + (f"起{months}个月" if months > 1 else "")
        out.append(
            OverdueItem(
                "dispatch",
                p.competent,
                f"{p.name}（{p.declarant.name}）",
                period,
                project_queries.dispatch_due_date(first),
                f"/projects/{p.pk}/dispatch/",
                project=p,
                as_of=as_of,
            )
        )
    return out


def _attach_orders(items: list[OverdueItem]) -> list[OverdueItem]:
    """Mark items that a 督办 already presses (still waiting for the unit): not pressed twice."""
    open_orders = SupervisionOrder.objects.filter(state__in=SupervisionOrder.AWAITING_UNIT).values_list(
        "pk", "organization_id", "task_id", "indicator_id", "project_id"
    )
    index = {}
    for pk, org, task, ind, proj in open_orders:
        index[("task", task, org)] = pk
        index[("value", ind, org)] = pk
        index[("dispatch", proj, org)] = pk
    for i in items:
        target = (i.task or i.indicator or i.project).pk
        i.open_order = index.get((i.kind, target, i.organization.pk))
    return items


VERSIONS = ("values", "library", "reports")
LIFETIME_S = 300


def _cached(what: str, as_of: dt.date, compute, *args) -> list[OverdueItem]:
    """``compute()``, reused for the same day and arguments while the data it reads is unchanged
    (held in the process, ``utilities.held``: the city's list took 6 ms to unpickle). Each call gets
    its own copies of the items (``open_order`` is set on them), sharing the read-only records they
    point to."""
    from newinfra.projects.stats_cache import current_versions

    key = f"newinfra:overdue:{what}:{as_of.isoformat()}:{':'.join(map(str, args))}:{current_versions(*VERSIONS)}"
    return [dataclasses.replace(i) for i in held(key, compute, LIFETIME_S)]


def bump_reports() -> None:
    """Task progress, a task's state or an organisation changed: cached overdue lists are stale."""
    from newinfra.projects.stats_cache import bump

    bump("reports")


def connect_signals() -> None:
    """Raise ``reports`` on every save of the records the lists read that no other version covers."""
    from django.db.models.signals import post_delete, post_save

    from newinfra.orgs.models import Organization

    def changed(**kwargs):
        bump_reports()

    for model in (ProgressReport, TaskState, Organization):
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"overdue-{model.__name__}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"overdue-del-{model.__name__}")


def overdue_items(as_of: dt.date, organization=None) -> list[OverdueItem]:
    """Every overdue report, most overdue first (of one unit when ``organization`` is given)."""
    org_id = organization.pk if organization is not None else None

    def compute():
        items = _value_items(as_of, org_id) + _task_items(as_of, org_id) + _dispatch_items(as_of, org_id)
        items.sort(key=lambda i: (i.due, i.organization.name, i.subject))
        return items

    return _attach_orders(_cached("late", as_of, compute, org_id))


def due_soon_items(as_of: dt.date, organization=None) -> list[OverdueItem]:
    org_id = organization.pk if organization is not None else None

    def compute():
        items = (
            _value_items(as_of, org_id, soon=True)
            + _task_items(as_of, org_id, soon=True)
            + _dispatch_items(as_of, org_id, soon=True)
        )
        items.sort(key=lambda i: (i.due, i.subject))
        return items

    return _cached("soon", as_of, compute, org_id)


@dataclass
class UnitGroup:
    organization: object
    items: list

    @property
    def max_days(self) -> int:
        return max(i.days for i in self.items)

    @property
    def unpressed(self) -> list:
        return [i for i in self.items if not i.open_order]

    def count(self, kind: str) -> int:
        return sum(1 for i in self.items if i.kind == kind)

    @property
    def summary(self) -> str:
        """指标数据16 · 月度调度3"""
        return " · ".join(f"{label}{self.count(k)}" for k, label in KIND_LABELS.items() if self.count(k))


def by_unit(items: list[OverdueItem]) -> list[UnitGroup]:
    """Overdue items grouped by unit, the unit with the longest delay first."""
    groups: dict[int, UnitGroup] = {}
    for i in items:
        groups.setdefault(i.organization.pk, UnitGroup(i.organization, [])).items.append(i)
    for g in groups.values():
        g.items.sort(key=lambda i: -i.days)
    return sorted(groups.values(), key=lambda g: (-g.max_days, g.organization.name))


def declarant_dispatch(as_of: dt.date, declarant, soon: bool = False) -> list[OverdueItem]:
    """A declaring unit's own projects whose 月度调度 is overdue (or due soon)."""
    return _cached(
        "declarant",
        as_of,
        lambda: _dispatch_items(as_of, soon=soon, declarant_id=declarant.pk),
        declarant.pk,
        soon,
    )


def find_items(as_of: dt.date, keys, organization=None) -> list[OverdueItem]:
    """The overdue items with these keys (those no longer overdue are left out)."""
    wanted = set(keys)
    return [i for i in overdue_items(as_of, organization) if i.key in wanted]
