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
from newinfra.plans.services import publish

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


def seed_task(number="3", stem="004_95f77615fa3aaf4e"):
    return Task.objects.get(plan__source_name=f"{stem}.txt", number=number, is_active=True)


def test_api_tasks_carry_deadline_date_and_flags():
    from newinfra.projects.tests.helpers import client_for

    task = seed_task()
    item = client_for("leader").get(f"/api/tasks/{task.pk}/").json()
    assert (item["deadline"], item["deadline_date"]) == ("2022年底", "2022-12-31")
    assert item["flags"] == task.flags
    listed = client_for("leader").get("/api/tasks/").json()["results"]
    assert all({"deadline", "deadline_date", "flags"} <= set(t) for t in listed)
    # Tasks due by a date: those with a dated deadline on or before it.
    due = client_for("leader").get("/api/tasks/?due_before=2022-12-31&due_after=2022-12-31").json()
    assert (
        due["count"] == Task.objects.filter(is_active=True, deadline_date=dt.date(2022, 12, 31)).count() > 0
    )
    assert client_for("leader").get("/api/tasks/?due_before=2019-01-01").json()["count"] == 0
    assert client_for("leader").get("/api/tasks/?due_before=不是日期").status_code == 400


def test_office_rewrites_a_deadline_and_its_date_follows_a_unit_cannot():
    from newinfra.projects.tests.helpers import client_for

    task = seed_task()
    r = client_for("office").patch(
        f"/api/tasks/{task.pk}/",
        {"deadline": "2025年6月底前", "reason": "分工表调整"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["deadline_date"] == "2025-06-30"
    r = client_for("office").patch(
        f"/api/tasks/{task.pk}/",
        {"deadline": "持续推进", "reason": "分工表调整"},
        content_type="application/json",
    )
    assert r.json()["deadline_date"] is None
    # 市工业和信息化局 (user gongxin) is responsible for the task: it reports progress, no more.
    assert task.responsibilities.filter(organization__name="市工业和信息化局", is_active=True).exists()
    r = client_for("gongxin").patch(
        f"/api/tasks/{task.pk}/", {"deadline": "2030年底前"}, content_type="application/json"
    )
    assert r.status_code == 403
    task.refresh_from_db()
    assert (task.deadline, task.deadline_date) == ("持续推进", None)
    r = client_for("office").patch(f"/api/tasks/{task.pk}/", {"flags": []}, content_type="application/json")
    task.refresh_from_db()
    assert task.flags == seed_task().flags  # flags are the parser's, read-only


def test_ledger_shows_and_sorts_by_the_deadline_date_and_exports_it():
    import io

    from openpyxl import load_workbook

    from newinfra.projects.tests.helpers import client_for

    plan = Plan.objects.get(source_name="004_95f77615fa3aaf4e.txt")
    client = client_for("leader")
    html = client.get(f"/ledger/?plan={plan.pk}").content.decode()
    assert "2022年底" in html and "2022-12-31" in html
    page = client.get(f"/ledger/?plan={plan.pk}&sort=-deadline").context["page"]
    dates = [t.deadline_date for t in page.object_list]
    dated = [d for d in dates if d]
    assert dated and dated == sorted(dated, reverse=True)
    r = client.get(f"/ledger/?plan={plan.pk}&export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[3]]  # under the title and the 截至 row
    assert header[8:10] == ["完成时限", "完成日期"]
    rows = {(row[2], row[8], row[9]) for row in ws.iter_rows(min_row=4, values_only=True)}
    assert ("3", "2022年底", dt.datetime(2022, 12, 31)) in rows


def test_plan_and_task_pages_list_the_parsers_flags():
    from newinfra.projects.tests.helpers import client_for

    doc = parse_text(PLAN, "flags.txt").to_dict()
    load_document(doc, PLAN.encode(), "flags.txt")
    plan = Plan.objects.get(source_name="flags.txt")
    publish(plan)  # a draft is the office's alone; the units read the flags once it is published
    task = plan.tasks.get(number="2")
    for username in ("office", "leader", "gongxin", "tianhe"):
        html = client_for(username).get(f"/plans/{plan.pk}/").content.decode()
        assert "待核实" in html and "没有找到这项任务的责任单位" in html, username
        assert "这个指标没有写明年份" in html  # a target's flag, from the parsed document
        assert f'href="/tasks/{task.pk}/"' in html
    html = client_for("leader").get(f"/tasks/{task.pk}/").content.decode()
    assert "待核实" in html and "没有找到这项任务的责任单位" in html
    task1 = plan.tasks.get(number="1")
    html = client_for("leader").get(f"/tasks/{task1.pk}/").content.decode()
    assert "2024年9月底前" in html and "2024年9月30日前" in html


OTHER_CITY = (
    "立山区数字经济工作方案（2024年）\n一、主要任务\n1.建设算力平台。(区发改局牵头)\n2.推进千兆光网覆盖。\n"
)


def test_the_plan_page_lists_warnings_before_notes_on_units_of_another_city():
    from newinfra.projects.tests.helpers import client_for

    load_document(parse_text(OTHER_CITY, "other.txt").to_dict(), OTHER_CITY.encode(), "other.txt")
    plan = Plan.objects.get(source_name="other.txt")
    publish(plan)
    html = client_for("office").get(f"/plans/{plan.pk}/").content.decode()
    flags = html[html.index('id="parser-flags"') :]
    assert "待核实（1 处）" in flags and "另有 1 处仅供参考" in flags
    assert (
        flags.index("没有找到这项任务的责任单位")
        < flags.index("（仅供参考）")
        < flags.index("“区发改局”不在单位名录中")
    )


def test_uploading_an_xlsx_task_table_loads_its_tasks(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from newinfra.projects.tests.helpers import client_for

    wb = Workbook()
    ws = wb.active
    ws.append(["南岭市数字基础设施重点任务分工表"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "工作任务", "责任单位", "时间节点"])
    ws.append([1, "建设城市算力调度平台", "市数据资源局（牵头）、市发展改革委", "2025年6月底前"])
    ws.append([2, "推进千兆光网城乡全覆盖", "市工业和信息化局（牵头）、各区政府", "持续推进"])
    wb.save(tmp_path / "分工.xlsx")
    response = client_for("office").post(
        "/plans/upload/",
        {"document": SimpleUploadedFile("分工.xlsx", (tmp_path / "分工.xlsx").read_bytes())},
        follow=True,
    )
    assert response.status_code == 200
    assert "解析中有 1 处待核实" in response.content.decode()  # 市数据资源局 is not in the table
    plan = Plan.objects.get(source_name="分工.xlsx")
    assert plan.title == "南岭市数字基础设施重点任务分工表"
    got = [
        (
            t.number,
            t.deadline,
            t.deadline_date,
            [r.organization.name for r in t.responsibilities.filter(is_lead=True)],
        )
        for t in plan.tasks.filter(is_active=True).order_by("order")
    ]
    assert got == [
        ("1", "2025年6月底前", dt.date(2025, 6, 30), ["市数据资源局"]),
        ("2", "持续推进", None, ["市工业和信息化局"]),
    ]


def test_a_broken_xlsx_gets_a_chinese_message_and_changes_nothing():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from newinfra.projects.tests.helpers import client_for

    counts = (Plan.objects.count(), Task.objects.count())
    response = client_for("office").post(
        "/plans/upload/", {"document": SimpleUploadedFile("分工.xlsx", b"PK\x03\x04 not a workbook")}
    )
    assert response.status_code == 400
    assert "Excel文件已损坏" in response.content.decode()
    assert (Plan.objects.count(), Task.objects.count()) == counts
