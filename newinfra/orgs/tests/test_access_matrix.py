"""Every page and API endpoint × every role, generated from the URL resolver and the API router.

Each URL is listed once below with the kind of thing it is; each role is listed once with the kinds
it may open. The test walks the resolver, fills each URL's arguments with a sample record, opens it
as every demo user and expects a page (any answer but 403/404/5xx) exactly where the tables say so,
403 or 404 everywhere else. A URL added without a line here fails the test.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from newinfra.orgs import permissions
from newinfra.orgs.models import Organization
from newinfra.projects.tests.helpers import admitted_project, new_project, user

pytestmark = pytest.mark.django_db

# What each demo user may open, written once per role.
EVERY_ROLE = {"open", "public", "projects"}
ROLE_OPENS = {
    "admin": EVERY_ROLE
    | {"project-work", "importing", "government", "units", "office", "gongxin-unit", "gongxin-reports"}
    | {"mobile-project", "mobile-project-work"},
    "office": EVERY_ROLE
    | {"project-work", "importing", "government", "units", "office", "gongxin-unit", "gongxin-reports"}
    | {"mobile-project", "mobile-project-work"},
    "gongxin": EVERY_ROLE
    | {"project-work", "government", "units", "gongxin-unit", "gongxin-reports", "gongxin-inbox"},
    "tianhe": EVERY_ROLE | {"project-work", "government", "units", "mobile-project"},
    "yuexiu": EVERY_ROLE | {"project-work", "government", "units"},
    "mobile": EVERY_ROLE
    | {"project-work", "importing", "declarants", "mobile-project", "mobile-draft", "mobile-project-work"}
    | {"mobile-only"},
    "telecom": EVERY_ROLE | {"project-work", "importing", "declarants"},
    "leader": EVERY_ROLE | {"government", "gongxin-unit", "mobile-project"},
}
ROLES = list(ROLE_OPENS)

# Every URL: the kind of thing it is, and (for URLs with arguments) the sample record it opens.
# Kinds: open (no membership needed), public (plans, ledger, targets, organisations, notices),
# projects (the library, each sees its own), project-work (declaring and reviewing, not leaders),
# importing (project Excel import: declarants and the office), government (monitoring, supervision,
# dashboards, evaluations: not enterprises), units (reporting: not leaders, not enterprises),
# office (the programme office's desk); the rest name the owner of the sample record.
URLS: dict[str, tuple[str, str | None]] = {
    "favicon.ico": ("open", None),
    "login": ("open", None),
    "logout": ("open", None),
    "set-script": ("open", "script"),
    "home": ("public", None),
    "search": ("public", None),
    "notices": ("public", None),
    "plan-list": ("public", None),
    "plan-detail": ("public", "plan"),
    "plan-upload": ("office", None),
    "plan-proofread": ("office", "plan"),
    "plan-revision": ("office", "revision"),
    "ledger": ("public", None),
    "task-detail": ("public", "task"),
    "task-progress": ("units", "task"),
    "my-tasks": ("units", None),
    "target-list": ("public", None),
    "indicator-detail": ("public", "indicator"),
    "organization-list": ("public", None),
    "organization-detail": ("public", "gongxin"),
    "monitor": ("government", None),
    "value-review": ("office", None),
    "value-decide": ("office", "value"),
    "value-import": ("units", None),
    "value-template": ("units", None),
    "indicator-report": ("gongxin-reports", "indicator"),
    "indicator-profile": ("office", "indicator"),
    "dashboard": ("government", None),
    "dashboard-plan": ("government", "plan"),
    "dashboard-unit": ("gongxin-unit", "gongxin"),
    "supervision": ("government", None),
    "order-new": ("office", None),
    "order-batch": ("office", None),
    "evaluation-void": ("office", "evaluation"),
    "order-detail": ("gongxin-unit", "order"),
    "task-post-progress": ("units", "task"),
    "task-closure": ("units", "task"),
    "closure-decide": ("office", "closure"),
    "evidence": ("gongxin-unit", "evidence"),
    "evaluation-list": ("government", None),
    "evaluation-detail": ("government", "evaluation"),
    "project-list": ("projects", None),
    "project-new": ("declarants", None),
    "project-review": ("project-work", None),
    "project-stats": ("projects", None),
    "project-roll": ("projects", None),
    "project-import": ("importing", None),
    "project-template": ("importing", "template"),
    "adjustment-decide": ("office", "adjustment"),
    "green-update": ("office", "green"),
    "flag-update": ("office", "flag"),
    "problem-resolve": ("project-work", "report"),
    "project-dispatch-export": ("mobile-project", "project"),
    "project-detail": ("mobile-project", "project"),
    "project-edit": ("mobile-draft", "draft"),
    "project-action": ("project-work", "project"),
    "project-dispatch": ("mobile-project-work", "project"),
    "project-adjust": ("mobile-only", "project"),
    "project-flag": ("office", "project"),
    "project-green": ("office", "project"),
    "geo-map": ("projects", None),
    "geo-map-png": ("projects", None),
    "geo-coverage": ("government", None),
    "geo-coverage-record": ("office", "coverage"),
    "geo-district": ("projects", "district"),
    "geo-layers": ("government", None),
    "geo-import": ("office", None),
    "geo-template": ("office", None),
    "geo-layer": ("government", "layer"),
    "geo-layer-toggle": ("office", "layer"),
    "geo-facility": ("government", "facility"),
    "geo-facility-toggle": ("office", "facility"),
    # API
    "api:api-root": ("public", None),
    "api:api-token": ("open", None),
    "api:api-schema": ("open", None),
    "api:api-docs": ("open", None),
    "api:plan-list": ("public", None),
    "api:plan-detail": ("public", "plan"),
    "api:plan-publish": ("office", "plan"),  # POST only: GET is 405 for the office
    "api:plan-withdraw": ("office", "plan"),
    "api:section-list": ("public", None),
    "api:section-detail": ("public", "section"),
    "api:task-list": ("public", None),
    "api:task-detail": ("public", "task"),
    "api:target-list": ("public", None),
    "api:target-detail": ("public", "target"),
    "api:indicator-list": ("public", None),
    "api:indicator-detail": ("public", "indicator"),
    "api:organization-list": ("public", None),
    "api:organization-detail": ("public", "gongxin"),
    "api:project-list": ("projects", None),
    "api:project-detail": ("mobile-project", "project"),
    "api:project-transition": ("project-work", "project"),
    "api:dispatch-report-list": ("projects", None),
    "api:dispatch-report-detail": ("mobile-project", "report"),
    "api:data-value-list": ("government", None),
    "api:data-value-detail": ("government", "value"),
    "api:data-value-approve": ("office", "value"),
    "api:data-value-return-": ("office", "value"),
    "api:notice-list": ("public", None),
    "api:notice-detail": ("gongxin-inbox", "notice"),
    "api:notice-read": ("public", "notice"),  # POST only: GET is 405 for everyone
    "api:evaluation-list": ("government", None),
    "api:evaluation-detail": ("government", "evaluation"),
    "api:api-attainment": ("government", None),
    "api:api-geo-districts": ("public", None),
    "api:api-geo-coverage": ("government", None),
    "api:geo-layer-api-list": ("government", None),
    "api:geo-layer-api-detail": ("government", "layer"),
    "api:geo-layer-api-facilities": ("government", "layer"),
}
# What a leader may still send: its own session, script and notices (and the favicon's redirect).
LEADER_WRITES = {
    "favicon.ico",
    "login",
    "logout",
    "set-script",
    "notices",
    "api:api-token",
    "api:notice-read",
}


def _routes():
    """(key, route) for every URL of the platform, the admin site and format-suffix twins aside."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":
                    yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if "format" not in p.pattern.regex.groupindex:
                    name = p.name or route
                    yield (f"api:{name}" if route.startswith("api/") else name), route

    seen = {}
    for key, route in walk(get_resolver().url_patterns):
        seen.setdefault(key, route)
    return seen


