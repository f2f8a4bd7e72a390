"""Monthly dispatch: the rules a report must meet, and the figures it keeps up to date."""

import datetime as dt
from decimal import Decimal as D

import pytest

from newinfra.projects import services
from newinfra.projects.models import AnnualInvestment, DispatchReport

from .helpers import admitted_project, client_for, user

pytestmark = pytest.mark.django_db


def report(project, month, month_amount, cumulative, progress="10", who="mobile", **extra):
    data = {
        "invested_month": D(month_amount),
        "invested_cumulative": D(cumulative),
        "progress_pct": D(progress),
        **extra,
    }
    return services.save_dispatch(project, user(who), month, data)


def test_reports_keep_the_projects_and_the_years_figures():
    project = admitted_project()
    AnnualInvestment.objects.create(project=project, year=2021, planned=D("600"))
    report(project, "2021-11", "100", "100", "10")
    report(project, "2021-12", "150", "250", "25")
    report(project, "2022-01", "50", "300", "30")
    project.refresh_from_db()
    assert (project.invested_to_date, project.progress_pct, project.last_report_month) == (
        D("300"),
        D("30"),
        dt.date(2022, 1, 1),
    )
    assert AnnualInvestment.objects.get(project=project, year=2021).completed == D("250")


def test_cumulative_investment_never_decreases():
    project = admitted_project()
    report(project, "2021-05", "200", "200")
    with pytest.raises(services.ProjectError, match="累计数不能减少"):
        report(project, "2021-06", "0", "150")
    # Correcting an earlier month above a later one is refused too.
    report(project, "2021-06", "100", "300")
    with pytest.raises(services.ProjectError, match="累计数不能减少"):
        report(project, "2021-05", "400", "400")
    assert DispatchReport.objects.filter(project=project).count() == 2


def test_exceeding_the_total_needs_an_explanation():
    project = admitted_project()  # total 1000
    with pytest.raises(services.ProjectError, match="超过总投资"):
        report(project, "2021-05", "1200", "1200")
    report(project, "2021-05", "1200", "1200", explanation="设计变更增加投资，调整申请已提交")
    project.refresh_from_db()
    assert project.invested_to_date == D("1200")


def test_skipped_months_are_named_and_need_an_explanation():
    project = admitted_project()
    report(project, "2021-01", "100", "100")
    with pytest.raises(services.ProjectError) as info:
        report(project, "2021-04", "100", "200")
    assert "2021年02月、2021年03月" in str(info.value)
    report(project, "2021-04", "100", "200", explanation="春节停工，2—3月无投资")
    assert DispatchReport.objects.filter(project=project).count() == 2


def test_month_amount_agrees_with_the_change_of_the_cumulative():
    project = admitted_project()
    report(project, "2021-01", "100", "100")
    with pytest.raises(services.ProjectError, match="当月完成投资应等于本月累计减上月累计（50"):
        report(project, "2021-02", "80", "150")


def test_the_same_month_again_corrects_it_and_future_months_are_refused():
    project = admitted_project()
    report(project, "2021-01", "100", "100")
    report(project, "2021-01", "120", "120", progress="12")
    assert DispatchReport.objects.get(project=project).invested_cumulative == D("120")
    assert DispatchReport.objects.get(project=project).history.count() == 2
    with pytest.raises(services.ProjectError, match="未来月份"):
        report(project, "2099-01", "1", "121")


def test_only_the_declarant_or_the_office_reports_and_problems_reach_the_routed_unit():
    project = admitted_project()
    with pytest.raises(services.ProjectError):
        report(project, "2021-01", "100", "100", who="telecom")
    with pytest.raises(services.ProjectError):
        report(project, "2021-01", "100", "100", who="tianhe")
    response = client_for("mobile").post(
        f"/projects/{project.pk}/dispatch/",
        {
            "month": "2021-01",
            "invested_month": "100",
            "invested_cumulative": "100",
            "progress_pct": "10",
            "problems": "管线迁改需协调",
            "problem_unit": user("gongxin").membership.organization.pk,
        },
    )
    assert response.status_code == 302
    queue = client_for("gongxin").get("/projects/review/").content.decode()
    assert project.name in queue and "需本单位协调解决的问题" in queue
    assert client_for("gongxin").get(f"/projects/{project.pk}/").status_code == 200


def test_the_dispatch_form_shows_every_rule_broken_in_chinese():
    project = admitted_project()
    report(project, "2021-01", "300", "300")
    html = (
        client_for("mobile")
        .post(
            f"/projects/{project.pk}/dispatch/",
            {"month": "2021-03", "invested_month": "0", "invested_cumulative": "200", "progress_pct": "20"},
        )
        .content.decode()
    )
    assert "累计数不能减少" in html and "漏报了2021年02月" in html
    assert DispatchReport.objects.filter(project=project).count() == 1


def test_the_routed_unit_marks_a_problem_resolved_and_others_cannot():
    project = admitted_project()
    rep = report(
        project,
        "2021-01",
        "100",
        "100",
        problems="电力接入需协调",
        problem_unit=user("gongxin").membership.organization,
    )
    assert (
        client_for("yuexiu").post(f"/projects/dispatch/{rep.pk}/resolve/").status_code == 404
    )  # cannot even see it
    assert client_for("mobile").post(f"/projects/dispatch/{rep.pk}/resolve/").status_code == 403
    assert "标记已解决" in client_for("gongxin").get(f"/projects/{project.pk}/").content.decode()
    client_for("gongxin").post(f"/projects/dispatch/{rep.pk}/resolve/")
    rep.refresh_from_db()
    assert rep.problem_resolved and rep.history.first().history_user == user("gongxin")


def test_a_projects_dispatch_exports_every_month():
    import io

    from openpyxl import load_workbook

    project = admitted_project()
    for i, month in enumerate(("2021-01", "2021-02", "2021-03"), start=1):
        report(project, month, "100", str(100 * i))
    ws = load_workbook(
        io.BytesIO(client_for("leader").get(f"/projects/{project.pk}/dispatch.xlsx").content)
    ).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["2021-01", "2021-02", "2021-03"]
    assert client_for("telecom").get(f"/projects/{project.pk}/dispatch.xlsx").status_code == 404
