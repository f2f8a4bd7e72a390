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


@pytest.mark.parametrize("names", [[], ["市工业和信息化局"], ['a"b', "<x>", "R&D 中心", "'单'"]])
def test_datalist_options_are_the_template_loop(names):
    from django.template import engines

    loop = engines["django"].from_string('{% for n in names %}<option value="{{ n }}">{% endfor %}')
    ours = engines["django"].from_string("{% load task_rows %}{{ names|datalist_options }}")
    assert ours.render({"names": names}) == loop.render({"names": names})


@pytest.mark.parametrize("lead", [True, False])
def test_unit_links_are_the_template_loop_in_order(lead):
    from types import SimpleNamespace as R

    from django.template import engines

    rows = [
        R(is_lead=i % 2 == 0, organization_id=10 + i, organization=R(name=name))
        for i, name in enumerate(["市发展改革委", "<b>&局", "市工业和信息化局", '"引号"单位'])
    ]
    loop = engines["django"].from_string(
        "{% for r in rows %}{% if r.is_lead == lead %}"
        '<a class="unit{% if lead %} lead{% endif %}" href="{% url \'organization-detail\' r.organization_id %}">'
        "{{ r.organization.name }}</a>{% endif %}{% endfor %}"
    )
    ours = engines["django"].from_string("{% load task_rows %}{% unit_links rows lead=lead %}")
    assert ours.render({"rows": rows, "lead": lead}) == loop.render({"rows": rows, "lead": lead})


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["plan", "-plan", "title", "-title", "number", "-deadline", "deadline"])
def test_keys_first_pages_are_the_pages(sort, rf):
    """Every page of every sort holds the rows, in the order, that slicing the whole rows gives."""
    import datetime as dt

    from django.core.paginator import Paginator

    from newinfra.plans.queries import tasks_with_units
    from newinfra.plans.views import LEDGER_SORTS
    from newinfra.utilities.tables import KeysFirstPaginator, sort_and_page

    plans = [Plan.objects.create(key=f"p{i}", title=t, status="published") for i, t in enumerate("乙甲乙")]
    for i in range(11):
        Task.objects.create(
            plan=plans[i % 3],
            number=str(i % 4),
            title=["建设", "推进", "完善"][i % 3],
            text="内容",
            order=i % 5,
            deadline_date=dt.date(2025, 1 + i % 2, 1) if i % 3 else None,
        )
    qs = tasks_with_units().filter(plan__in=plans).order_by("plan_id", "order")
    page, _ = sort_and_page(
        rf.get("/", {"sort": sort}), qs, LEDGER_SORTS, "plan", per_page=4, keys_first=True
    )
    ordered = page.paginator.object_list
    assert isinstance(page.paginator, KeysFirstPaginator)
    plain, keyed = Paginator(ordered, 4), KeysFirstPaginator(ordered, 4)
    assert keyed.num_pages == plain.num_pages == 3
    for n in range(1, 4):
        assert [t.pk for t in keyed.page(n)] == [t.pk for t in plain.page(n)]
        assert all(hasattr(t, "active_responsibilities") for t in keyed.page(n))


@pytest.mark.django_db
def test_keys_first_leaves_a_distinct_queryset_to_slicing():
    from newinfra.utilities.tables import KeysFirstPaginator

    plan = Plan.objects.create(key="p", title="规划", status="published")
    for i in range(5):
        Task.objects.create(plan=plan, number=str(i), title="任务", text="", order=i)
    qs = Task.objects.filter(plan=plan).distinct().order_by("-order", "pk")
    assert [t.order for t in KeysFirstPaginator(qs, 2).page(2)] == [2, 1]
