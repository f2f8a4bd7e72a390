"""pk_url gives what reverse() gives; contains_q finds what icontains finds, in either case."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from newinfra.plans.models import Plan, Task
from newinfra.utilities.links import pk_url
from newinfra.utilities.text_search import contains_q, has_case

NAMES = ["task-detail", "organization-detail", "plan-detail", "project-detail", "indicator-detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 7, 90, 4096, 2**31 - 1])
@pytest.mark.parametrize("prefix", ["/", "/newinfra/"])
def test_pk_url_is_reverse(name, pk, prefix):
    set_script_prefix(prefix)
    try:
        assert pk_url(name, pk) == reverse(name, args=[pk])
        assert pk_url(name, pk).startswith(prefix)
    finally:
        set_script_prefix("/")


def test_the_filter_in_a_template_is_the_url_tag():
    from django.template import engines

    t = engines["django"].from_string(
        "{% load links %}{{ pk|pk_url:'task-detail' }} {% url 'task-detail' pk %}"
    )
    ours, django = t.render({"pk": 31}).split()
    assert ours == django == "/tasks/31/"


@pytest.mark.parametrize(
    "value, cased",
    [("任务", False), ("5-1", False), ("（三）", False), ("5G", True), ("ipv6", True), ("Ⅻ", True)],
)
def test_which_words_have_case(value, cased):
    assert has_case(value) is cased


TEXTS = ["建设5G基站", "推进IPv6规模部署", "完善城市大脑", "新型基础设施建设100%覆盖", "数据中心_集约化"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "word", ["5G", "5g", "ipv6", "IPV6", "城市", "基站", "100%", "_", "%", "心_集", "无此词"]
)
def test_contains_q_finds_what_icontains_finds(word):
    plan = Plan.objects.create(key="p", title="规划", status="published")
    for i, text in enumerate(TEXTS):
        Task.objects.create(plan=plan, number=str(i + 1), title=f"任务{i + 1}", text=text, order=i)
    expected = set(Task.objects.filter(text__icontains=word).values_list("number", flat=True))
    assert (
        set(Task.objects.filter(contains_q(word, "title", "text")).values_list("number", flat=True))
        == expected
    )
    assert expected or word == "无此词"
