"""Supervision rules: who reports task progress when, 督办 and 反馈, 销号, and the reminders."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from newinfra.indicators.models import (
    DataValue,
    Frequency,
    IndicatorProfile,
    period_end,
    period_label,
    previous_period_end,
)
from newinfra.indicators.queries import REPORTED, overdue_periods
from newinfra.orgs.models import Organization, Role
from newinfra.orgs.permissions import can_change_task, is_office, membership
from newinfra.plans.models import Responsibility, Target, Task, with_plan
from newinfra.utilities import versions

from .models import (
    ClosureRequest,
    Evidence,
    Feedback,
    Notice,
    ProgressReport,
    SupervisionOrder,
    TaskState,
    TaskStatus,
)
from .notices import notify, notify_office

TASK_GRACE_DAYS = 15  # progress on each task is due 15 days after each quarter
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
REMIND_WITHIN_DAYS = 365


class SupervisionError(Exception):
    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(self.messages))


def state_of(task: Task) -> TaskState:
    """The task's status; 未启动 (unsaved) until something is reported. Reading never writes."""
    return TaskState.objects.filter(task=task).first() or TaskState(task=task)


def reporting_units(task: Task) -> list[Organization]:
    """Who owes progress on a task: its lead units, or every named unit when none leads."""
    resp = [r for r in task.responsibilities.filter(is_active=True).select_related("organization")]
    named = [r for r in resp if r.organization.name not in ("各区政府", "市直职能部门")]
    leads = [r.organization for r in named if r.is_lead]
    return leads or [r.organization for r in named]


def quarter_end(day: dt.date) -> dt.date:
    return period_end(day, Frequency.QUARTER)


# --- progress -------------------------------------------------------------------------------------


@transaction.atomic
def post_progress(
    user, task: Task, status: str, text: str, files=(), day: dt.date | None = None, version: str = ""
) -> ProgressReport:
    """The unit's report for the quarter (a second post corrects it). With the ``version`` of that
    report the form was read at, a report changed meanwhile by a colleague is not overwritten."""
    if not can_change_task(user, task):
        raise SupervisionError("您所在单位不是此任务的责任单位，不能报送进展。")
    state = state_of(task)
    if state.status == TaskStatus.CLOSED:
        raise SupervisionError("此任务已销号，不再报送进展。")
    if status not in {c for c, _ in ProgressReport._meta.get_field("status").choices}:
        raise SupervisionError("请选择进展状态。")
    if not (text or "").strip():
        raise SupervisionError("请填写进展情况。")
    for f in files:
        if f.size > MAX_EVIDENCE_BYTES:
            raise SupervisionError(f"佐证材料“{f.name}”超过20MB。")
    m = membership(user)
    period = quarter_end(day or timezone.localdate())
    current = (
        ProgressReport.objects.select_for_update(of=("self",))
        .filter(task=task, organization=m.organization, period=period)
        .first()
    )
    if versions.is_stale(current, version):
        raise SupervisionError(versions.conflict_message(current, version, "季度进展"))
    # the row just read (and locked) is the one corrected; read again only to create it
    report = (
        current
        or ProgressReport.objects.get_or_create(
            task=task,
            organization=m.organization,
            period=period,
            defaults={"status": status, "text": text.strip(), "posted_by": user},
        )[0]
    )
    report.status, report.text, report.posted_by = status, text.strip(), user
    report._history_user = user
    report.save()
    for f in files:
        Evidence.objects.create(progress=report, file=f, name=f.name[:200])
    if state.status != status:
        state.status = status
        state._history_user = user
        state.save()
    if task.progress_note != report.text:
        task.progress_note = report.text
        task._history_user = user
        task.save(update_fields=["progress_note", "updated_at"])
    return report


# --- 督办 and 反馈 ----------------------------------------------------------------------------------


def _order_link(order) -> str:
    return f"/supervision/orders/{order.pk}/"


