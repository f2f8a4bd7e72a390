"""A draft or withdrawn plan feeds nothing: each consumer of tasks and targets, from one table,
sees the plan only while it is published."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from newinfra.plans import services

from .test_services import PLAN

pytestmark = pytest.mark.django_db
TITLE = "示范市智能网联设施建设工作方案"


def page(path, username="tianhe"):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    r = client.get(path)
    assert r.status_code == 200
    return r.content.decode()


def reminders(plan):
    from newinfra.supervision.services import overdue_tasks

    return any(t.plan_id == plan.pk for t, _, _ in overdue_tasks(dt.date(2025, 7, 20)))


def lights(plan):
    from newinfra.indicators.queries import attainment_rows

    return any(r.target.plan_id == plan.pk for r in attainment_rows())


def evaluation(plan):
    from newinfra.evaluation.snapshot import build

    return any(t["plan"] == TITLE for t in build(dt.date(2025, 6, 30))["tasks"])


def shared_indicators(plan):
    from newinfra.plans.compare import indicators_with_targets

    return any(t.plan_id == plan.pk for ind in indicators_with_targets() for t in ind.active_targets)


def project_form(plan):
    from newinfra.projects.forms import ProjectForm

    return ProjectForm().fields["tasks"].queryset.filter(plan=plan).exists()


CONSUMERS = {
    "督办 reminders": reminders,
    "lights": lights,
    "evaluation snapshot": evaluation,
    "indicators across plans": shared_indicators,
    "project declaration form": project_form,
    "task ledger": lambda plan: "完善充电网络" in page("/ledger/?q=充电网络"),
    "我的任务": lambda plan: "完善充电网络" in page("/my-tasks/"),
    "targets page": lambda plan: "新建公共充电桩2万个" in page(f"/targets/?plan={plan.pk}"),
    "plan dashboard": lambda plan: _status(f"/dashboard/plans/{plan.pk}/") == 200,
    "unit dashboard": lambda plan: "完善充电网络" in page(f"/dashboard/units/{_org('天河区政府')}/"),
    "organisation page": lambda plan: "完善充电网络" in page(f"/orgs/{_org('天河区政府')}/"),
}


def _org(name):
    from newinfra.orgs.models import Organization

    return Organization.objects.get(name=name).pk


def _status(path):
    client = Client()
    client.force_login(get_user_model().objects.get(username="office"))
    return client.get(path).status_code


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_only_a_published_plan_feeds_it(consumer):
    office = get_user_model().objects.get(username="office")
    plan = services.upload(PLAN.encode("utf-8"), "demo-plan.txt", office).plan
    services.edit_task(plan.tasks.get(number="2"), lead_units=["市发展改革委"], co_units=["天河区政府"])
    seen = CONSUMERS[consumer]
    assert not seen(plan), "a draft"
    services.publish(plan, office)
    assert seen(plan), "published"
    services.withdraw(plan, "测试撤回", office)
    assert not seen(plan), "withdrawn"
