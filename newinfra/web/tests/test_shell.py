"""The shell from the outside: the header's sections by role, search, and the Chinese error pages."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from newinfra.projects.tests.helpers import admitted_project, new_project

pytestmark = pytest.mark.django_db

# The header of each role, written out.
MENUS = {
    "office": ["首页", "总览", "规划", "任务台账", "我的任务", "指标监测", "项目库", "一张图", "督办", "评估"]
    + ["目标对照", "单位"],
    "gongxin": [
        "首页",
        "总览",
        "规划",
        "任务台账",
        "我的任务",
        "指标监测",
        "项目库",
        "一张图",
        "督办",
        "评估",
    ]
    + ["目标对照", "单位"],
    "mobile": ["首页", "规划", "任务台账", "项目库", "一张图", "目标对照", "单位"],
    "leader": ["首页", "总览", "规划", "任务台账", "指标监测", "项目库", "一张图", "督办", "评估", "目标对照"]
    + ["单位"],
}


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.parametrize("username", list(MENUS))
def test_the_header_lists_the_sections_the_role_may_open_and_each_one_opens(username):
    client = client_for(username)
    menu = client.get("/").context["menu"]
    assert [item["label"] for item in menu] == MENUS[username]
    for item in menu:
        assert client.get(item["url"]).status_code == 200, item["url"]
    assert [i["label"] for i in client.get("/projects/stats/").context["menu"] if i["active"]] == ["项目库"]


def test_search_groups_results_by_kind_and_keeps_to_what_the_user_may_see():
    theirs = admitted_project(declarant="telecom", name="电信专属边缘计算节点")
    ours = admitted_project(declarant="mobile", name="移动专属边缘计算节点")
    telecom = client_for("telecom").get("/search/", {"q": "专属边缘计算"})
    groups = {g.key: g for g in telecom.context["groups"]}
    assert [h.title for h in groups["projects"].hits] == [theirs.name]
    mobile = client_for("mobile").get("/search/", {"q": theirs.code})
    assert {g.key: g.total for g in mobile.context["groups"]}["projects"] == 0
    by_code = client_for("mobile").get("/search/", {"q": ours.code}).context["groups"]
    assert [h.url for g in by_code for h in g.hits if g.key == "projects"] == [f"/projects/{ours.pk}/"]
    office = client_for("office").get("/search/", {"q": "专属边缘计算"})
    assert {g.key: g.total for g in office.context["groups"]}["projects"] == 2
    everything = client_for("office").get("/search/", {"q": "5G"}).context["groups"]
    assert [g.key for g in everything] == ["tasks", "projects", "indicators", "organizations", "plans"]
    found = {g.key: g.total for g in everything}
    assert found["tasks"] > 0 and found["indicators"] > 0
    units = {g.key: g for g in client_for("leader").get("/search/", {"q": "天河"}).context["groups"]}
    assert "天河区政府" in [h.title for h in units["organizations"].hits]


def test_search_finds_what_a_traditional_script_user_types():
    client = client_for("office")
    client.get("/script/hant/")
    groups = {g.key: g for g in client.get("/search/", {"q": "網絡"}).context["groups"]}
    assert groups["tasks"].total > 0  # 网络 in the tasks' Simplified text


def test_search_costs_the_same_queries_however_many_records_match():
    client = client_for("office")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/search/", {"q": "检索测试"}).status_code == 200
        return len(ctx.captured_queries)

    admitted_project(name="检索测试项目一")
    before = queries()
    for i in range(15):
        new_project(name=f"检索测试项目{i}", status="submitted")
    assert queries() == before


def test_an_empty_or_overlong_query_is_harmless():
    client = client_for("mobile")
    assert client.get("/search/").context["groups"] == []
    response = client.get("/search/", {"q": "测" * 500})
    assert response.status_code == 200 and len(response.context["q"]) == 100


def test_the_403_and_404_pages_are_chinese_in_the_sites_frame_with_a_way_back():
    client = client_for("mobile")
    refused = client.get("/evaluations/", headers={"referer": "http://testserver/projects/"})
    page = refused.content.decode()
    assert refused.status_code == 403
    assert "无权访问此页面" in page and "阶段评估仅对政府部门和领导开放" in page
    assert 'href="http://testserver/projects/" id="error-back"' in page
    assert 'class="mainnav"' in page and 'href="/evaluations/"' not in page
    missing = client.get("/projects/99999999/")
    assert missing.status_code == 404 and "找不到此页面" in missing.content.decode()
    outside = client.get("/evaluations/", headers={"referer": "https://elsewhere.example/"})
    assert 'href="/" id="error-back"' in outside.content.decode()


def test_the_500_page_is_chinese_and_needs_nothing_that_could_fail_again():
    from newinfra.web.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode() and "回到首页" in response.content.decode()


def test_an_enterprise_reads_only_approved_figures_on_an_indicator_page():
    from newinfra.indicators.models import DataValue, ValueStatus

    value = DataValue.objects.filter(status=ValueStatus.APPROVED).select_related("indicator").first()
    value.pk, value.status, value.period = None, ValueStatus.SUBMITTED, value.period.replace(year=2030)
    value.save()
    url = f"/indicators/{value.indicator_id}/"
    mobile = client_for("mobile").get(url)
    office = client_for("office").get(url)
    assert value.period in {r["period"] for r in office.context["table"]}
    assert value.period not in {r["period"] for r in mobile.context["table"]}
    assert mobile.context["value_changes"] == [] and "已提交" not in mobile.content.decode()
