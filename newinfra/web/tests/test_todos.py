"""待办: each role's to-dos are counted right, and computing them costs the same with 10× the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newinfra.indicators.models import DataValue, ValueStatus
from newinfra.projects.models import (
    AdjustmentRequest,
    DispatchReport,
    Project,
    ProjectEvent,
    Stage,
    Status,
)
from newinfra.projects.tests.helpers import org, user
from newinfra.supervision import overdue
from newinfra.supervision.models import ClosureRequest, SupervisionOrder
from newinfra.web.todos import todos_for

pytestmark = pytest.mark.django_db
ROLES = ["office", "gongxin", "tianhe", "mobile", "leader"]


def counts(username: str) -> dict[str, int]:
    return {t.key: t.count for t in todos_for(user(username))}


def expected(username: str) -> dict[str, int]:
    """The same to-dos counted straight from the records, one rule per entry."""
    today = timezone.localdate()
    u = user(username)
    o = u.membership.organization
    projects = Project.objects.active()
    late = overdue.overdue_items(today)
    if username == "office":
        out = {
            "office_review": projects.filter(status=Status.FIRST_REVIEWED).count(),
            "adjustments": AdjustmentRequest.objects.filter(state="pending", project__is_active=True).count(),
            "closures": ClosureRequest.objects.filter(state="pending").count(),
            "answered_orders": SupervisionOrder.objects.filter(state="answered").count(),
            "value_review": DataValue.objects.filter(status=ValueStatus.SUBMITTED).count(),
            "to_press": sum(1 for i in late if not i.open_order),
        }
    elif username == "leader":
        out = {}
    elif username == "mobile":
        out = {
            "returned": projects.filter(declarant=o, status=Status.RETURNED).count(),
            "drafts": projects.filter(declarant=o, status=Status.DRAFT).count(),
            "overdue": len(overdue.declarant_dispatch(today, o)),
            "due_soon": len(overdue.declarant_dispatch(today, o, soon=True)),
        }
    else:
        soon = overdue.due_soon_items(today, o)
        out = {
            "first_review": projects.filter(status=Status.SUBMITTED, competent=o).count(),
            "overdue": sum(1 for i in late if i.organization == o and i.kind != "dispatch"),
            "due_soon": sum(1 for i in soon if i.kind != "dispatch"),
            "projects_overdue": sum(1 for i in late if i.organization == o and i.kind == "dispatch"),
            "orders": SupervisionOrder.objects.filter(
                organization=o, state__in=SupervisionOrder.AWAITING_UNIT
            ).count(),
            "returned_values": DataValue.objects.filter(status=ValueStatus.RETURNED, reporting_org=o).count(),
            "problems": DispatchReport.objects.filter(
                problem_unit=o, problem_resolved=False, project__is_active=True
            ).count(),
        }
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize("username", ROLES)
def test_the_to_dos_of_each_role_count_what_is_theirs_to_do(username):
    got = counts(username)
    assert got == expected(username)
    if username == "gongxin":
        assert got["overdue"] == 24  # 市工业和信息化局's overdue indicator reports in the demo
    if username == "leader":
        assert got == {}  # the leader's home is the city overview


def test_each_to_do_links_to_where_it_is_done_and_review_waits_are_counted_in_days():
    todos = {t.key: t for t in todos_for(user("gongxin"))}
    review = todos["first_review"]
    assert review.link == "/projects/review/"
    assert all(line.link.startswith("/projects/") and line.days is not None for line in review.lines)
    overdue_todo = todos["overdue"]
    assert all(line.link.startswith("/indicators/") and line.days > 0 for line in overdue_todo.lines)
    assert [line.days for line in overdue_todo.lines] == sorted(
        (line.days for line in overdue_todo.lines), reverse=True
    )


def multiply_demo(times: int = 9) -> None:
    """Add ``times`` copies of every demo project, its events and routed problems, and of every
    order, closure request, adjustment and indicator value: the library at 10× its size."""
    demo = list(Project.objects.filter(is_demo=True).order_by("pk"))
    districts = {}
    for pid, oid in Project.districts.through.objects.filter(project__in=demo).values_list(
        "project_id", "organization_id"
    ):
        districts.setdefault(pid, []).append(oid)
    problems = {r.project_id: r for r in DispatchReport.objects.filter(problem_unit__isnull=False)}
    office = user("office")
    for n in range(1, times + 1):
        copies = []
        for p in demo:
            c = Project(
                name=f"{p.name}·{n}",
                declarant_id=p.declarant_id,
                competent_id=p.competent_id,
                domain=p.domain,
                total_investment=p.total_investment,
                status=p.status,
                stage=p.stage,
                admitted_on=p.admitted_on,
                last_report_month=p.last_report_month,
                invested_to_date=p.invested_to_date,
                is_demo=True,
            )
            c.source = p
            copies.append(c)
        Project.objects.bulk_create(copies, batch_size=500)
        Project.districts.through.objects.bulk_create(
            [
                Project.districts.through(project_id=c.pk, organization_id=oid)
                for c in copies
                for oid in districts.get(c.source.pk, [])
            ],
            batch_size=1000,
        )
        ProjectEvent.objects.bulk_create(
            [
                ProjectEvent(project=c, action=ProjectEvent.Action.SUBMIT, user=office)
                for c in copies
                if c.status != Status.DRAFT
            ],
            batch_size=1000,
        )
        DispatchReport.objects.bulk_create(
            [
                DispatchReport(
                    project=c,
                    month=problems[c.source.pk].month,
                    invested_month=0,
                    invested_cumulative=0,
                    progress_pct=0,
                    problems=problems[c.source.pk].problems,
                    problem_unit_id=problems[c.source.pk].problem_unit_id,
                )
                for c in copies
                if c.source.pk in problems
            ]
        )
        admitted = [c for c in copies if c.status == Status.ADMITTED]
        AdjustmentRequest.objects.bulk_create(
            [
                AdjustmentRequest(project=c, changes={"name": "x"}, reason="测试", requested_by=office)
                for c in admitted[:20]
            ]
        )
        tasks = list(
            SupervisionOrder.objects.values_list("task_id", "indicator_id", "organization_id", "state")
        )
        SupervisionOrder.objects.bulk_create(
            [
                SupervisionOrder(
                    task_id=t,
                    indicator_id=i,
                    organization_id=o,
                    state=s,
                    text="测试督办",
                    respond_by=timezone.localdate() + dt.timedelta(days=5),
                    issued_by=office,
                )
                for t, i, o, s in tasks
            ]
        )
        from newinfra.plans.models import Task

        for task in Task.objects.filter(responsibilities__organization__name="市工业和信息化局")[:3]:
            ClosureRequest.objects.create(
                task=task, organization=org("市工业和信息化局"), text="测试", requested_by=user("gongxin")
            )
        values = list(DataValue.objects.filter(district__isnull=True).order_by("pk")[:200])
        DataValue.objects.bulk_create(
            [
                DataValue(
                    indicator_id=v.indicator_id,
                    period=v.period.replace(year=v.period.year - 30 * n),
                    value=v.value,
                    status=[ValueStatus.SUBMITTED, ValueStatus.RETURNED][k % 2],
                    reporting_org_id=v.reporting_org_id or org("市工业和信息化局").pk,
                )
                for k, v in enumerate(values)
            ],
            batch_size=500,
        )
    Project.objects.filter(is_demo=True, status=Status.ADMITTED, stage="").update(stage=Stage.RESERVE)
    # The platform's own bulk writes (imports, the dispatch) raise the data versions cached lists
    # are keyed on; these copies do too, so that the counts compare the lists computed afresh.
    from newinfra.projects.stats_cache import bump

    for name in ("library", "values", "reports"):
        bump(name)


def test_to_dos_cost_the_same_number_of_queries_with_ten_times_the_data():
    def queries(username):
        with CaptureQueriesContext(connection) as ctx:
            todos = todos_for(user(username))
        return len(ctx.captured_queries), {t.key: t.count for t in todos}

    before = {u: queries(u) for u in ROLES}
    multiply_demo(9)
    after = {u: queries(u) for u in ROLES}
    assert Project.objects.filter(is_demo=True).count() == 10 * 320
    for u in ROLES:
        assert after[u][0] == before[u][0], u
    # The data really grew under the counts.
    assert after["office"][1]["office_review"] > 5 * before["office"][1]["office_review"]
    assert after["tianhe"][1]["problems"] > 5 * before["tianhe"][1]["problems"]
    assert after["mobile"][1]["overdue"] > 5 * before["mobile"][1]["overdue"]
    assert after["gongxin"][1]["returned_values"] > 0
    for u in ROLES:
        assert after[u][1] == expected(u), u


PAGES = [("office", "/"), ("gongxin", "/"), ("tianhe", "/"), ("mobile", "/"), ("leader", "/")]
PAGES += [("tianhe", "/ledger/?unit=天河区政府"), ("gongxin", "/my-tasks/"), ("office", "/supervision/")]


def test_home_ledger_and_my_tasks_cost_the_same_number_of_queries_with_ten_times_the_data():
    from django.test import Client

    from newinfra.supervision.models import ProgressReport

    def queries(username, url):
        client = Client()
        client.force_login(user(username))
        client.get(url)  # sessions and caches warm
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {p: queries(*p) for p in PAGES}
    multiply_demo(9)
    reports = list(ProgressReport.objects.all())
    for n in range(1, 10):
        ProgressReport.objects.bulk_create(
            [
                ProgressReport(
                    task_id=r.task_id,
                    organization_id=r.organization_id,
                    period=r.period.replace(year=r.period.year - 10 * n),
                    status=r.status,
                    text=r.text,
                    posted_by_id=r.posted_by_id,
                )
                for r in reports
            ]
        )
    after = {p: queries(*p) for p in PAGES}
    assert after == before
