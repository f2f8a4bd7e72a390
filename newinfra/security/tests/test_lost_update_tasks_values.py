"""Two writers on one task or one indicator value: the one working from what it read before the
other saved is refused with what changed — in the page (what was typed comes back) and in the API
(409) — and a write at the current version goes through. Nothing is silently overwritten."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from newinfra.indicators.models import DataValue
from newinfra.indicators.tests.helpers import last_due_period, live_target
from newinfra.plans import services as plan_services
from newinfra.plans.tests.test_services import upload
from newinfra.projects.tests.helpers import client_for, user
from newinfra.supervision.models import ProgressReport

from .test_lost_update import _form_data

pytestmark = pytest.mark.django_db


def api_for(name: str) -> APIClient:
    api = APIClient()
    api.force_authenticate(user(name))
    return api


@pytest.fixture
def published_task():
    plan = upload().plan
    task = plan.tasks.get(number="1")
    plan_services.edit_task(task, lead_units=["市住房城乡建设局"], co_units=["市工业和信息化局"])
    plan_services.publish(plan)
    task.refresh_from_db()
    return task


def test_two_api_editors_of_a_task_the_stale_one_gets_409_with_what_changed(published_task):
    a, b = api_for("office"), api_for("office")
    url = f"/api/tasks/{published_task.pk}/"
    etag_a, etag_b = a.get(url)["ETag"], b.get(url)["ETag"]
    assert etag_a == etag_b and etag_a.strip('"') == a.get(url).json()["version"]
    r = a.patch(url, {"deadline": "2025年9月底前", "reason": "进度调整"}, format="json", HTTP_IF_MATCH=etag_a)
    assert r.status_code == 200, r.content
    assert r["ETag"] != etag_a
    r = b.patch(url, {"title": "B改的任务名称", "reason": "表述调整"}, format="json", HTTP_IF_MATCH=etag_b)
    assert r.status_code == 409, r.content
    assert "完成时限" in r.json()["detail"] and "2025年9月底前" in r.json()["detail"]
    published_task.refresh_from_db()
    assert published_task.deadline == "2025年9月底前" and published_task.title != "B改的任务名称"
    # at the version the 409 names, the write goes through and keeps A's change
    r = b.patch(
        url, {"title": "B改的任务名称", "reason": "表述调整", "version": r.json()["version"]}, format="json"
    )
    assert r.status_code == 200, r.content
    published_task.refresh_from_db()
    assert (published_task.title, published_task.deadline) == ("B改的任务名称", "2025年9月底前")


def test_a_units_stale_progress_note_through_the_api_gets_409(published_task):
    url = f"/api/tasks/{published_task.pk}/"
    unit = api_for("gongxin")
    read = unit.get(url)["ETag"]
    assert (
        api_for("office")
        .patch(url, {"deadline": "2025年10月底前", "reason": "调整"}, format="json")
        .status_code
        == 200
    )
    r = unit.patch(url, {"progress_note": "已完成选址"}, format="json", HTTP_IF_MATCH=read)
    assert r.status_code == 409 and "完成时限" in r.json()["detail"]
    published_task.refresh_from_db()
    assert published_task.progress_note != "已完成选址"
    # a client that sends no version saves as before (old scripts keep working)
    assert unit.patch(url, {"progress_note": "已完成选址"}, format="json").status_code == 200


def test_a_stale_proofreading_form_is_refused_with_what_changed_and_keeps_what_was_typed(published_task):
    page = f"/plans/{published_task.plan_id}/proofread/"
    first, second = client_for("office"), client_for("office")
    html = second.get(page).content.decode()
    marker = f'name="task" value="{published_task.pk}"><input type="hidden" name="version" value="'
    version = html.split(marker, 1)[1].split('"', 1)[0]
    assert version and version != "new"
    edit = {
        "action": "edit_task",
        "task": published_task.pk,
        "title": published_task.title,
        "lead_units": "市住房城乡建设局",
        "co_units": "市工业和信息化局",
        "deadline": "2025年6月",
        "deadline_date": "2025-06-30",
    }
    r = first.post(page, {**edit, "title": "第一人改的任务名称", "reason": "统一表述"})
    assert r.status_code == 302
    r = second.post(
        page,
        {
            **edit,
            "deadline": "2025年8月底前",
            "deadline_date": "2025-08-31",
            "reason": "延期",
            "version": version,
        },
    )
    html = r.content.decode()
    assert r.status_code == 400 and "已被" in html and "第一人改的任务名称" in html
    assert 'value="2025年8月底前"' in html and 'value="延期"' in html  # what was typed comes back
    published_task.refresh_from_db()
    assert published_task.title == "第一人改的任务名称" and published_task.deadline != "2025年8月底前"
    # the re-shown form carries the current version: sent again, it saves
    fresh = html.split(marker, 1)[1].split('"', 1)[0]
    assert fresh != version
    r = second.post(
        page,
        {
            **edit,
            "title": "第一人改的任务名称",
            "deadline": "2025年8月底前",
            "deadline_date": "2025-08-31",
            "reason": "延期",
            "version": fresh,
        },
    )
    assert r.status_code == 302
    published_task.refresh_from_db()
    assert (published_task.title, published_task.deadline) == ("第一人改的任务名称", "2025年8月底前")


def test_two_colleagues_reporting_a_tasks_quarter_the_stale_one_is_told(published_task):
    task_page = f"/tasks/{published_task.pk}/"
    post = f"/supervision/tasks/{published_task.pk}/progress/"
    first, second = client_for("gongxin"), client_for("gongxin")
    form_first = _form_data(first.get(task_page).content.decode())
    form_second = _form_data(second.get(task_page).content.decode())
    assert form_first["version"] == ["new"]  # nothing reported this quarter yet
    assert not ProgressReport.objects.filter(task=published_task).exists()
    assert (
        first.post(post, {**form_first, "status": "in_progress", "text": "第一人：已完成选址"}).status_code
        == 302
    )
    r = second.post(post, {**form_second, "status": "in_progress", "text": "第二人：完成立项"}, follow=True)
    html = r.content.decode()
    assert (
        "已由" in html and "第一人：已完成选址" in html and "第二人：完成立项" in html
    )  # told, and the text typed is shown again
    assert ProgressReport.objects.get(task=published_task).text == "第一人：已完成选址"
    again = _form_data(html)
    assert again["version"] != ["new"]
    assert (
        second.post(post, {**again, "status": "in_progress", "text": "第二人：完成立项"}).status_code == 302
    )
    assert ProgressReport.objects.get(task=published_task).text == "第二人：完成立项"


def test_two_reporters_of_one_period_through_the_api_the_stale_one_gets_409():
    target = live_target("测试并发指标")
    due = last_due_period().isoformat()
    a, b = api_for("gongxin"), api_for("gongxin")
    body = {"indicator": target.indicator_id, "period": due, "value": "10", "submit": False}
    r = a.post("/api/data-values/", {**body, "version": "new"}, format="json")
    assert r.status_code == 201, r.content
    read = r.json()["version"]
    # B read the period when it was still empty: its "new" no longer holds
    r = b.post("/api/data-values/", {**body, "value": "12", "version": "new"}, format="json")
    assert r.status_code == 409 and "数值" in r.json()["detail"]
    # A corrects at the version it read; a second correction from that old read is refused
    assert (
        a.post(
            "/api/data-values/", {**body, "value": "11"}, format="json", HTTP_IF_MATCH=f'"{read}"'
        ).status_code
        == 201
    )
    r = a.post("/api/data-values/", {**body, "value": "13"}, format="json", HTTP_IF_MATCH=f'"{read}"')
    assert r.status_code == 409 and "11" in r.json()["detail"]
    assert DataValue.objects.get(indicator=target.indicator).value == Decimal("11")
    # the same value from a stale read loses nothing and is not a conflict
    r = a.post("/api/data-values/", {**body, "value": "11"}, format="json", HTTP_IF_MATCH=f'"{read}"')
    assert r.status_code == 201


def test_a_stale_report_form_saves_nothing_and_shows_what_changed():
    target = live_target("测试并发表单指标")
    due = last_due_period().isoformat()
    url = f"/indicators/{target.indicator_id}/report/?period={due}"
    first, second = client_for("gongxin"), client_for("gongxin")
    form_first = _form_data(first.get(url).content.decode())
    form_second = _form_data(second.get(url).content.decode())
    assert form_second["version_city"] == ["new"]
    assert first.post(url, {**form_first, "value_city": "20", "action": "draft"}).status_code == 302
    r = second.post(url, {**form_second, "value_city": "25", "action": "draft"})
    html = r.content.decode()
    assert r.status_code == 200 and "已由" in html and "数值：20；" in html and 'value="25"' in html
    assert DataValue.objects.get(indicator=target.indicator).value == Decimal("20")
    again = _form_data(html)
    assert again["version_city"] != ["new"]
    assert second.post(url, {**again, "value_city": "25", "action": "draft"}).status_code == 302
    assert DataValue.objects.get(indicator=target.indicator).value == Decimal("25")
