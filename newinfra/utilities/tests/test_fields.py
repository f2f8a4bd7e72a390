"""LazyJSONField: a plan's parse result is decoded when it is read, and reads and writes as JSONField does."""

from __future__ import annotations

import pytest

from newinfra.plans.models import Plan, Task
from newinfra.utilities.fields import _JSONText

pytestmark = pytest.mark.django_db


def test_rows_joined_to_their_plan_do_not_decode_its_parse_result():
    tasks = list(Task.objects.select_related("plan")[:20])
    assert tasks
    assert all(type(t.plan.__dict__["document"]) is _JSONText for t in tasks)
    # reading it decodes it once, for that instance
    document = tasks[0].plan.document
    assert isinstance(document, dict) and document["tasks"]
    assert tasks[0].plan.__dict__["document"] is document


@pytest.mark.parametrize(
    "load",
    [
        lambda pk: Plan.objects.get(pk=pk),
        lambda pk: Task.objects.select_related("plan").filter(plan_id=pk).first().plan,
        lambda pk: Plan.objects.only("title").get(pk=pk),  # deferred: loaded on first read
        lambda pk: Plan.objects.defer("document").get(pk=pk),
    ],
    ids=["get", "select_related", "only", "defer"],
)
def test_the_parse_result_reads_back_as_it_was_written_and_changes_are_saved(load):
    plan = Plan.objects.order_by("pk").first()
    expected = Plan.objects.values_list("document", flat=True).get(pk=plan.pk)  # the JSON text
    import json

    assert load(plan.pk).document == json.loads(expected)
    edited = load(plan.pk)
    edited.document["note"] = "校对备注"
    edited.document["tasks"] = edited.document["tasks"][:1]
    edited.save()
    again = Plan.objects.get(pk=plan.pk).document
    assert again["note"] == "校对备注" and len(again["tasks"]) == 1


def test_a_plan_made_in_python_keeps_its_value_and_null_stays_null():
    plan = Plan(key="lazy-test", title="测试", document={"tasks": [], "targets": [1, 2]})
    assert plan.document == {"tasks": [], "targets": [1, 2]}
    plan.save()
    assert Plan.objects.get(pk=plan.pk).document == {"tasks": [], "targets": [1, 2]}
    plan.document = {}
    plan.save()
    assert Plan.objects.get(pk=plan.pk).document == {}
