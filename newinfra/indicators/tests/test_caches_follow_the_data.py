"""Caches follow the data: a plan deactivated (in the admin, by a revision) leaves every page on
the next request, not minutes later; change records show local time to the second; the ledger
page and its export show the same 完成时限."""

import datetime as dt
import io

import lxml.html
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from newinfra.indicators.queries import attainment_rows
from newinfra.plans.models import Plan, Task
from newinfra.projects.tests.helpers import client_for, user
from newinfra.utilities import history

pytestmark = pytest.mark.django_db


def test_deactivating_a_plan_changes_the_pages_on_the_next_request():
    plan = Plan.objects.filter(is_active=True).order_by("pk").first()
    client = client_for("office")
    before = client.get("/monitor/").content.decode()
    rows = attainment_rows()  # warm the cache
    assert any(r.target.plan_id == plan.pk for r in rows)
    plan.is_active = False
    plan.save()  # as the admin does
    assert not any(r.target.plan_id == plan.pk for r in attainment_rows())
    after = client.get("/monitor/").content.decode()
    assert after.count("<tr") < before.count("<tr")
    plan.is_active = True
    plan.save()
    assert any(r.target.plan_id == plan.pk for r in attainment_rows())


def test_withdrawing_a_task_changes_the_cached_attainment():
    task = Task.objects.filter(is_active=True, targets__is_active=True).order_by("pk").first()
    assert any(r.target.task_id == task.pk for r in attainment_rows())
    for target in task.targets.filter(is_active=True):
        target.is_active = False
        target.save()
    assert not any(r.target.task_id == task.pk for r in attainment_rows())


def test_change_records_show_local_time_to_the_second():
    from newinfra.indicators import services
    from newinfra.plans.models import Indicator

    ind = Indicator.objects.get(name="5G基站")
    ind.data_values.filter(period=dt.date(2020, 3, 31)).delete()  # the demo value out of the way
    dv, _ = services.save_value(user("gongxin"), ind, dt.date(2020, 3, 31), None, 12345)
    services.approve(user("office"), dv)
    rows = history.changes(dv.history.all())
    shown = [c.new for _, diff in rows for c in diff if c.field == "审核时间"]
    local = timezone.localtime(dv.approved_at).strftime("%Y-%m-%d %H:%M:%S")
    assert shown == [local]
    assert all(
        "+00:00" not in str(c.new) and "." not in str(c.new)[-7:]
        for _, d in rows
        for c in d
        if "时间" in c.field
    )


def test_the_ledger_page_and_its_export_show_the_same_deadline():
    client = client_for("office")
    page = lxml.html.fromstring(client.get("/ledger/").content.decode())
    header = [th.text_content().strip() for th in page.xpath("//table//thead//th")]
    column = header.index("完成时限")
    # the cell's own text (the parsed date, when there is one, is a separate line under it)
    shown = [
        (tr.xpath("./td")[column].text or "").strip()
        for tr in page.xpath("//table//tbody/tr")
        if tr.xpath("./td")
    ]
    sheet = load_workbook(io.BytesIO(client.get("/ledger/?export=xlsx").content)).active
    values = list(sheet.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(values) if "完成时限" in r)  # below the title rows
    exported = [r[values[head].index("完成时限")] or "" for r in values[head + 1 :]]
    assert shown and all(shown)  # no task shows a blank 完成时限
    assert sorted(shown) == sorted(exported[: len(shown)]) or set(shown) <= set(exported)