ROUTES = _routes()


def _url(route: str, value) -> str:
    """The route with its arguments filled in order (a tuple gives one value per argument)."""
    values = iter(value) if isinstance(value, tuple) else None

    def fill(_match):
        return str(next(values) if values is not None else value)

    path = re.sub(r"\(\?P<\w+>[^)]*\)", fill, route)
    path = re.sub(r"<(?:\w+:)?\w+>", fill, path)
    return "/" + path.replace("^", "").replace("$", "")


def test_every_url_has_exactly_one_line_in_the_matrix_and_in_the_rules():
    assert sorted(set(ROUTES) - set(URLS)) == [], "new URLs need a line in URLS (and in URL_AREAS)"
    assert sorted(set(URLS) - set(ROUTES)) == [], "URLS names URLs that no longer exist"
    assert sorted(set(ROUTES) - set(permissions.URL_AREAS)) == []
    for kind, _ in URLS.values():
        assert any(kind in opens for opens in ROLE_OPENS.values()), kind


@pytest.fixture
def samples(settings, tmp_path):
    """One record for each URL argument: most of them belong to 市工业和信息化局 or 中国移动."""
    from newinfra.evaluation.models import Evaluation
    from newinfra.geo.models import CoverageResult, Facility, FacilityLayer
    from newinfra.indicators.models import DataValue, IndicatorProfile
    from newinfra.plans import services as plans
    from newinfra.plans.models import Plan, Responsibility, Section, Target
    from newinfra.projects import services as projects
    from newinfra.projects.models import DispatchReport, FlagKind, GreenChannelItem, ProjectFlag
    from newinfra.supervision import services as supervision
    from newinfra.supervision.models import ClosureRequest, Evidence, Notice

    settings.MEDIA_ROOT = str(tmp_path)
    gongxin = Organization.objects.get(name="市工业和信息化局")
    plan = Plan.objects.live().first()
    # a revised file of a published plan (any other bytes make a revision)
    revised = plan.source_text + "\n"
    revision = plans.upload(revised.encode("utf-8"), "修订稿.txt", user("office"), plan=plan).revision
    task = Responsibility.objects.filter(organization=gongxin, is_lead=True, is_active=True).first().task
    indicator = (
        IndicatorProfile.objects.filter(
            responsible=gongxin, district_breakdown=False, indicator__targets__isnull=False
        )
        .first()
        .indicator
    )
    project = admitted_project()
    order = supervision.issue_order(
        user("office"), gongxin, "请报送进展。", timezone.localdate() + dt.timedelta(days=5), task
    )
    feedback = supervision.answer_order(user("gongxin"), order, "已推进。")
    evidence = Evidence.objects.create(
        feedback=feedback, file=ContentFile(b"%PDF-1.4", name="e.pdf"), name="e.pdf"
    )
    closure = ClosureRequest.objects.create(
        task=task, organization=gongxin, text="已完成。", requested_by=user("gongxin")
    )
    report = DispatchReport.objects.create(
        project=project,
        month=dt.date(2024, 1, 1),
        invested_month=Decimal("10"),
        invested_cumulative=Decimal("10"),
        progress_pct=Decimal("5"),
        problems="需协调用地。",
        problem_unit=Organization.objects.get(name="天河区政府"),
        reported_by=user("mobile"),
    )
    return {
        "script": "hant",
        "plan": plan.pk,
        "revision": (plan.pk, revision.pk),
        "section": Section.objects.first().pk,
        "task": task.pk,
        "target": Target.objects.filter(is_active=True).first().pk,
        "indicator": indicator.pk,
        "gongxin": gongxin.pk,
        "value": DataValue.objects.first().pk,
        "order": order.pk,
        "evidence": evidence.pk,
        "closure": closure.pk,
        "notice": Notice.objects.create(organization=gongxin, title="测试通知").pk,
        "evaluation": Evaluation.objects.first().pk,
        "project": project.pk,
        "draft": new_project().pk,
        "report": report.pk,
        "template": "declaration",
        "adjustment": projects.request_adjustment(
            project, user("mobile"), {"name": "调整后名称"}, "范围调整"
        ).pk,
        "green": GreenChannelItem.objects.create(project=project, item="用地规划许可").pk,
        "flag": ProjectFlag.objects.create(project=project, kind=FlagKind.CITY_KEY).pk,
        "coverage": CoverageResult.objects.first().pk,
        "layer": FacilityLayer.objects.first().pk,
        "facility": Facility.objects.first().pk,
        "district": "440106",
    }


