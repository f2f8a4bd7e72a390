"""Who sees which project, and who may do what with it, from the outside: pages and API."""

import pytest
from rest_framework.test import APIClient

from newinfra.projects import permissions as perm
from newinfra.projects.models import Project, Status

from .helpers import admitted_project, client_for, new_project, user

pytestmark = pytest.mark.django_db
ROLES = ["admin", "office", "gongxin", "tianhe", "yuexiu", "mobile", "telecom", "leader"]


def api_for(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def test_a_declarant_cannot_see_another_declarants_project_in_pages_or_api():
    theirs = admitted_project(declarant="telecom")
    mobile = client_for("mobile")
    assert mobile.get(f"/projects/{theirs.pk}/").status_code == 404
    assert theirs.name not in mobile.get(f"/projects/?q={theirs.code}").content.decode()
    api = api_for("mobile")
    assert api.get(f"/api/projects/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/projects/?q={theirs.code}").json()["count"] == 0
    assert api.get(f"/api/dispatch-reports/?project={theirs.pk}").json()["count"] == 0
    assert client_for("telecom").get(f"/projects/{theirs.pk}/").status_code == 200
    listed = {p["declarant_name"] for p in api.get("/api/projects/?page_size=500").json()["results"]}
    assert listed == {"中国移动广州分公司"}


def test_a_district_reviewer_sees_only_its_district():
    in_tianhe = admitted_project(district="天河区政府")
    in_yuexiu = admitted_project(district="越秀区政府")
    tianhe = client_for("tianhe")
    assert tianhe.get(f"/projects/{in_tianhe.pk}/").status_code == 200
    assert tianhe.get(f"/projects/{in_yuexiu.pk}/").status_code == 404
    assert api_for("tianhe").get(f"/api/projects/{in_yuexiu.pk}/").status_code == 404
    visible = perm.visible_projects(user("tianhe"))
    tianhe_org = user("tianhe").membership.organization
    outside = visible.exclude(districts=tianhe_org).exclude(competent=tianhe_org)
    assert not outside.exclude(dispatch_reports__problem_unit=tianhe_org).exists()
    assert visible.count() < Project.objects.exclude(status=Status.DRAFT).count()


def test_drafts_stay_with_their_declarant():
    draft = new_project()
    for name in ("office", "leader", "tianhe"):
        assert client_for(name).get(f"/projects/{draft.pk}/").status_code == 404, name
    assert client_for("mobile").get(f"/projects/{draft.pk}/").status_code == 200


@pytest.mark.parametrize("username", ROLES)
def test_every_project_page_renders_for_every_role(username):
    client = client_for(username)
    # The review queue and the Excel import are for those with work there (orgs/tests/test_access_matrix).
    pages = ["/projects/", "/projects/stats/", "/projects/roll/"]
    pages += ["/projects/review/"] if username != "leader" else []
    pages += ["/projects/import/"] if username in ("admin", "office", "mobile", "telecom") else []
    for url in pages:
        assert client.get(url).status_code == 200, url
    project = perm.visible_projects(user(username)).first()
    if project:
        assert client.get(f"/projects/{project.pk}/").status_code == 200


# Each write, with the roles that may do it on a project in the state it needs.
MATRIX = {
    "submit": ({"mobile"}, "draft"),
    "first_approve": ({"tianhe"}, "submitted"),
    "first_return": ({"tianhe"}, "submitted"),
    "admit": ({"admin", "office"}, "first_reviewed"),
    "office_return": ({"admin", "office"}, "first_reviewed"),
    "reject": ({"admin", "office"}, "first_reviewed"),
    "stage": ({"admin", "office", "mobile"}, "admitted"),
    "remove": ({"admin", "office"}, "admitted"),
}


def _project_in(state: str) -> Project:
    project = admitted_project() if state == "admitted" else new_project()
    if state in ("submitted", "first_reviewed"):
        from newinfra.projects import services

        services.submit(project, user("mobile"))
        if state == "first_reviewed":
            services.first_review(project, user("tianhe"), True)
    return project


@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix_for_every_role_and_every_write(action):
    allowed, state = MATRIX[action]
    data = {"action": action, "comment": "测试意见", "stage": "construction"}
    for username in ROLES:
        # Pages
        project = _project_in(state)
        before = (project.status, project.stage)
        response = client_for(username).post(f"/projects/{project.pk}/action/", data)
        project.refresh_from_db()
        if username in allowed:
            assert response.status_code == 302 and (project.status, project.stage) != before, (
                action,
                username,
            )
        else:
            assert response.status_code in (403, 404), (action, username, response.status_code)
            assert (project.status, project.stage) == before
        # API
        project = _project_in(state)
        response = api_for(username).post(f"/api/projects/{project.pk}/transition/", data, format="json")
        project.refresh_from_db()
        if username in allowed:
            assert response.status_code == 200, (action, username, response.content)
        else:
            assert response.status_code in (403, 404), (action, username, response.status_code)
            assert (project.status, project.stage) == before


def test_only_declarants_create_projects_and_only_their_drafts_are_editable():
    payload = {
        "code": "2021-440106-63-03-990001",
        "name": "API申报项目",
        "competent": user("tianhe").membership.organization.pk,
        "districts": [user("tianhe").membership.organization.pk],
        "domain": "5g",
        "total_investment": "800",
    }
    for name in ("office", "tianhe", "leader", "gongxin"):
        assert api_for(name).post("/api/projects/", payload, format="json").status_code == 403, name
        assert client_for(name).get("/projects/new/").status_code == 403
    response = api_for("mobile").post("/api/projects/", payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert (
        api_for("telecom").patch(f"/api/projects/{pk}/", {"name": "改名"}, format="json").status_code == 404
    )
    assert api_for("mobile").patch(f"/api/projects/{pk}/", {"name": "改名"}, format="json").status_code == 200
    admitted = admitted_project()
    assert (
        api_for("mobile").patch(f"/api/projects/{admitted.pk}/", {"name": "改名"}, format="json").status_code
        == 403
    )
    assert client_for("mobile").get(f"/projects/{admitted.pk}/edit/").status_code == 403


def test_an_invalid_code_is_refused_with_a_chinese_message():
    payload = {
        "code": "2021-4401-63-03-1",
        "name": "代码错误的项目",
        "competent": user("tianhe").membership.organization.pk,
        "districts": [user("tianhe").membership.organization.pk],
        "domain": "5g",
        "total_investment": "800",
    }
    response = api_for("mobile").post("/api/projects/", payload, format="json")
    assert response.status_code == 400 and "投资项目统一代码格式" in response.json()["code"][0]
