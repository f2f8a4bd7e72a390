"""The ledger as the 调度会 sheet: each task's status, light, latest progress with its date and
its deadline, read for any number of tasks with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from .models import ProgressReport, TaskState, TaskStatus

LIGHT_RULE = (
    "绿：已完成、已销号，或按期推进；黄：尚未启动；"
    "红：责任单位报告滞后、逾期未报进展，或已过完成时限仍未完成。"
)


@dataclass
class SheetRow:
    status: str
    status_label: str
    light: str  # green | amber | red
    light_label: str
    why: str
    progress: str
    progress_date: dt.date | None
    progress_unit: str
    deadline: str


def deadline_text(task) -> str:
    return task.deadline_text


def deadline_year(task) -> int | None:
    """The year a task is due by: its 完成日期, else the last year its 完成时限 names, else its
    plan's last year."""
    if getattr(task, "deadline_date", None):
        return task.deadline_date.year
    found = re.findall(r"(20\d\d)", task.deadline or "")
    if found:
        return max(int(y) for y in found)
    return task.plan.period_end


def annotate(tasks, as_of: dt.date) -> list:
    """Set ``task.sheet`` (a ``SheetRow``) on each task; three queries whatever their number."""
    from .services import overdue_tasks

    tasks = list(tasks)
    ids = [t.pk for t in tasks]
    states = dict(TaskState.objects.filter(task_id__in=ids).values_list("task_id", "status"))
    latest: dict[int, ProgressReport] = {}
    for report in (
        ProgressReport.objects.filter(task_id__in=ids)
        .select_related("organization")
        .order_by("task_id", "-period", "-posted_at")
    ):
        latest.setdefault(report.task_id, report)
    late = {t.pk for t, _, _ in overdue_tasks(as_of, task_ids=ids)} if tasks else set()
    labels = dict(TaskStatus.choices)
    for t in tasks:
        status = states.get(t.pk, TaskStatus.NOT_STARTED)
        report = latest.get(t.pk)
        year = deadline_year(t)
        done = status in (TaskStatus.DONE, TaskStatus.CLOSED)
        if done:
            light, light_label, why = (
                "green",
                labels[status],
                "任务已完成" if status == TaskStatus.DONE else "已销号",
            )
        elif status == TaskStatus.LAGGING:
            light, light_label, why = "red", "滞后", "责任单位报告进展滞后"
        elif t.pk in late:
            light, light_label, why = "red", "逾期未报", "上一季度的进展逾期未报"
        elif year and as_of > (due := t.deadline_date or dt.date(year, 12, 31)):
            light, light_label, why = "red", "超期", f"已过完成时限（{due:%Y-%m-%d}）仍未完成"
        elif status == TaskStatus.NOT_STARTED:
            light, light_label, why = "amber", "未启动", "尚未报告启动"
        else:
            light, light_label, why = "green", "正常", "按期推进"
        t.sheet = SheetRow(
            status=status,
            status_label=labels[status],
            light=light,
            light_label=light_label,
            why=why,
            progress=report.text if report else t.progress_note,
            progress_date=timezone.localtime(report.posted_at).date() if report else None,
            progress_unit=report.organization.name if report else "",
            deadline=deadline_text(t),
        )
    return tasks