def _accept(key: str) -> dict:
    return {"accept": "application/json, text/html;q=0.9"} if key.startswith("api:") else {}


def _client(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user(username))
    return client


HREF = re.compile(r'<a [^>]*href="(/[^"#?]*)')
FORM = re.compile(r"<form\b[^>]*>", re.I)
ACTION = re.compile(r'action="(/[^"#?]*)')


def _dead_ends(user, page: str, html: str) -> list[str]:
    """Links and forms on a page that lead to a page (or a send) the user's role is refused."""
    from django.urls import Resolver404, resolve

    out = []
    posts = [ACTION.search(f) for f in FORM.findall(html) if re.search(r'method="post"', f, re.I)]
    own = page.split("?")[0]  # a form without an action posts to its own page
    for method, paths in (("GET", HREF.findall(html)), ("POST", [a.group(1) if a else own for a in posts])):
        for path in sorted(set(paths)):
            try:
                match = resolve(path)
            except Resolver404:
                continue
            key = permissions.url_key(match)
            if key and not permissions.may_open(user, key, method, match.kwargs):
                out.append(f"{page} shows {'a link' if method == 'GET' else 'a form'} to {path} ({key})")
    return out


@pytest.mark.parametrize("username", ROLES)
def test_each_role_opens_exactly_what_its_line_says_and_sees_no_link_it_may_not_follow(username, samples):
    client = _client(username)
    wrong, dead = [], []
    for key, route in sorted(ROUTES.items()):
        kind, sample = URLS[key]
        url = _url(route, samples[sample]) if sample else _url(route, "")
        response = client.get(url, headers=_accept(key))
        status = response.status_code
        expected = kind in ROLE_OPENS[username]
        if status >= 500 or expected == (status in (403, 404)):
            wrong.append(f"{url} ({key}, {kind}): {status}, expected {'a page' if expected else '403/404'}")
        if (
            status == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not key.startswith("api:")
        ):
            dead += _dead_ends(user(username), url, response.content.decode())
    assert wrong == [], f"{username}:\n" + "\n".join(wrong)
    assert dead == [], f"{username}:\n" + "\n".join(dead)