def _new_order(user, organization, text, respond_by, task=None, indicator=None, project=None):
    if not (text or "").strip():
        raise SupervisionError("请填写督办事项。")
    if respond_by is None or respond_by < timezone.localdate():
        raise SupervisionError("反馈期限不能早于今天。")
    if organization is None:
        raise SupervisionError("请选择督办单位。")
    order = SupervisionOrder(
        task=task,
        indicator=indicator,
        project=project,
        organization=organization,
        text=text.strip(),
        respond_by=respond_by,
        issued_by=user,
    )
    order._history_user = user
    order.save()
    return order


@transaction.atomic
def issue_order(
    user, organization: Organization, text: str, respond_by: dt.date, task=None, indicator=None, project=None
):
    if not is_office(user):
        raise SupervisionError("只有统筹办可以发出督办通知。")
    order = _new_order(user, organization, text, respond_by, task, indicator, project)
    notify(
        organization,
        f"督办通知：{order.subject}",
        f"{order.text}\n请于{respond_by:%Y年%m月%d日}前反馈。",
        _order_link(order),
        Notice.Kind.ORDER,
        key=f"order:{order.pk}",
    )
    return order


@transaction.atomic
def issue_batch(user, items: list, respond_by: dt.date) -> list[SupervisionOrder]:
    """批量督办: one order per overdue item, one notice per unit listing its orders.

    ``items`` are ``OverdueItem``s (see ``overdue_items``); all are issued or none.
    """
    if not is_office(user):
        raise SupervisionError("只有统筹办可以发出督办通知。")
    if not items:
        raise SupervisionError("没有选择需要督办的逾期事项。")
    orders = [
        _new_order(user, i.organization, i.order_text, respond_by, i.task, i.indicator, i.project)
        for i in items
    ]
    by_unit: dict[int, list[SupervisionOrder]] = {}
    for o in orders:
        by_unit.setdefault(o.organization_id, []).append(o)
    for unit_orders in by_unit.values():
        first = unit_orders[0]
        notify(
            first.organization,
            f"督办通知：{len(unit_orders)}项逾期事项"
            if len(unit_orders) > 1
            else f"督办通知：{first.subject}",
            "\n".join(f"{n}. {o.text}" for n, o in enumerate(unit_orders, 1))
            + f"\n请于{respond_by:%Y年%m月%d日}前逐项反馈。",
            "/supervision/#orders" if len(unit_orders) > 1 else _order_link(first),
            Notice.Kind.ORDER,
            key=f"order:{first.pk}",
        )
    return orders


@transaction.atomic
def answer_order(user, order: SupervisionOrder, text: str, files=()) -> Feedback:
    m = membership(user)
    if m is None or (m.organization_id != order.organization_id and not is_office(user)):
        raise SupervisionError("只有被督办单位可以反馈。")
    if order.state == SupervisionOrder.State.CLOSED:
        raise SupervisionError("此督办事项已办结。")
    if not (text or "").strip():
        raise SupervisionError("请填写反馈内容。")
    fb = Feedback(order=order, text=text.strip(), organization=m.organization, user=user)
    fb._history_user = user
    fb.save()
    for f in files:
        Evidence.objects.create(feedback=fb, file=f, name=f.name[:200])
    order.state = SupervisionOrder.State.ANSWERED
    order._history_user = user
    order.save()
    notify_office(
        f"督办反馈：{order.subject}（{m.organization.name}）",
        text.strip(),
        _order_link(order),
        Notice.Kind.FEEDBACK,
        key=f"feedback:{fb.pk}",
    )
    return fb


