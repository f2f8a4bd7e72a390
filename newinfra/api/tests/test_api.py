"""The REST API from the outside: filters, token auth, and who may write what."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from newinfra.orgs.models import Organization
from newinfra.plans.models import Task

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


def client_for(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username=username))
    return client


def all_pages(client, url):
    items = []
    while url:
        body = client.get(url).json()
        items += body["results"]
        url = body["next"]
    return items


def gold_tasks_of(unit: str) -> set[tuple[str, str]]:
    out = set()
    for stem in ("000_ba1357ab942c2fa4", "004_95f77615fa3aaf4e"):
        gold = json.loads((DATA / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        out |= {(stem, t["number"]) for t in gold["tasks"] if unit in t["all_units"]}
    return out


@pytest.mark.parametrize("unit", ["省通信管理局", "市工业和信息化局", "越秀区政府", "广州供电局", "市发改委"])
def test_tasks_by_unit_returns_exactly_that_units_tasks(unit):
    client = client_for("leader")
    canonical = Organization.objects.resolve(unit).name
    expected = gold_tasks_of(canonical) | gold_tasks_of(unit)
    got = {
        (Task.objects.get(pk=t["id"]).plan.source_name[:-4], t["number"])
        for t in all_pages(client, f"/api/tasks/?unit={unit}")
    }
    assert got == expected and got


def test_unit_filter_takes_an_id_and_a_role():
    client = client_for("leader")
    org = Organization.objects.get(name="市工业和信息化局")
    by_id = {t["id"] for t in all_pages(client, f"/api/tasks/?unit={org.pk}")}
    lead = {t["id"] for t in all_pages(client, f"/api/tasks/?unit={org.pk}&role=lead")}
    co = {t["id"] for t in all_pages(client, f"/api/tasks/?unit={org.pk}&role=co")}
    assert lead and co and lead | co == by_id and not lead & co
    assert all(
        "市工业和信息化局" in t["lead_units"]
        for t in all_pages(client, f"/api/tasks/?unit={org.pk}&role=lead")
    )


def test_collective_units_on_request():
    client = client_for("leader")
    named = client.get("/api/tasks/?unit=天河区政府").json()["count"]
    widened = client.get("/api/tasks/?unit=天河区政府&include_collective=true").json()["count"]
    assert named == 0 and widened == 36


def test_unknown_unit_gives_no_tasks():
    assert client_for("leader").get("/api/tasks/?unit=不存在的单位").json()["count"] == 0


def test_token_auth():
    anonymous = APIClient()
    assert anonymous.get("/api/tasks/").status_code in (401, 403)
    bad = anonymous.post("/api/auth/token/", {"username": "tianhe", "password": "wrong"}, format="json")
    assert bad.status_code == 400 and "密码" in bad.json()["detail"]
    token = anonymous.post(
        "/api/auth/token/", {"username": "tianhe", "password": "newinfra2026"}, format="json"
    )
    assert token.status_code == 200
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert anonymous.get("/api/tasks/").status_code == 200


def test_schema_and_docs_are_served_locally():
    client = client_for("leader")
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/tasks/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "https://" not in html.replace("https://github.com", "")


def tianhe_tasks():
    return Task.objects.filter(responsibilities__organization__name="天河区政府", is_active=True)


def not_tianhe_task():
    return (
        Task.objects.exclude(responsibilities__organization__name__in=["天河区政府", "各区政府"])
        .filter(is_active=True)
        .order_by("pk")
        .first()
    )


def test_a_district_user_reads_but_cannot_change_another_units_task():
    client = client_for("tianhe")
    task = not_tianhe_task()
    assert client.get(f"/api/tasks/{task.pk}/").status_code == 200
    response = client.patch(f"/api/tasks/{task.pk}/", {"progress_note": "已完成"}, format="json")
    assert response.status_code in (403, 404)
    task.refresh_from_db()
    assert task.progress_note == ""


def test_a_responsible_unit_reports_progress_but_cannot_rewrite_the_task():
    client = client_for("gongxin")
    task = (
        Task.objects.filter(responsibilities__organization__name="市工业和信息化局", is_active=True)
        .order_by("pk")
        .first()
    )
    ok = client.patch(f"/api/tasks/{task.pk}/", {"progress_note": "已建成5G基站1万座"}, format="json")
    assert ok.status_code == 200
    task.refresh_from_db()
    assert task.progress_note == "已建成5G基站1万座"
    assert task.history.first().history_user.username == "gongxin"
    denied = client.patch(f"/api/tasks/{task.pk}/", {"title": "改写"}, format="json")
    assert denied.status_code == 403 and "进展" in denied.json()["detail"]


# Every role × every write endpoint. Expected: allowed or not.
WRITES = [
    ("patch", "/api/tasks/{own_task}/", {"progress_note": "进展"}),
    ("patch", "/api/tasks/{other_task}/", {"progress_note": "进展"}),
    ("patch", "/api/plans/{plan}/", {"title": "新标题", "reason": "更正标题"}),
    ("post", "/api/organizations/", {"name": "测试单位{role}", "kind": "other"}),
    ("patch", "/api/organizations/{org}/", {"name": "市发展改革委（改名）"}),
]
ALLOWED = {
    "admin": [True, True, True, True, True],
    "office": [True, True, True, True, True],
    "gongxin": [True, False, False, False, False],
    "tianhe": [False, False, False, False, False],
    "mobile": [False, False, False, False, False],
    "leader": [False, False, False, False, False],
}


@pytest.mark.parametrize("username", ALLOWED)
def test_permission_matrix_api(username):
    client = client_for(username)
    own = (
        Task.objects.filter(responsibilities__organization__name="市工业和信息化局", is_active=True)
        .exclude(responsibilities__organization__name="各区政府")
        .order_by("pk")
        .first()
    )
    other = (
        not_tianhe_task()
        if username != "gongxin"
        else Task.objects.exclude(
            responsibilities__organization__name__in=["市工业和信息化局", "市直职能部门"]
        )
        .filter(is_active=True)
        .order_by("pk")
        .first()
    )
    ids = {
        "own_task": own.pk,
        "other_task": other.pk,
        "plan": own.plan_id,
        "org": Organization.objects.get(name="市发展改革委").pk,
        "role": username,
    }
    for (method, url, body), allowed in zip(WRITES, ALLOWED[username], strict=True):
        data = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
        response = getattr(client, method)(url.format(**ids), data, format="json")
        assert (response.status_code < 300) == allowed, (username, method, url, response.status_code)
        if not allowed:
            assert response.status_code in (403, 404)


@pytest.mark.parametrize("method", ["delete"])
def test_nothing_is_deleted_through_the_api(method):
    client = client_for("admin")
    task = Task.objects.filter(is_active=True).order_by("pk").first()
    assert getattr(client, method)(f"/api/tasks/{task.pk}/").status_code == 405
    org = Organization.objects.first()
    assert getattr(client, method)(f"/api/organizations/{org.pk}/").status_code == 405


def test_bad_organisation_input_gets_a_chinese_message_and_changes_nothing():
    client = client_for("office")
    count = Organization.objects.count()
    dup = client.post(
        "/api/organizations/", {"name": "重复代码区政府", "kind": "district", "code": "440106"}, format="json"
    )
    assert dup.status_code == 400 and "已被其他单位使用" in json.dumps(dup.json(), ensure_ascii=False)
    bad = client.post(
        "/api/organizations/",
        {"name": "某科技公司", "kind": "enterprise", "code": "91440101MA5CXXXX0X"},
        format="json",
    )
    assert bad.status_code == 400 and "统一社会信用代码" in json.dumps(bad.json(), ensure_ascii=False)
    wrong_check = client.post(
        "/api/organizations/",
        {"name": "某科技公司", "kind": "enterprise", "code": "91350100M000100Y44"},
        format="json",
    )
    assert wrong_check.status_code == 400 and "校验位" in json.dumps(wrong_check.json(), ensure_ascii=False)
    assert Organization.objects.count() == count
    good = client.post(
        "/api/organizations/",
        {"name": "某科技公司", "kind": "enterprise", "code": "91350100M000100Y43"},
        format="json",
    )
    assert good.status_code == 201, good.json()


def test_tasks_api_uses_a_bounded_number_of_queries(django_assert_max_num_queries):
    client = client_for("leader")
    with django_assert_max_num_queries(8):
        assert client.get("/api/tasks/?unit=各区政府").status_code == 200