@pytest.mark.parametrize("username", ROLES)
def test_nobody_sends_to_what_it_may_not_open_and_leaders_send_nothing(username, samples):
    """A POST (or PATCH to the API) is refused before any view runs, so no record is touched."""
    client = _client(username)
    wrong = []
    for key, route in sorted(ROUTES.items()):
        kind, sample = URLS[key]
        may_send = kind in ROLE_OPENS[username] and (username != "leader" or key in LEADER_WRITES)
        if may_send:
            continue
        url = _url(route, samples[sample]) if sample else _url(route, "")
        for method in ("post", "patch") if key.startswith("api:") else ("post",):
            response = getattr(client, method)(url, {}, content_type="application/json", headers=_accept(key))
            status = response.status_code
            if status not in (403, 404, 405):
                wrong.append(f"{method.upper()} {url} ({key}): {status}")
    assert wrong == [], f"{username}:\n" + "\n".join(wrong)


def test_a_refusal_is_explained_in_chinese_on_the_page_and_in_the_api():
    client = _client("mobile")
    page = client.get("/supervision/")
    assert page.status_code == 403
    assert "督办、监测与总览仅对政府部门和领导开放" in page.content.decode()
    api = client.get("/api/evaluations/")
    assert api.status_code == 403 and "阶段评估仅对政府部门和领导开放" in api.json()["detail"]
    leader = _client("leader").post("/monitor/import/")
    assert leader.status_code == 403


def test_a_token_user_is_held_to_the_same_areas_as_a_signed_in_one():
    from rest_framework.authtoken.models import Token

    token = Token.objects.get_or_create(user=user("mobile"))[0]
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/evaluations/", **headers).status_code == 403
    assert client.get("/api/data-values/", **headers).status_code == 403
    assert client.get("/api/projects/", **headers).status_code == 200