@transaction.atomic
def close_order(user, order: SupervisionOrder, comment: str = "", send_back: bool = False, respond_by=None):
    """The office 办结 an order with its 办结意见, or sends the work back (退回重办) with a new date."""
    if not is_office(user):
        raise SupervisionError("只有统筹办可以办结督办事项。")
    if order.state == SupervisionOrder.State.CLOSED:
        raise SupervisionError("此督办事项已办结。")
    comment = (comment or "").strip()
    if not comment:
        raise SupervisionError("退回重办时请写明需要重办的内容。" if send_back else "请填写办结意见。")
    if send_back:
        if order.state != SupervisionOrder.State.ANSWERED:
            raise SupervisionError("被督办单位反馈后才能退回重办。")
        if respond_by is None or respond_by < timezone.localdate():
            raise SupervisionError("退回重办时请给出不早于今天的反馈期限。")
    m = membership(user)
    entry = Feedback(
        order=order,
        kind=Feedback.Kind.RETURN if send_back else Feedback.Kind.CLOSE,
        text=comment,
        organization=m.organization if m else order.organization,
        user=user,
    )
    entry._history_user = user
    entry.save()
    if send_back:
        order.state, order.respond_by = SupervisionOrder.State.RETURNED, respond_by
    else:
        order.state = SupervisionOrder.State.CLOSED
    order._history_user = user
    order.save()
    notify(
        order.organization,
        f"{'督办事项退回重办' if send_back else '督办事项已办结'}：{order.subject}",
        comment + (f"\n请于{respond_by:%Y年%m月%d日}前重新反馈。" if send_back else ""),
        _order_link(order),
        Notice.Kind.ORDER,
        key=f"order:{order.pk}:{entry.kind}:{entry.pk}",
    )
    return order


# --- 销号 -----------------------------------------------------------------------------------------


@transaction.atomic
def request_closure(user, task: Task, text: str) -> ClosureRequest:
    m = membership(user)
    if m is None or m.role != Role.RESPONSIBLE or not can_change_task(user, task):
        raise SupervisionError("只有此任务的责任单位可以申请销号。")
    if state_of(task).status == TaskStatus.CLOSED:
        raise SupervisionError("此任务已销号。")
    if task.closure_requests.filter(state=ClosureRequest.State.PENDING).exists():
        raise SupervisionError("已有待审批的销号申请。")
    if not (text or "").strip():
        raise SupervisionError("请说明任务完成情况。")
    req = ClosureRequest(
        task=task, organization=membership(user).organization, text=text.strip(), requested_by=user
    )
    req._history_user = user
    req.save()
    notify_office(
        f"待审批销号：{task.number}. {task.title[:40]}（{req.organization.name}）",
        req.text,
        f"/tasks/{task.pk}/",
        Notice.Kind.CLOSURE,
        key=f"closure:{req.pk}:requested",
    )
    return req


@transaction.atomic
def decide_closure(user, req: ClosureRequest, approve: bool, comment: str = "") -> ClosureRequest:
    if not is_office(user):
        raise SupervisionError("只有统筹办可以审批销号。")
    if req.state != ClosureRequest.State.PENDING:
        raise SupervisionError("此申请已审批。")
    if not approve and not comment.strip():
        raise SupervisionError("不同意销号时请填写意见。")
    req.state = ClosureRequest.State.APPROVED if approve else ClosureRequest.State.REJECTED
    req.decided_by, req.decided_at, req.comment = user, timezone.now(), comment.strip()[:500]
    req._history_user = user
    req.save()
    if approve:
        state = state_of(req.task)
        state.status, state.closed_at = TaskStatus.CLOSED, timezone.now()
        state._history_user = user
        state.save()
    notify(
        req.organization,
        f"任务“{req.task.title}”{'已销号' if approve else '销号申请未获同意'}",
        comment,
        f"/tasks/{req.task_id}/",
        Notice.Kind.CLOSURE,
        key=f"closure:{req.pk}:{req.state}",
    )
    return req


# --- what is overdue ------------------------------------------------------------------------------


