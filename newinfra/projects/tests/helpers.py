"""Shared set-up for the project library's tests: users, a fresh project and its admission."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client

from newinfra.orgs.models import Organization
from newinfra.projects import services
from newinfra.projects.models import Domain, Project, ProjectEvent

_serial = itertools.count(900001)


def user(username: str):
    return get_user_model().objects.get(username=username)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def next_code(district_code: str = "440106") -> str:
    return f"2021-{district_code}-63-03-{next(_serial):06d}"


def new_project(
    declarant: str = "mobile", district: str = "天河区政府", competent: str | None = None, **fields
) -> Project:
    """A draft declared by the declarant user's organisation, complete enough to submit."""
    u = user(declarant)
    values = {
        "code": next_code(org(district).code or "440106"),
        "name": "测试5G基站建设项目",
        "declarant": u.membership.organization,
        "competent": org(competent or district),
        "domain": Domain.G5,
        "total_investment": Decimal("1000.00"),
        "contact_name": "测试联系人",
        "contact_phone": "020-12345678",
        "created_by": u,
        **fields,
    }
    project = Project.objects.create(**values)
    project.districts.set([org(district)])
    services._event(project, u, ProjectEvent.Action.CREATE, "", "草稿")
    return project


def admitted_project(**kwargs) -> Project:
    """A project taken through declaration, first review (by its district) and the office's review."""
    district = kwargs.get("district", "天河区政府")
    reviewer = {"天河区政府": "tianhe", "越秀区政府": "yuexiu"}[kwargs.get("competent") or district]
    declarant = kwargs.get("declarant", "mobile")
    project = new_project(**kwargs)
    services.submit(project, user(declarant))
    services.first_review(project, user(reviewer), True, "")
    services.office_review(project, user("office"), "admit", "")
    return project
