"""督办 asks a unit for progress on a task up to the quarter of the task's deadline_date."""

import datetime as dt

import pytest
from django.utils import timezone

from newinfra.indicators.models import Frequency, previous_period_end
from newinfra.orgs.models import Organization
from newinfra.plans.models import Plan, Responsibility, Task
from newinfra.supervision import services

pytestmark = pytest.mark.django_db


def due_quarter(today: dt.date) -> dt.date:
    q = services.quarter_end(today)
    while q + dt.timedelta(days=services.TASK_GRACE_DAYS) >= today:
        q = previous_period_end(q, Frequency.QUARTER)
    return q


def test_progress_is_asked_until_the_quarter_of_the_deadline():
    today = timezone.localdate()
    quarter = due_quarter(today)
    before_quarter = previous_period_end(quarter, Frequency.QUARTER)
    plan = Plan.objects.create(
        key="test-deadlines",
        title="测试行动计划",
        status="published",
        period_start=today.year - 1,
        period_end=today.year + 1,
    )
    org = Organization.objects.get(name="市工业和信息化局")
    cases = {
        "已过时限": before_quarter,  # its time ran out before the quarter that is due
        "本季度到期": quarter,
        "明年到期": dt.date(today.year + 1, 12, 31),
        "持续推进": None,  # no dated deadline: as long as the plan runs
    }
    for order, (title, date) in enumerate(cases.items()):
        task = Task.objects.create(
            plan=plan, number=str(order + 1), title=title, text=title, deadline=title, deadline_date=date
        )
        Responsibility.objects.create(task=task, organization=org, is_lead=True, name_as_written=org.name)
    asked = {t.title for t, o, q in services.overdue_tasks(today) if t.plan_id == plan.pk}
    assert asked == {"本季度到期", "明年到期", "持续推进"}


def test_a_task_dated_beyond_its_ended_plan_is_still_asked():
    today = timezone.localdate()
    plan = Plan.objects.create(
        key="test-ended", title="已结束的计划", status="published", period_start=2020, period_end=2022
    )
    org = Organization.objects.get(name="市工业和信息化局")
    for number, date in (("1", dt.date(today.year + 1, 6, 30)), ("2", None)):
        task = Task.objects.create(
            plan=plan, number=number, title=f"任务{number}", text="…", deadline_date=date
        )
        Responsibility.objects.create(task=task, organization=org, is_lead=True, name_as_written=org.name)
    asked = {t.number for t, o, q in services.overdue_tasks(today) if t.plan_id == plan.pk}
    assert asked == {"1"}