def overdue_values(as_of: dt.date) -> list[tuple[IndicatorProfile, dt.date]]:
    """(profile, period) whose city value is due and neither submitted nor approved."""
    out = []
    profiles = (
        IndicatorProfile.objects.filter(responsible__isnull=False)
        .select_related("indicator", "responsible")
        .prefetch_related(
            Prefetch(
                "indicator__targets",
                queryset=with_plan(Target.objects.live()),
                to_attr="live_targets",
            )
        )
    )
    reported: dict[int, set] = {}
    for ind, period in DataValue.objects.filter(district__isnull=True, status__in=REPORTED).values_list(
        "indicator_id", "period"
    ):
        reported.setdefault(ind, set()).add(period)
    for profile in profiles:
        targets = profile.indicator.live_targets
        if not targets:
            continue
        start = min(t.plan.period_start or 2020 for t in targets)
        until = max(dt.date(t.year or t.plan.period_end or as_of.year, 12, 31) for t in targets)
        for period in overdue_periods(
            profile, start, as_of, reported.get(profile.indicator_id, set()), until
        ):
            out.append((profile, period))
    return out


def overdue_tasks(as_of: dt.date, task_ids=None) -> list[tuple[Task, Organization, dt.date]]:
    """(task, unit, quarter) for the last quarter whose progress was due and not reported; of the
    tasks ``task_ids`` only when given (a ledger page asks about its 50 rows, not every task)."""
    due_quarter = quarter_end(as_of)
    while due_quarter + dt.timedelta(days=TASK_GRACE_DAYS) >= as_of:
        due_quarter = previous_period_end(due_quarter, Frequency.QUARTER)
    reports = ProgressReport.objects.filter(period=due_quarter)
    states = TaskState.objects.filter(status=TaskStatus.CLOSED)
    responsibilities = Responsibility.objects.live()
    if task_ids is not None:
        reports, states = reports.filter(task_id__in=task_ids), states.filter(task_id__in=task_ids)
        responsibilities = responsibilities.filter(task_id__in=task_ids)
    posted = set(reports.values_list("task_id", "organization_id"))
    closed = set(states.values_list("task_id", flat=True))
    out = []

    # A task asks for progress up to the quarter of its deadline (deadline_date); one without
    # a dated deadline, until its plan ends.
    def asking(task: str) -> Q:
        return (
            Q(**{f"{task}deadline_date__gt": previous_period_end(due_quarter, Frequency.QUARTER)})
            | Q(**{f"{task}deadline_date__isnull": True, f"{task}plan__period_end__isnull": True})
            | Q(**{f"{task}deadline_date__isnull": True, f"{task}plan__period_end__gte": due_quarter.year})
        )

    if task_ids is not None:
        # The given tasks by primary key, in a subquery: the same condition on the joined task
        # let PostgreSQL read every task of the table first (7 ms for a ledger page's 50).
        resp = responsibilities.filter(task__in=Task.objects.filter(asking(""), pk__in=task_ids).values("pk"))
    else:
        resp = responsibilities.filter(asking("task__"))
    resp = (
        resp.exclude(organization__name__in=["各区政府", "市直职能部门"])
        .select_related("task", "organization")
        .order_by("task_id", "-is_lead")
    )
    by_task: dict[int, list[Responsibility]] = {}
    for r in resp:
        by_task.setdefault(r.task_id, []).append(r)
    for rows in by_task.values():
        task = rows[0].task
        if task.pk in closed:
            continue
        leads = [r for r in rows if r.is_lead] or rows
        for r in leads:
            if (task.pk, r.organization_id) not in posted:
                out.append((task, r.organization, due_quarter))
    return out


