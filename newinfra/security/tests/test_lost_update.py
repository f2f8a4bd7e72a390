"""Two writers on one project: the second, working from what it read before the first saved, is
refused with what changed, in the edit form and in the API; nothing is silently overwritten."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from newinfra.projects.models import Project
from newinfra.projects.tests.helpers import client_for, new_project, user

pytestmark = pytest.mark.django_db


def _form_data(html: str) -> dict:
    data = {}
    for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*>', html):
        tag = m.group(0)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data.setdefault(m.group(1), []).append(value.group(1) if value else "")
    for m in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        data[m.group(1)] = re.findall(r'<option value="([^"]*)"[^>]*selected', m.group(2))
    for m in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[m.group(1)] = [m.group(2).strip()]
    return data


def test_a_stale_edit_form_is_refused_with_what_changed_and_keeps_what_was_typed():
    project = new_project("mobile")
    first, second = client_for("mobile"), client_for("mobile")
    form = _form_data(second.get(f"/projects/{project.pk}/edit/").content.decode())
    assert form["version"][0]
    # meanwhile the first writer renames the project
    data = _form_data(first.get(f"/projects/{project.pk}/edit/").content.decode())
    data.update(name=["第一人改的名称"], then=["save"])
    assert first.post(f"/projects/{project.pk}/edit/", data).status_code == 302
    # the second writer, from the old page, changes the description
    form.update(description=["第二人写的建设内容"], then=["save"])
    r = second.post(f"/projects/{project.pk}/edit/", form)
    html = r.content.decode()
    assert r.status_code == 200 and "已被" in html and "第一人改的名称" in html and "项目名称" in html
    assert "第二人写的建设内容" in html  # what the user typed is shown again
    project.refresh_from_db()
    assert project.name == "第一人改的名称" and project.description != "第二人写的建设内容"
    # submitted again from the re-shown form (now at the current version) it saves, keeping both
    again = _form_data(html)
    again.update(then=["save"])
    assert second.post(f"/projects/{project.pk}/edit/", again).status_code == 302
    project.refresh_from_db()
    assert project.description == "第二人写的建设内容"


def test_two_api_writers_the_stale_one_gets_409_with_what_changed():
    project = new_project("mobile")
    a, b = APIClient(), APIClient()
    a.force_authenticate(user("mobile"))
    b.force_authenticate(user("mobile"))
    url = f"/api/projects/{project.pk}/"
    etag_a, etag_b = a.get(url)["ETag"], b.get(url)["ETag"]
    assert etag_a == etag_b
    r = a.patch(url, {"name": "A改的名称"}, format="json", HTTP_IF_MATCH=etag_a)
    assert r.status_code == 200 and r["ETag"] != etag_a
    r = b.patch(url, {"description": "B写的内容"}, format="json", HTTP_IF_MATCH=etag_b)
    assert r.status_code == 409, r.content
    assert "项目名称" in r.json()["detail"] and "A改的名称" in r.json()["detail"]
    project.refresh_from_db()
    assert project.name == "A改的名称" and project.description != "B写的内容"
    # with the current version the write goes through and keeps A's change
    r = b.patch(url, {"description": "B写的内容", "version": r.json()["version"]}, format="json")
    assert r.status_code == 200
    assert Project.objects.filter(pk=project.pk, name="A改的名称", description="B写的内容").exists()


def test_correcting_a_dispatch_month_from_a_stale_read_gets_409():
    from newinfra.projects.tests.helpers import admitted_project

    project = admitted_project()
    api = APIClient()
    api.force_authenticate(user("mobile"))
    body = {
        "project": project.pk,
        "month": "2021-01",
        "invested_month": "100",
        "invested_cumulative": "100",
        "progress_pct": "10",
    }
    r = api.post("/api/dispatch-reports/", body, format="json")
    assert r.status_code == 201, r.content
    read = r.json()["version"]
    r = api.post(
        "/api/dispatch-reports/", {**body, "milestone": "主体完工"}, format="json", HTTP_IF_MATCH=f'"{read}"'
    )
    assert r.status_code == 201 and r.json()["version"] != read  # a correction at the current version
    r = api.post(
        "/api/dispatch-reports/",
        {**body, "milestone": "另一人的节点"},
        format="json",
        HTTP_IF_MATCH=f'"{read}"',
    )
    assert r.status_code == 409 and "本月节点" in r.json()["detail"] and "主体完工" in r.json()["detail"]
    from newinfra.projects.models import DispatchReport

    assert DispatchReport.objects.get(project=project).milestone == "主体完工"
