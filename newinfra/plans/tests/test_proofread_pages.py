"""The proofreading and revision pages, from outside, for every role."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newinfra.plans import services
from newinfra.plans.models import Plan, PlanStatus

from .test_services import PLAN

pytestmark = pytest.mark.django_db

ROLES_404 = ["gongxin", "tianhe", "leader", "mobile"]


def login(client, name):
    client.force_login(get_user_model().objects.get(username=name))
    return client


@pytest.fixture
def draft():
    office = get_user_model().objects.get(username="office")
    return services.upload(PLAN.encode("utf-8"), "demo-plan.txt", office).plan


def page(plan):
    return f"/plans/{plan.pk}/proofread/"


def test_the_office_sees_source_beside_extraction_with_flags_first(client, draft):
    r = login(client, "office").get(page(draft))
    assert r.status_code == 200
    html = r.content.decode()
    # each task, its units and its targets are marked where they were read
    task3 = draft.tasks.get(number="3")
    assert f'data-refs="task-{task3.pk}">（责任单位：市交通运输局牵头，市公安局）</mark>' in html
    assert 'class="m-target"' in html and 'class="m-task"' in html
    # tasks 1 and 2 have no units (承办/协办 is unknown to the parser): flagged, listed first
    order = [html.index(f'id="task-{draft.tasks.get(number=n).pk}"') for n in ("1", "2", "3")]
    assert order[0] < order[2] and order[1] < order[2]
    assert "未识别出责任单位" in html
    assert '<b id="flag-count">' in html


@pytest.mark.parametrize("name", ROLES_404)
def test_a_draft_does_not_exist_for_anyone_but_the_office(client, draft, name):
    login(client, name)
    # the proofreading page is the office's desk: refused to others whether the plan exists or not
    missing = Plan.objects.order_by("-pk").first().pk + 1000
    assert client.get(page(draft)).status_code == client.get(f"/plans/{missing}/proofread/").status_code
    assert client.get(page(draft)).status_code in (403, 404)
    assert client.get(f"/plans/{draft.pk}/").status_code == 404
    assert client.post(page(draft), {"action": "publish"}).status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


@pytest.mark.parametrize("name", ROLES_404)
def test_only_the_office_proofreads_a_published_plan(client, name):
    plan = Plan.objects.live().first()
    assert login(client, name).get(page(plan)).status_code == 403


def test_an_unknown_unit_is_refused_with_what_was_typed_and_ways_to_fix_it(client, draft):
    task = draft.tasks.get(number="1")
    before = (task.title, task.deadline, task.deadline_date)
    login(client, "office")
    data = {
        "action": "edit_task",
        "task": task.pk,
        "title": "推进智慧灯杆建设（校）",
        "lead_units": "示范市灯杆公司",
        "co_units": "",
        "deadline": "2025年6月底前",
        "deadline_date": "2025-06-29",
    }
    r = client.post(page(draft), data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "单位“示范市灯杆公司”不在单位名录中" in html
    assert 'value="推进智慧灯杆建设（校）"' in html and 'value="2025-06-29"' in html
    assert "新增单位" in html and "设为别名" in html
    task.refresh_from_db()
    assert (task.title, task.deadline, task.deadline_date) == before  # the refused edit changed nothing
    # made an alias of a known unit, the same entry goes through
    r = client.post(
        page(draft), {"action": "new_alias", "name": "示范市灯杆公司", "organization": "市住房城乡建设局"}
    )
    assert r.status_code == 302
    assert client.post(page(draft), data).status_code == 302
    r = client.get(page(draft))
    assert "已改动" in r.content.decode()
    assert services.unit_names(task) == (["市住房城乡建设局"], [])


def test_a_published_plan_asks_a_reason_for_each_amendment(client, draft):
    services.publish(draft)
    task = draft.tasks.get(number="3")
    login(client, "office")
    base = {
        "action": "edit_task",
        "task": task.pk,
        "title": task.title,
        "lead_units": "市交通运输局",
        "co_units": "天河区政府",
        "deadline": "",
        "deadline_date": "",
    }
    r = client.post(page(draft), base)
    assert r.status_code == 400 and "修改须填写原因" in r.content.decode()
    assert client.post(page(draft), {**base, "reason": "分工调整"}).status_code == 302
    assert services.unit_names(task) == (["市交通运输局"], ["天河区政府"])
    # the task's history shows the version before and after, with who and why
    html = login(client, "tianhe").get(f"/tasks/{task.pk}/").content.decode()
    assert "说明：分工调整" in html and "天河区政府" in html and "（已移除）" in html


def test_the_office_corrects_the_plans_title_and_years_and_a_bad_year_keeps_what_was_typed(client, draft):
    login(client, "office")
    form = {
        "action": "edit_plan",
        "title": "广州市测试规划（校对）",
        "period_start": "2021",
        "period_end": "二〇二五",
    }
    r = client.post(page(draft), form)
    html = r.content.decode()
    assert r.status_code == 400 and "截止年请填写四位年份" in html
    assert 'value="广州市测试规划（校对）"' in html and 'value="二〇二五"' in html
    draft.refresh_from_db()
    assert draft.title != "广州市测试规划（校对）"
    assert client.post(page(draft), {**form, "period_end": "2025"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.period_start, draft.period_end) == ("广州市测试规划（校对）", 2021, 2025)
    services.publish(draft)
    r = client.post(page(draft), {**form, "title": "改名", "period_end": "2025"})
    assert r.status_code == 400 and "修改须填写原因" in r.content.decode()
    r = client.post(page(draft), {**form, "title": "改名", "period_end": "2025", "reason": "按印发稿"})
    assert r.status_code == 302
    assert draft.history.first().history_change_reason == "按印发稿"
    assert login(client, "gongxin").post(page(draft), {**form, "reason": "x"}).status_code in (403, 404)


def test_the_page_reads_a_constant_number_of_queries(client, draft):
    login(client, "office")
    big = Plan.objects.get(source_name="004_95f77615fa3aaf4e.txt")
    counts = []
    for plan in (draft, big):
        with CaptureQueriesContext(connection) as q:
            assert client.get(page(plan)).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]


def test_the_revision_page_lists_changes_and_publishing_applies_them(client, draft):
    services.publish(draft)
    office = get_user_model().objects.get(username="office")
    revision = services.upload(
        PLAN.replace("新建公共充电桩2万个", "新建公共充电桩3万个").encode("utf-8"), "rev.txt", office
    ).revision
    url = f"/plans/{draft.pk}/revisions/{revision.pk}/"
    assert login(client, "gongxin").get(url).status_code == 403
    r = login(client, "office").get(url)
    html = r.content.decode()
    assert '<span class="old">2万</span>' in html and '<span class="new">3万</span>' in html
    assert client.post(url, {"action": "publish"}).status_code == 302
    assert draft.targets.get(indicator_as_written="公共充电桩").value == 30000