def remind(as_of: dt.date | None = None) -> dict:
    """Send one notice (and e-mail) per overdue report; returns counts. Safe to run every day."""
    as_of = as_of or timezone.localdate()
    sent = {"values": 0, "tasks": 0, "dispatch": 0, "orders": 0}
    for profile, period in overdue_values(as_of):
        if profile.due_date(period) < as_of - dt.timedelta(days=REMIND_WITHIN_DAYS):
            continue  # a year past due, a reminder helps nobody; the light stays red
        label = period_label(period, profile.frequency)
        if notify(
            profile.responsible,
            f"逾期未报：{profile.indicator.name}（{label}）",
            f"{profile.indicator.name}{label}数据应于{profile.due_date(period):%Y年%m月%d日}前报送，目前尚未报送。",
            f"/indicators/{profile.indicator_id}/report/",
            Notice.Kind.REMINDER,
            key=f"overdue:value:{profile.indicator_id}:{period}",
        ):
            sent["values"] += 1
    for task, org, quarter in overdue_tasks(as_of):
        if notify(
            org,
            f"逾期未报进展：{task.number}. {task.title[:40]}",
            f"{period_label(quarter, Frequency.QUARTER)}任务进展应于期末后{TASK_GRACE_DAYS}天内报送，目前尚未报送。",
            f"/tasks/{task.pk}/",
            Notice.Kind.REMINDER,
            key=f"overdue:task:{task.pk}:{org.pk}:{quarter}",
        ):
            sent["tasks"] += 1
    from newinfra.projects.queries import dispatch_due_date, overdue_dispatch

    for project, first, months in overdue_dispatch(as_of):
        due = dispatch_due_date(first)
        if due < as_of - dt.timedelta(days=REMIND_WITHIN_DAYS):
            continue
        if notify(
            project.declarant,
            f"月度调度逾期未报：{project.name}（{first:%Y年%m月}起）",
            f"{first:%Y年%m月}的月度调度应于{due:%Y年%m月%d日}前填报，目前已有{months}个月未报。",
            f"/projects/{project.pk}/dispatch/",
            Notice.Kind.REMINDER,
            key=f"overdue:dispatch:{project.pk}:{first}",
        ):
            sent["dispatch"] += 1
    for order in SupervisionOrder.objects.filter(
        state__in=SupervisionOrder.AWAITING_UNIT, respond_by__lt=as_of
    ).select_related("task", "indicator", "project", "organization"):
        if notify(
            order.organization,
            f"督办事项逾期未反馈：{order.subject}",
            order.text,
            f"/supervision/orders/{order.pk}/",
            Notice.Kind.REMINDER,
            key=f"overdue:order:{order.pk}:{order.respond_by}",
        ):
            sent["orders"] += 1
    return sent


TYPED_KEY = "supervision-typed"


def typed_for(request, task: Task) -> dict:
    """What the unit typed into a task form that was refused (kept in the session by the view),
    shown again once and then forgotten."""
    typed = request.session.pop(TYPED_KEY, None) if hasattr(request, "session") else None
    return typed if typed and typed.get("task") == task.pk else {}


def task_context(task: Task, user) -> dict:
    """What the task page adds: status, progress by quarter with evidence, orders, closure."""
    state = state_of(task)
    return {
        "task_state": state,
        "progress_reports": ProgressReport.objects.filter(task=task)
        .select_related("organization", "posted_by")
        .prefetch_related("evidence")[:40],
        "progress_statuses": [c for c in TaskStatus.choices if c[0] != TaskStatus.CLOSED],
        "orders": task.orders.select_related("organization"),
        "closures": task.closure_requests.select_related("organization", "decided_by"),
        "can_request_closure": state.status != TaskStatus.CLOSED
        and membership(user) is not None
        and membership(user).role == "responsible"
        and can_change_task(user, task),
        "can_decide_closure": is_office(user),
        "can_order": is_office(user),
        "reporting_units": reporting_units(task),
        "progress_version": _own_report_version(task, user),
    }


def _own_report_version(task: Task, user) -> str:
    """The version of the unit's report for this quarter, which the progress form carries back."""
    m = membership(user)
    if m is None:
        return ""
    return versions.version_of(
        ProgressReport.objects.filter(
            task=task, organization=m.organization, period=quarter_end(timezone.localdate())
        ).first()
    )
