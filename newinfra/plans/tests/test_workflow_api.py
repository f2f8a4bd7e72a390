"""The plan workflow API contract, from outside, with a 统筹办 token and a 责任单位 token."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from newinfra.supervision.models import Notice

from .test_services import PLAN

pytestmark = pytest.mark.django_db


def token_client(username: str) -> APIClient:
    user = get_user_model().objects.get(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def office():
    return token_client("office")


@pytest.fixture
def unit():
    return token_client("gongxin")  # 市工业和信息化局, a 责任单位


def post_plan(client, text=PLAN, name="demo-plan.txt", **extra):
    document = SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text)
    return client.post("/api/plans/", {"document": document, **extra}, format="multipart")


def count(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.content
    return r.json()["count"]


def test_an_upload_is_a_draft_nobody_else_sees(office, unit):
    r = post_plan(office, title="只补缺失的标题")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "draft" and body["title"] == "示范市智能网联设施建设工作方案"
    pid = body["id"]
    assert count(office, f"/api/tasks/?plan={pid}") == 3
    assert count(office, f"/api/targets/?plan={pid}") > 0
    assert count(unit, f"/api/tasks/?plan={pid}") == 0
    assert count(unit, f"/api/targets/?plan={pid}") == 0
    assert unit.get(f"/api/plans/{pid}/").status_code == 404
    assert pid not in {p["id"] for p in unit.get("/api/plans/").json()["results"]}
    task = office.get(f"/api/tasks/?plan={pid}").json()["results"][0]
    assert unit.get(f"/api/tasks/{task['id']}/").status_code == 404
    assert {"deadline", "deadline_date", "flags"} <= set(task)


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "empty.txt", "文件是空的"),
        (b"\x00\x01\x02\x03" * 200, "image.bin", "不是文本、Word、Excel、网页或PDF"),
        (b"PK\x03\x04 broken", "broken.docx", "Word文件已损坏"),
        ("这只是一段说明文字，没有任何任务。", "note.txt", "不是规划文件"),
    ],
)
def test_an_unreadable_or_non_plan_file_is_a_400_with_a_clear_message(office, content, name, message):
    r = post_plan(office, content, name)
    assert r.status_code == 400
    assert message in r.json()["detail"]


def test_only_the_office_uploads_publishes_and_withdraws(office, unit):
    assert post_plan(unit).status_code == 403
    pid = post_plan(office).json()["id"]
    assert unit.post(f"/api/plans/{pid}/publish/").status_code == 403
    assert office.post(f"/api/plans/{pid}/publish/").status_code == 200
    assert unit.post(f"/api/plans/{pid}/withdraw/", {"reason": "x"}).status_code == 403


def test_the_office_corrects_a_task_by_names_or_aliases_and_an_unknown_name_is_named(office, unit):
    pid = post_plan(office).json()["id"]
    task = next(t for t in office.get(f"/api/tasks/?plan={pid}").json()["results"] if t["number"] == "1")
    url = f"/api/tasks/{task['id']}/"
    r = office.patch(url, {"lead_units": ["市不存在局"]}, format="json")
    assert r.status_code == 400 and "市不存在局" in r.json()["detail"]
    r = office.patch(
        url,
        {
            "title": "推进智慧灯杆建设",
            "lead_units": ["市住房城乡建设局"],
            "co_units": ["市工信局"],  # an alias of 市工业和信息化局
            "deadline": "2025年6月底前",
            "deadline_date": "2025-06-30",
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["lead_units"] == ["市住房城乡建设局"]
    assert body["all_units"] == ["市住房城乡建设局", "市工业和信息化局"]
    assert (body["deadline"], body["deadline_date"]) == ("2025年6月底前", "2025-06-30")
    assert unit.patch(url, {"title": "x"}, format="json").status_code == 404  # still a draft


def test_publishing_shows_the_corrected_tasks_to_the_unit_with_one_notice(office, unit):
    pid = post_plan(office).json()["id"]
    tasks = {t["number"]: t for t in office.get(f"/api/tasks/?plan={pid}").json()["results"]}
    office.patch(
        f"/api/tasks/{tasks['1']['id']}/",
        {"lead_units": ["市住房城乡建设局"], "co_units": ["市工业和信息化局"], "deadline_date": "2025-06-30"},
        format="json",
    )
    r = office.post(f"/api/plans/{pid}/publish/")
    assert r.status_code == 200 and r.json()["status"] == "published"
    mine = unit.get(f"/api/tasks/?plan={pid}&unit=市工业和信息化局").json()["results"]
    assert [(t["number"], t["deadline_date"]) for t in mine] == [("1", "2025-06-30")]
    notices = unit.get("/api/notices/").json()
    notices = notices["results"] if isinstance(notices, dict) else notices
    about = [n for n in notices if "示范市智能网联设施建设工作方案" in n["title"]]
    assert len(about) == 1 and "1. 推进智慧灯杆建设" in about[0]["body"]
    # amending a published task needs a reason
    r = office.patch(f"/api/tasks/{tasks['1']['id']}/", {"deadline_date": "2025-09-30"}, format="json")
    assert r.status_code == 400 and "原因" in r.json()["detail"]
    r = office.patch(
        f"/api/tasks/{tasks['1']['id']}/", {"deadline_date": "2025-09-30", "reason": "延期"}, format="json"
    )
    assert r.status_code == 200 and r.json()["deadline_date"] == "2025-09-30"
    assert Notice.objects.filter(title__contains="示范市").count() >= 2


def overview_totals():
    """(targets with a light, tasks by status) on the city overview, as 市工业和信息化局 sees it."""
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="gongxin"))
    r = client.get("/dashboard/")
    assert r.status_code == 200
    return sum(r.context["light_counts"].values()), sum(r.context["task_counts"].values())


def test_a_draft_counts_nowhere_and_a_withdrawal_leaves_the_overview_on_the_next_request(office, unit):
    base = overview_totals()
    pid = post_plan(office).json()["id"]
    assert overview_totals() == base  # a draft counts in no dashboard
    targets = count(office, f"/api/targets/?plan={pid}")
    office.post(f"/api/plans/{pid}/publish/")
    assert overview_totals() == (base[0] + targets, base[1] + 3)
    assert unit.get(f"/api/attainment/?plan={pid}").json()
    assert count(unit, f"/api/tasks/?plan={pid}") == 3
    r = office.post(f"/api/plans/{pid}/withdraw/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "原因" in r.json()["detail"]
    r = office.post(f"/api/plans/{pid}/withdraw/", {"reason": "印发有误"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert r.json()["status_reason"] == "印发有误"
    assert overview_totals() == base
    assert unit.get(f"/api/attainment/?plan={pid}").json() == []
    assert count(unit, f"/api/tasks/?plan={pid}") == 0
    assert count(unit, f"/api/targets/?plan={pid}") == 0
    assert unit.get(f"/api/plans/{pid}/").status_code == 404
    assert office.get(f"/api/plans/{pid}/").json()["status"] == "withdrawn"


def test_a_published_plans_title_changes_only_with_a_reason_and_history_keeps_both(office, unit):
    from newinfra.plans.models import Plan

    pid = post_plan(office).json()["id"]
    r = office.patch(f"/api/plans/{pid}/", {"title": "草稿期间改名"}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "草稿期间改名"  # a draft: no reason asked
    office.post(f"/api/plans/{pid}/publish/")
    rows = Plan.history.filter(id=pid).count()
    r = office.patch(f"/api/plans/{pid}/", {"title": "发布后改名"}, format="json")
    assert r.status_code == 400 and "原因" in r.json()["detail"]
    assert office.get(f"/api/plans/{pid}/").json()["title"] == "草稿期间改名"
    assert Plan.history.filter(id=pid).count() == rows  # refused: nothing written
    r = office.patch(
        f"/api/plans/{pid}/", {"period_start": 2030, "period_end": 2025, "reason": "x"}, format="json"
    )
    assert r.status_code == 400 and "起始年" in r.json()["detail"]
    r = office.patch(f"/api/plans/{pid}/", {"period_end": 25, "reason": "x"}, format="json")
    assert r.status_code == 400 and "四位年份" in r.json()["detail"]  # the page's rule, in the service
    r = office.patch(f"/api/plans/{pid}/", {"title": " ", "reason": "x"}, format="json")
    assert r.status_code == 400
    r = office.patch(f"/api/plans/{pid}/", {"title": "发布后改名", "reason": "按印发稿更正"}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "发布后改名" and r.json()["task_count"] == 3
    latest = Plan.history.filter(id=pid).first()
    assert latest.title == "发布后改名" and latest.history_change_reason == "按印发稿更正"
    assert latest.history_user.username == "office"
    assert latest.prev_record.title == "草稿期间改名"
    assert (
        unit.patch(f"/api/plans/{pid}/", {"title": "单位改名", "reason": "x"}, format="json").status_code
        == 403
    )
