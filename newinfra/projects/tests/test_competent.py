"""The 初审单位 is proposed from the project's district and domain, never picked from every unit."""

import pytest

from newinfra.projects import services
from newinfra.projects.forms import ProjectForm
from newinfra.projects.models import Domain, Project, Status

from .helpers import client_for, org

pytestmark = pytest.mark.django_db

# districts, domain → the proposed 初审单位, and who else may be chosen
CASES = [
    (["天河区政府"], Domain.G5, "天河区政府", {"市工业和信息化局"}),
    (["天河区政府", "越秀区政府"], Domain.G5, "市工业和信息化局", {"天河区政府", "越秀区政府"}),
    (["黄埔区政府"], Domain.TRANSPORT, "黄埔区政府", {"市交通运输局"}),
    (["南沙区政府", "番禺区政府"], Domain.DATACENTER, "市发展改革委", {"南沙区政府", "番禺区政府"}),
    (["海珠区政府", "白云区政府"], Domain.CITY, "市政务服务数据管理局", {"海珠区政府", "白云区政府"}),
]


@pytest.mark.parametrize("districts,domain,proposed,others", CASES)
def test_the_proposal_follows_district_and_domain(districts, domain, proposed, others):
    orgs = [org(d) for d in districts]
    candidates = services.competent_candidates(orgs, domain)
    assert candidates[0].name == proposed
    assert {o.name for o in candidates[1:]} == others


def form_data(**overrides):
    data = {
        "code": "2021-440106-63-03-000888",
        "name": "初审单位测试项目",
        "domain": "5g",
        "districts": [org("天河区政府").pk],
        "total_investment": "500",
        "contact_name": "刘经理",
        "contact_phone": "020-88888888",
    }
    data.update(overrides)
    return data


def test_the_form_offers_only_units_that_can_review_and_proposes_one_when_left_empty():
    form = ProjectForm()
    names = {o.name for o in form.fields["competent"].queryset}
    assert "市法院" not in names and "市公安局" not in names
    assert len(names) < 20 and {"天河区政府", "市工业和信息化局", "市交通运输局"} <= names
    response = client_for("mobile").post("/projects/new/", {**form_data(), "then": "submit"})
    project = Project.objects.get(code="2021-440106-63-03-000888")
    assert response.status_code == 302 and project.status == Status.SUBMITTED
    assert project.competent == org("天河区政府")


def test_a_district_that_is_not_the_projects_is_refused_with_the_choices():
    response = client_for("mobile").post(
        "/projects/new/", form_data(competent=org("越秀区政府").pk, code="2021-440106-63-03-000889")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "初审单位应为项目所在区政府或行业主管部门" in html and "天河区政府、市工业和信息化局" in html
    assert 'value="初审单位测试项目"' in html  # what the user typed is kept
    assert not Project.objects.filter(code="2021-440106-63-03-000889").exists()
