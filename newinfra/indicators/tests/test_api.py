"""The monitoring API from the outside: who reads and writes what."""

from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from newinfra.indicators import services
from newinfra.projects.tests.helpers import user
from newinfra.supervision.notices import notify

from .helpers import last_due_period, live_target

pytestmark = pytest.mark.django_db


def api(username):
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def test_a_value_goes_in_through_the_api_and_the_office_approves_it():
    target = live_target("测试API指标")
    due = last_due_period()
    r = api("gongxin").post(
        "/api/data-values/",
        {"indicator": target.indicator_id, "period": due.isoformat(), "value": "120"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "submitted"
    pk = r.json()["id"]
    r = api("gongxin").post(
        "/api/data-values/",
        {"indicator": target.indicator_id, "period": due.isoformat(), "value": "-1"},
        format="json",
    )
    assert r.status_code == 400 and "负数" in str(r.json())
    assert api("office").post(f"/api/data-values/{pk}/approve/").json()["status"] == "approved"
    listed = api("leader").get(f"/api/data-values/?indicator={target.indicator_id}&district=city").json()
    assert [v["value"] for v in listed["results"]] == ["120.0000"]
    rows = api("leader").get("/api/attainment/").json()
    mine = [r for r in rows if r["indicator"] == "测试API指标"]
    assert mine and mine[0]["status"] == "green" and mine[0]["value"] == 120.0


def test_notices_are_the_users_organisations_only():
    notify(user("gongxin").membership.organization, "给工信局的通知")
    notify(user("tianhe").membership.organization, "给天河区的通知")
    titles = [n["title"] for n in api("gongxin").get("/api/notices/").json()["results"]]
    assert "给工信局的通知" in titles and "给天河区的通知" not in titles
    other = api("tianhe").get("/api/notices/").json()["results"][0]["id"]
    assert api("gongxin").post(f"/api/notices/{other}/read/").status_code == 404
    mine = api("gongxin").get("/api/notices/?unread=1").json()["results"][0]["id"]
    assert api("gongxin").post(f"/api/notices/{mine}/read/").json()["read_at"]


def test_evaluations_are_read_only_for_everyone():
    body = api("leader").get("/api/evaluations/").json()
    assert body["count"] >= 1 and "targets" in body["results"][0]["snapshot"]
    assert api("office").post("/api/evaluations/", {"name": "x"}, format="json").status_code == 405
    assert APIClient().get("/api/attainment/").status_code in (401, 403)


def test_values_of_others_cannot_be_approved_by_the_reporter():
    target = live_target("测试API指标2")
    dv, _ = services.save_value(user("gongxin"), target.indicator, last_due_period(), None, D(5))
    assert (
        api("gongxin").post(f"/api/data-values/{dv.pk}/return/", {"comment": "x"}, format="json").status_code
        == 403
    )
