"""督办 that runs itself: every overdue report is an item with a unit, 逾期天数 and a pre-filled 督办."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from newinfra.indicators.tests.helpers import live_target
from newinfra.plans.models import Plan, Responsibility, Task
from newinfra.projects import queries as project_queries
from newinfra.projects.models import Project, Stage
from newinfra.projects.tests.helpers import admitted_project, client_for, org
from newinfra.supervision import overdue
from newinfra.supervision.models import Notice, SupervisionOrder

pytestmark = pytest.mark.django_db


def _months_ago(n: int) -> dt.date:
    m = timezone.localdate().replace(day=1)
    for _ in range(n):
        m = (m - dt.timedelta(days=1)).replace(day=1)
    return m


def construction_project(last_report: dt.date | None, **kwargs) -> Project:
    p = admitted_project(**kwargs)
    Project.objects.filter(pk=p.pk).update(stage=Stage.CONSTRUCTION, last_report_month=last_report)
    p.refresh_from_db()
    return p


def live_task() -> Task:
    """A task of a plan running until next year, led by 市工业和信息化局: its progress is due now."""
    year = timezone.localdate().year
    plan = Plan.objects.create(
        key="test-live-plan", title="测试行动计划", period_start=year - 1, period_end=year + 1
    )
    task = Task.objects.create(plan=plan, number="1", title="推进测试基站建设", text="推进测试基站建设。")
    Responsibility.objects.create(
        task=task, organization=org("市工业和信息化局"), is_lead=True, name_as_written="市工业和信息化局"
    )
    return task


def test_a_project_without_monthly_dispatch_is_an_overdue_item_of_the_unit_in_charge():
    today = timezone.localdate()
    late = construction_project(_months_ago(5))
    current = construction_project(project_queries.last_due_month(today))
    items = {i.project.pk: i for i in overdue.overdue_items(today) if i.kind == "dispatch"}
    assert current.pk not in items
    item = items[late.pk]
    first_missing = _months_ago(4)
    assert item.organization == late.competent == org("天河区政府")
    assert item.due == project_queries.dispatch_due_date(first_missing)
    assert item.days == (today - item.due).days > 0
    assert item.link == f"/projects/{late.pk}/dispatch/"
    # The declarant sees it as its own work, and in the library filter.
    mine = overdue.declarant_dispatch(today, late.declarant)
    assert late.pk in {i.project.pk for i in mine} and current.pk not in {i.project.pk for i in mine}
    html = client_for("mobile").get("/projects/?dispatch=overdue").content.decode()
    assert late.name in html


def test_demo_projects_silent_since_2022_are_flagged():
    today = timezone.localdate()
    silent = Project.objects.filter(is_demo=True, stage=Stage.CONSTRUCTION, last_report_month__year=2022)
    assert silent.exists()
    flagged = {i.project.pk for i in overdue.overdue_items(today) if i.kind == "dispatch"}
    assert set(silent.values_list("pk", flat=True)) <= flagged


def _item(kind: str):
    today = timezone.localdate()
    if kind == "value":
        target = live_target()
        return next(i for i in overdue.overdue_items(today) if i.indicator == target.indicator)
    if kind == "task":
        task = live_task()
        return next(i for i in overdue.overdue_items(today) if i.task == task)
    project = construction_project(_months_ago(3))
    return next(i for i in overdue.overdue_items(today) if i.project == project)


# kind → the unit a 督办 goes to
PREFILL = {"value": "市工业和信息化局", "task": "市工业和信息化局", "dispatch": "天河区政府"}


@pytest.mark.parametrize("kind", PREFILL)
def test_an_order_from_any_overdue_item_is_prefilled(kind):
    item = _item(kind)
    office = client_for("office")
    response = office.get(f"/supervision/orders/new/?{item.order_query}")
    form = response.context["form"]
    assert form.initial["organization"] == org(PREFILL[kind]).pk
    assert (
        item.subject.split("（")[0] in form.initial["text"] and f"已逾期{item.days}天" in form.initial["text"]
    )
    assert form.initial["respond_by"] == timezone.localdate() + dt.timedelta(days=overdue.ORDER_DAYS)
    html = response.content.decode()
    assert f'value="{item.key}"' in html and f"逾期{item.days}天" in html
    response = office.post(
        "/supervision/orders/new/",
        {
            "item": item.key,
            "organization": form.initial["organization"],
            "text": form.initial["text"],
            "respond_by": form.initial["respond_by"].isoformat(),
        },
    )
    order = SupervisionOrder.objects.get(text=form.initial["text"])
    assert response.status_code == 302
    assert (order.task, order.indicator, order.project) == (item.task, item.indicator, item.project)
    # The item is now pressed: the overview links to the order instead of offering another.
    again = next(i for i in overdue.overdue_items(timezone.localdate()) if i.key == item.key)
    assert again.open_order == order.pk


def test_overdue_items_are_grouped_by_unit_and_pressed_in_one_click():
    live_target()
    live_target(name="测试千兆光网")
    office = client_for("office")
    html = office.get("/supervision/").content.decode()
    gongxin = org("市工业和信息化局")
    assert f'id="unit-{gongxin.pk}"' in html and "最长逾期" in html and "批量督办" in html
    today = timezone.localdate()
    mine = [i for i in overdue.overdue_items(today) if i.organization == gongxin and not i.open_order]
    assert len(mine) >= 2
    before = SupervisionOrder.objects.count()
    response = office.post(
        "/supervision/orders/batch/",
        {"unit": gongxin.pk, "respond_by": (today + dt.timedelta(days=7)).isoformat()},
    )
    assert response.status_code == 302
    assert SupervisionOrder.objects.count() - before == len(mine)
    assert SupervisionOrder.objects.filter(organization=gongxin, state="open").count() >= len(mine)
    told = Notice.objects.filter(organization=gongxin, kind=Notice.Kind.ORDER, title__contains="项逾期事项")
    assert told.count() == 1 and str(len(mine)) in told.get().title
    # Nothing left to press for that unit; a second click issues nothing.
    assert not [i for i in overdue.overdue_items(today) if i.organization == gongxin and not i.open_order]
    office.post("/supervision/orders/batch/", {"unit": gongxin.pk, "respond_by": today.isoformat()})
    assert SupervisionOrder.objects.count() - before == len(mine)
    assert "已全部督办" in office.get("/supervision/").content.decode()
    # Units cannot press each other.
    assert client_for("gongxin").post("/supervision/orders/batch/", {"unit": gongxin.pk}).status_code == 403


def test_overdue_export_has_the_days():
    from io import BytesIO

    from openpyxl import load_workbook

    live_target()
    response = client_for("office").get("/supervision/?export=overdue")
    ws = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    assert header[:6] == ["单位", "类别", "事项", "报告期", "报送期限", "逾期天数"]
    days = [r[5] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert days and all(isinstance(d, int) and d > 0 for d in days)


def test_a_unit_sees_only_its_own_overdue_items():
    live_target()
    html = client_for("tianhe").get("/supervision/").content.decode()
    assert "测试公用充电站" not in html  # 市工业和信息化局's report
    assert "批量督办" not in html
    html = client_for("gongxin").get("/supervision/").content.decode()
    assert "测试公用充电站" in html and "批量督办" not in html


def test_queries_for_overdue_items_do_not_grow_with_the_library(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    with CaptureQueriesContext(connection) as before:
        overdue.overdue_items(today)
    for _ in range(3):
        construction_project(_months_ago(6))
    live_target(name="测试物联网终端")
    with django_assert_num_queries(len(before.captured_queries)):
        items = overdue.overdue_items(today)
    assert len(items) >= 4


def _report_progress(task):
    from newinfra.projects.tests.helpers import user
    from newinfra.supervision.models import ProgressReport, TaskStatus

    quarter = overdue._quarter_due(timezone.localdate(), soon=False)
    ProgressReport.objects.create(
        task=task,
        organization=org("市工业和信息化局"),
        period=quarter,
        status=TaskStatus.IN_PROGRESS,
        text="按计划推进。",
        posted_by=user("gongxin"),
    )


def _close(task):
    from newinfra.supervision import services
    from newinfra.supervision.models import TaskStatus

    state = services.state_of(task)
    state.status = TaskStatus.CLOSED
    state.save()


def _drop_responsibility(task):
    r = task.responsibilities.get()
    r.is_active = False
    r.save()


def _rename_unit(task):
    unit = org("市工业和信息化局")
    unit.name = "市工业和信息化局（更名）"
    unit.save()


def _finish_project(project):
    project.stage = Stage.COMPLETED
    project.save()


# A change made through the records' own saves → what the next (cached) list must show.
CHANGES = [
    ("task", _report_progress, lambda item, items: item.key not in {i.key for i in items}),
    ("task", _close, lambda item, items: item.key not in {i.key for i in items}),
    ("task", _drop_responsibility, lambda item, items: item.key not in {i.key for i in items}),
    (
        "task",
        _rename_unit,
        lambda item, items: (
            {i.organization.name for i in items if i.key == item.key} == {"市工业和信息化局（更名）"}
        ),
    ),
    ("dispatch", _finish_project, lambda item, items: item.key not in {i.key for i in items}),
]


@pytest.mark.parametrize(("kind", "change", "shows"), CHANGES)
def test_the_cached_overdue_list_follows_every_change_it_depends_on(kind, change, shows):
    today = timezone.localdate()
    if kind == "task":
        subject = live_task()
        item = next(i for i in overdue.overdue_items(today) if i.task == subject)
    else:
        subject = construction_project(_months_ago(3))
        item = next(i for i in overdue.overdue_items(today) if i.project == subject)
    unit_items = overdue.overdue_items(today, item.organization)
    assert item.key in {i.key for i in unit_items}
    assert overdue.overdue_items(today)[0].key == overdue.overdue_items(today)[0].key  # cached, same answer
    change(subject)
    assert shows(item, overdue.overdue_items(today))
    assert shows(item, overdue.overdue_items(today, item.organization))
