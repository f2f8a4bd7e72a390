"""Who sees whose rows: the leader sees the city, a unit its own, an enterprise none of it."""

import pytest
from django.test import Client

from newinfra.projects.tests.helpers import user

pytestmark = pytest.mark.django_db


def _client(username):
    client = Client()
    client.force_login(user(username))
    return client


def test_the_leader_sees_every_units_overdue_rows_with_no_reporting_links():
    office = _client("office").get("/supervision/")
    leader = _client("leader").get("/supervision/")
    gongxin = _client("gongxin").get("/supervision/")
    assert leader.status_code == 200

    def items(response, kind=None):
        return [i for g in response.context["groups"] for i in g.items if kind is None or i.kind == kind]

    city = len(items(office, "value"))
    assert city > 0 and len(items(leader, "value")) == city
    assert len(items(leader, "task")) == len(items(office, "task"))
    units = {i.organization.name for i in items(leader, "value")}
    assert len(units) > 1, "the city's rows come from several units, not the leader's own bureau"
    assert {i.organization.name for i in items(gongxin)} <= {"市工业和信息化局"}
    assert len(items(gongxin, "value")) < city
    page = leader.content.decode()
    assert "/report/" not in page and "发出督办通知" not in page
    assert "/report/" in gongxin.content.decode()


def test_an_enterprise_is_refused_the_governments_internal_pages_and_api():
    client = _client("mobile")
    for url in ("/supervision/", "/evaluations/", "/dashboard/", "/monitor/", "/monitor/review/"):
        assert client.get(url).status_code == 403, url
    unit = user("gongxin").membership.organization_id
    assert client.get(f"/dashboard/units/{unit}/").status_code == 403
    for url in ("/api/evaluations/", "/api/data-values/", "/api/attainment/"):
        assert client.get(url, headers={"accept": "application/json"}).status_code == 403, url
    assert client.get("/projects/").status_code == 200
    assert client.get("/ledger/").status_code == 200


def test_a_unit_opens_its_own_dashboard_and_not_another_units():
    gongxin = _client("gongxin")
    own = user("gongxin").membership.organization_id
    other = user("tianhe").membership.organization_id
    assert gongxin.get(f"/dashboard/units/{own}/").status_code == 200
    assert gongxin.get(f"/dashboard/units/{other}/").status_code == 403
    assert _client("leader").get(f"/dashboard/units/{other}/").status_code == 200
