"""The main pages do not read what they do not show: a plan's parse result and source text (some
100 KB per plan) are read by the plan's own page only, not by every task, target or list joined to
a plan. Before, the ledger read 5 MB for its 50 rows and the home page decoded 259 JSON documents."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# The pages bench_load.py browses, and the other lists of tasks and targets.
PAGES = [
    "/",
    "/ledger/",
    "/my-tasks/",
    "/projects/",
    "/projects/{project}/",
    "/projects/stats/",
    "/dashboard/",
    "/monitor/",
    "/indicators/{indicator}/",
    "/supervision/",
    "/map/",
    "/search/?q=5G",
    "/plans/",
    "/targets/",
    "/tasks/{task}/",
    "/api/tasks/",
    "/api/targets/",
]
HEAVY = re.compile(r'"plans_plan(revision)?"\."(document|source_text)"')


@pytest.mark.parametrize("username", ["office", "gongxin", "mobile", "leader"])
def test_no_main_page_reads_a_plans_parse_result_or_text(username):
    from newinfra.plans.models import Task
    from newinfra.projects.tests.helpers import admitted_project

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    project = admitted_project(name="页面重量测试项目")
    fill = {"project": project.pk, "indicator": 1, "task": Task.objects.live().order_by("pk").first().pk}
    opened = 0
    for page in PAGES:
        url = page.format(**fill)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url).status_code
        assert status in (200, 403, 404), (url, status)
        opened += status == 200
        heavy = [q["sql"][:160] for q in ctx.captured_queries if HEAVY.search(q["sql"])]
        assert heavy == [], (url, heavy)
    assert opened >= 9  # every role opens most of them (the rest are closed to it)
    # the plan's own page does read it (the check above can see it)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/plans/{Task.objects.live().first().plan_id}/").status_code == 200
    assert any(HEAVY.search(q["sql"]) for q in ctx.captured_queries)


def test_the_units_with_tasks_in_force_are_the_same_without_a_distinct_over_the_join():
    from newinfra.orgs.models import Organization
    from newinfra.plans.models import Plan, live_responsibility_q
    from newinfra.plans.queries import units_with_live_tasks

    def old():
        return set(Organization.objects.filter(live_responsibility_q(), is_active=True).distinct())

    assert set(units_with_live_tasks()) == old() and len(old()) > 10
    # a withdrawn plan's units drop out of both alike
    plan = Plan.objects.live().order_by("pk").first()
    Plan.objects.filter(pk=plan.pk).update(is_active=False)
    assert set(units_with_live_tasks()) == old()
    Organization.objects.filter(pk__in=[o.pk for o in old()][:3]).update(is_active=False)
    assert set(units_with_live_tasks()) == old()
