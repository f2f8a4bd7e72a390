"""A frozen evaluation does not move when data changes; its exports are complete."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from newinfra.evaluation.models import Evaluation, Phase
from newinfra.evaluation.services import freeze
from newinfra.indicators import services
from newinfra.indicators.models import DataValue
from newinfra.plans.models import Indicator
from newinfra.projects.tests.helpers import client_for, user

pytestmark = pytest.mark.django_db


def cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_a_midterm_evaluation_frozen_in_2021_gives_the_same_xlsx_after_new_2022_data():
    ev = freeze(user("office"), "中期评估测试", Phase.MIDTERM, dt.date(2021, 12, 31))
    first = client_for("leader").get(f"/evaluations/{ev.pk}/?format=xlsx").content
    before = cells(first)
    # New data arrives for 2022 and is approved; an earlier value is corrected too.
    ind = Indicator.objects.get(name="5G基站")
    DataValue.objects.filter(indicator=ind, period__year=2022).delete()  # demo values out of the way
    dv, _ = services.save_value(user("gongxin"), ind, dt.date(2022, 3, 31), None, D(99999))
    services.approve(user("office"), dv)
    DataValue.objects.filter(indicator=ind, period=dt.date(2021, 12, 31), district__isnull=True).update(
        value=D(1)
    )
    again = client_for("leader").get(f"/evaluations/{ev.pk}/?format=xlsx").content
    assert cells(again) == before
    assert (
        load_workbook(io.BytesIO(again)).properties.modified
        == load_workbook(io.BytesIO(first)).properties.modified
    )
    # A new evaluation at the same date still sees the value as it stood then: a correction made
    # years later is not what the office knew on its 基准日.
    fresh = freeze(user("office"), "重新评估", Phase.MIDTERM, dt.date(2021, 12, 31))
    five_g = [t for t in fresh.snapshot["targets"] if t["indicator"] == "5G基站"]
    old = [t for t in Evaluation.objects.get(pk=ev.pk).snapshot["targets"] if t["indicator"] == "5G基站"]
    assert five_g and [t["current"] for t in five_g] == [t["current"] for t in old]
    assert all(t["current"] != 1.0 for t in five_g)


def test_the_xlsx_and_docx_hold_every_part_of_the_evaluation():
    ev = freeze(user("office"), "总结示范测试", Phase.SUMMARY, dt.date(2022, 12, 31))
    sheets = cells(client_for("office").get(f"/evaluations/{ev.pk}/?format=xlsx").content)
    assert list(sheets) == ["概况", "指标达成", "任务进展", "项目库", "单位评分", "区评分"]
    assert len(sheets["指标达成"]) - 1 == len(ev.snapshot["targets"]) > 50
    assert len(sheets["任务进展"]) - 1 == 60
    assert len(sheets["区评分"]) - 1 == 11
    doc = Document(io.BytesIO(client_for("office").get(f"/evaluations/{ev.pk}/?format=docx").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("总体情况", "量化目标达成情况", "任务推进情况", "项目库", "责任单位评分", "各区情况"):
        assert heading in text
    assert len(doc.tables) >= 4 and len(doc.inline_shapes) >= 3  # tables, charts and the map


def test_only_the_office_freezes():
    for name in ("gongxin", "leader", "mobile"):
        assert (
            client_for(name)
            .post("/evaluations/", {"name": "x", "phase": "midterm", "as_of": "2021-12-31"})
            .status_code
            == 403
        )
    response = client_for("office").post(
        "/evaluations/", {"name": "中期", "phase": "midterm", "as_of": "2021-12-31"}
    )
    assert response.status_code == 302 and Evaluation.objects.filter(name="中期").exists()


def test_scorecards_follow_the_published_rule():
    from newinfra.evaluation.snapshot import score

    card = {
        "tasks": 4,
        "tasks_done": 1,
        "tasks_closed": 1,
        "tasks_in_progress": 2,
        "targets": 2,
        "green": 1,
        "amber": 1,
        "overdue": 1,
    }
    assert score(card) == pytest.approx(50 * 3 / 4 + 50 * 1.5 / 2 - 2)
    assert score({**card, "overdue": 30}) == pytest.approx(50 * 3 / 4 + 50 * 1.5 / 2 - 20)  # at most 20 off


def test_task_status_is_the_one_reported_by_the_evaluation_date():
    from newinfra.evaluation.snapshot import task_states_on
    from newinfra.plans.models import Task
    from newinfra.supervision import services as supervision

    task = (
        Task.objects.filter(
            responsibilities__organization__name="市工业和信息化局", responsibilities__is_active=True
        )
        .exclude(state__status="closed")
        .order_by("pk")
        .first()
    )
    for status, text, day in (
        ("lagging", "2021年滞后", dt.date(2021, 11, 15)),
        ("done", "2022年完成", dt.date(2022, 11, 15)),
    ):
        r = supervision.post_progress(user("gongxin"), task, status, text, day=day)
        # posted on that day, as its history records
        r.history.update(history_date=timezone.make_aware(dt.datetime.combine(day, dt.time(10))))
    assert task_states_on(dt.date(2021, 12, 31))[task.pk] == "lagging"
    assert task_states_on(dt.date(2022, 12, 31))[task.pk] == "done"
