"""The library's list, filters, exports, statistics and demo data."""

import io
from decimal import Decimal as D

import pytest
from django.db.models import Sum
from openpyxl import load_workbook

from newinfra.projects.models import AnnualInvestment, FlagKind, Project, Stage, Status
from newinfra.projects.queries import filter_projects, statistics

from .helpers import client_for, org, user

pytestmark = pytest.mark.django_db


def test_demo_library_is_plausible_labelled_and_names_the_plans_projects():
    demo = Project.objects.filter(is_demo=True)
    assert 250 <= demo.count() <= 400
    assert not Project.objects.filter(is_demo=True).exclude(name__endswith="（演示）").exists()
    names = set(demo.values_list("name", flat=True))
    for named in (
        "黄埔“5G+智能制造”应用产业园",
        "南沙“5G+无人码头”应用示范",
        "110千伏光谱、猎桥、裕丰三座智能变电站",
    ):
        assert named + "（演示）" in names
    assert demo.values("domain").distinct().count() >= 10
    assert demo.values("districts").distinct().count() == 11
    assert demo.filter(stage=Stage.CONSTRUCTION, dispatch_reports__isnull=False).exists()
    html = client_for("office").get("/projects/").content.decode()
    assert "演示数据" in html


def test_filters_combine_and_agree_with_the_database():
    office = client_for("office")
    tianhe = org("天河区政府")
    response = office.get(f"/projects/?domain=5g&district={tianhe.pk}&inv_min=500&inv_max=20000")
    page = response.context["page"]
    expected = Project.objects.exclude(status=Status.DRAFT).filter(
        domain="5g", districts=tianhe, total_investment__gte=500, total_investment__lte=20000
    )
    assert page.paginator.count == expected.count() > 0
    flagged = (
        Project.objects.filter(flags__kind=FlagKind.CITY_KEY).exclude(status=Status.DRAFT).distinct().count()
    )
    assert office.get("/projects/?flag=city_key").context["page"].paginator.count == flagged > 0
    assert "投资额范围应为数字" in office.get("/projects/?inv_min=abc").content.decode()
    q = office.get("/projects/?q=无人码头").context["page"]
    assert [p.name for p in q.object_list] == ["南沙“5G+无人码头”应用示范（演示）"]


def test_list_export_has_every_filtered_row():
    response = client_for("leader").get("/projects/?domain=energy&export=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    expected = Project.objects.exclude(status=Status.DRAFT).filter(domain="energy").count()
    assert ws.max_row - 1 == expected
    assert ws["A1"].value == "投资项目统一代码"


def test_statistics_add_up():
    qs = Project.objects.exclude(status=Status.DRAFT)
    data = statistics(qs)
    assert data["totals"]["n"] == qs.count()
    assert sum(r["n"] for r in data["by_domain"]) == qs.count()
    assert (
        sum(r["investment"] or 0 for r in data["by_domain"]) == qs.aggregate(s=Sum("total_investment"))["s"]
    )
    admitted = qs.filter(status=Status.ADMITTED)
    assert sum(r["n"] for r in data["by_stage"]) == admitted.count()
    assert (
        sum(r["n"] for r in data["by_district"])
        == Project.districts.through.objects.filter(project__in=qs).count()
    )
    y2021 = next(r for r in data["by_year"] if r["year"] == 2021)
    plans = AnnualInvestment.objects.filter(project__in=qs, year=2021)
    planned, completed = plans.aggregate(p=Sum("planned"))["p"], plans.aggregate(c=Sum("completed"))["c"]
    assert (y2021["planned"], y2021["completed"]) == (planned, completed)
    assert abs(y2021["rate"] - completed / planned * 100) < D("0.01")
    html = client_for("leader").get("/projects/stats/").content.decode()
    assert f'id="stat-count">{qs.count()}<' in html


def test_statistics_are_scoped_to_what_the_user_sees():
    tianhe_total = client_for("tianhe").get("/projects/stats/").context["data"]["totals"]["n"]
    office_total = client_for("office").get("/projects/stats/").context["data"]["totals"]["n"]
    assert 0 < tianhe_total < office_total


def test_api_filters_as_the_page_does():
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user("office"))
    body = api.get("/api/projects/?domain=datacenter&stage=construction").json()
    qs, _ = filter_projects(
        Project.objects.exclude(status=Status.DRAFT), {"domain": "datacenter", "stage": "construction"}
    )
    assert body["count"] == qs.count()
    assert all(p["domain"] == "datacenter" and p["stage"] == "construction" for p in body["results"])


def test_cached_statistics_follow_every_change():
    from decimal import Decimal

    from newinfra.projects import services

    from .helpers import admitted_project

    office = client_for("office")
    before = office.get("/projects/stats/").context["data"]["totals"]
    project = admitted_project()  # saves through the services
    after = office.get("/projects/stats/").context["data"]["totals"]
    assert after["n"] == before["n"] + 1
    assert after["investment"] == before["investment"] + project.total_investment
    services.save_dispatch(
        project,
        user("mobile"),
        "2021-01",
        {"invested_month": Decimal("40"), "invested_cumulative": Decimal("40"), "progress_pct": Decimal("4")},
    )  # totals written with QuerySet.update, which sends no signal
    assert office.get("/projects/stats/").context["data"]["totals"]["invested"] == after["invested"] + 40


def test_the_admin_lists_projects_and_never_deletes_them():
    admin = client_for("admin")
    project = Project.objects.filter(is_demo=True).first()
    assert admin.get("/admin/projects/project/?q=无人码头").status_code == 200
    assert admin.get(f"/admin/projects/project/{project.pk}/change/").status_code == 200
    assert admin.get(f"/admin/projects/project/{project.pk}/history/").status_code == 200
    assert admin.get(f"/admin/projects/project/{project.pk}/delete/").status_code == 403


def test_statistics_by_subtraction_equal_statistics_by_join():
    """The default view counts years as all plan rows minus the invisible projects' rows."""
    from newinfra.projects.permissions import invisible_projects, visible_projects

    office = user("office")
    qs = visible_projects(office)
    Project.objects.filter(is_demo=True, status=Status.DRAFT).first().annual_plans.create(
        year=2021, planned=D("77")
    )
    direct, subtracted = statistics(qs), statistics(qs, invisible_projects(office))
    assert direct["by_year"] == subtracted["by_year"]
    assert direct["by_district"] == subtracted["by_district"]


def test_districts_key_follows_the_districts():
    from .helpers import new_project

    project = new_project(district="天河区政府")
    project.districts.add(org("越秀区政府"))
    project.refresh_from_db()
    assert (
        project.districts_key
        == f",{','.join(str(i) for i in sorted([org('天河区政府').pk, org('越秀区政府').pk]))},"
    )
    org("天河区政府").district_projects.remove(project)
    project.refresh_from_db()
    assert project.districts_key == f",{org('越秀区政府').pk},"
    project.districts.clear()
    project.refresh_from_db()
    assert project.districts_key == ""


def test_task_and_indicator_pages_show_the_projects_that_serve_them():
    from newinfra.projects.models import ProjectContribution

    contribution = ProjectContribution.objects.filter(
        project__is_demo=True, project__status="admitted"
    ).first()
    html = client_for("leader").get(f"/indicators/{contribution.indicator_id}/").content.decode()
    assert "项目贡献" in html
    project = Project.objects.filter(is_demo=True, status="admitted", tasks__isnull=False).first()
    task = project.tasks.first()
    assert project.name in client_for("leader").get(f"/tasks/{task.pk}/").content.decode()
