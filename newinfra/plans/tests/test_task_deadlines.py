"""Loaded plans keep each task's deadline as written, its date and the parser's flags; a target
without a year is judged at its task's deadline_date."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from newinfra.indicators.queries import target_due, target_spec
from newinfra.parsing import parse_text
from newinfra.plans.loader import load_document
from newinfra.plans.models import Plan, Target, Task

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("stem", ["000_ba1357ab942c2fa4", "004_95f77615fa3aaf4e"])
def test_seed_tasks_carry_the_gold_deadlines(stem):
    gold = json.loads((DATA / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
    plan = Plan.objects.get(source_name=f"{stem}.txt")
    got = [
        (t.number, t.deadline or None, t.deadline_date.isoformat() if t.deadline_date else None)
        for t in plan.tasks.filter(is_active=True).order_by("order")
    ]
    assert got == [(g["number"], g["deadline"], g["deadline_date"]) for g in gold["tasks"]]


PLAN = "\n".join(
    [
        "南岭市算力基础设施建设工作方案（2024年）",
        "一、主要任务",
        "1.建设城市算力调度平台。新增算力规模200PF。(市数据资源管理局牵头,2024年9月底前完成)",
        "2.推进千兆光网覆盖。新建10G-PON端口2000个。",
    ]
)


def test_loader_stores_deadline_date_and_flags_and_a_reload_updates_them():
    doc = parse_text(PLAN, "plan.txt").to_dict()
    load_document(doc, PLAN.encode(), "plan.txt")
    t1 = Task.objects.get(plan__source_name="plan.txt", number="1")
    assert (t1.deadline, t1.deadline_date) == ("2024年9月底前", dt.date(2024, 9, 30))
    assert "unknown_unit" in [f["kind"] for f in t1.flags]
    t2 = Task.objects.get(plan__source_name="plan.txt", number="2")
    assert t2.deadline_date is None and [f["kind"] for f in t2.flags][:1] == ["no_units"]
    # A revised deadline is a change with history.
    revised = PLAN.replace("2024年9月底前", "2024年12月底前")
    load_document(parse_text(revised, "plan.txt").to_dict(), revised.encode(), "plan.txt")
    t1.refresh_from_db()
    assert t1.deadline_date == dt.date(2024, 12, 31)
    assert [h.deadline_date for h in t1.history.order_by("history_date")] == [
        dt.date(2024, 9, 30),
        dt.date(2024, 12, 31),
    ]


def test_a_target_without_a_year_is_due_with_its_task():
    plan = Plan.objects.create(key="t-due", title="t", period_start=2023, period_end=2025)
    task = Task.objects.create(plan=plan, number="1", title="t", text="t", deadline_date=dt.date(2024, 6, 30))
    other = Task.objects.create(plan=plan, number="2", title="t", text="t")
    from newinfra.plans.loader import resolve_indicator

    ind = resolve_indicator("测试指标", "个")

    def target(task, year):
        return Target.objects.create(
            plan=plan, task=task, indicator=ind, text="x", value=Decimal(5), unit="个", year=year
        )

    today = dt.date(2024, 1, 1)
    assert target_due(target(task, None), today) == dt.date(2024, 6, 30)
    assert target_spec(target(task, None)).deadline == dt.date(2024, 6, 30)
    assert target_due(target(task, 2025), today) == dt.date(2025, 12, 31)  # its own year first
    assert target_due(target(other, None), today) == dt.date(2025, 12, 31)  # else the plan's end
    assert target_due(target(None, None), today) == dt.date(2025, 12, 31)
