"""The same hostile values fed to every filter, form, path id and API write: never a server error.

Pages are found by crawling from the home page as each role (so every form a role can reach is
tried); API operations come from the OpenAPI schema. Each query parameter a page or operation
uses, each field of each form and each property of each request body gets each hostile value in
turn, the rest of the form as the page filled it in.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from rest_framework.test import APIClient

from newinfra.projects.tests.helpers import user

from .crawl import SKIP, _fail, _form_fields, _pattern, crawl

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOSTILE = ["1e309", "NaN", "Infinity", "99999999999999999999", "-1", str(2**70), "0001-01-01", "9999-12-31"]
# query parameters the API filters on by hand (tried where an operation's description names them)
FILTERS = [
    "plan",
    "section",
    "district",
    "org",
    "indicator",
    "task",
    "project",
    "inv_min",
    "inv_max",
    "radius",
    "year",
    "period",
    "period_from",
    "period_to",
    "month",
    "as_of",
    "page",
]
ROLES = ["office", "gongxin", "tianhe", "mobile"]


def test_every_page_filter_and_form_survives_hostile_values():
    """Each role crawls what it can reach; a query parameter or form field of a URL pattern that an
    earlier role already fed every hostile value is not fed again (the same view parses it the same
    way), so that a role adds only the pages and forms that are its own."""
    failures: list[str] = []
    tried: set[tuple] = set()
    for role in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(user(role))
        _hostile_crawl(client, role, failures, tried)
    assert not failures, "\n".join(failures[:40])


def _hostile_crawl(client, role: str, failures: list[str], tried: set[tuple]) -> None:
    links: dict[str, set] = {}
    pages = crawl(client, failures, links)
    assert len(pages) > 10, role

    def once(*key) -> bool:
        if key in tried:
            return False
        tried.add(key)
        return True

    for url, soup in list(pages.values()):
        path = urlsplit(url).path
        pattern = _pattern(path)
        # hostile ids in the path
        if re.search(r"/\d+/", path) and once("path", pattern):
            for bad in ("99999999999999999999", str(2**70)):
                target = re.sub(r"/\d+/", f"/{bad}/", path, count=1)
                _fail(failures, f"{role}: GET {target}", client.get(target))
        if soup is None:
            continue
        # the page's own query parameters: those of its links and its filter forms
        params = set(links.get(pattern, set()))
        for form in soup.find_all("form"):
            if (form.get("method") or "get").lower() == "get":
                params |= {name for name, _, _ in _form_fields(form)}
        for name in sorted(params):
            if once("get", pattern, name):
                for bad in HOSTILE:
                    _fail(failures, f"{role}: GET {path}?{name}={bad}", client.get(path, {name: bad}))
        # every POST form, one field hostile at a time
        for form in soup.find_all("form"):
            if (form.get("method") or "get").lower() != "post":
                continue
            action = urljoin(url, form.get("action") or url)
            if action.startswith(SKIP):
                continue
            fields = _form_fields(form)
            form_action = next((v for n, v, _ in fields if n == "action"), "")
            for name, _, kind in fields:
                if name in ("csrfmiddlewaretoken", "action", "token", "next") or kind in ("hidden", "submit"):
                    continue
                if not once("post", _pattern(urlsplit(action).path), form_action, name):
                    continue
                for bad in HOSTILE:
                    data = {n: v for n, v, _ in fields}
                    data[name] = bad
                    _fail(failures, f"{role}: POST {action} {name}={bad}", client.post(action, data))


# --- the API, from its schema -----------------------------------------------------------------

WRITER = {"/api/projects/": "mobile", "/api/data-values/": "gongxin", "/api/dispatch-reports/": "office"}


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _body_properties(schema, operation) -> list[str]:
    content = (operation.get("requestBody") or {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return [name for name, prop in body.get("properties", {}).items() if not prop.get("readOnly")]


def _valid_body(path: str) -> dict:
    """A body that would be accepted, so that a hostile field is the only thing wrong with it."""
    from newinfra.indicators.models import IndicatorProfile
    from newinfra.orgs.models import Organization
    from newinfra.projects.models import Project, Status

    tianhe = Organization.objects.get(name="天河区政府").pk
    if path == "/api/projects/":
        return {
            "name": "敌意测试",
            "competent": tianhe,
            "districts": [tianhe],
            "domain": "5g",
            "total_investment": "10",
        }
    if path == "/api/data-values/":
        profile = IndicatorProfile.objects.filter(
            responsible__name="市工业和信息化局", district_breakdown=False, min_value__isnull=True
        ).first()
        # the current period, above every value reported before, so that only the hostile field is wrong
        from django.db.models import Max
        from django.utils import timezone

        from newinfra.indicators.models import DataValue

        top = DataValue.objects.filter(indicator=profile.indicator).aggregate(m=Max("value"))["m"] or 0
        return {
            "indicator": profile.indicator_id,
            "period": timezone.localdate().isoformat(),
            "value": str(top + 1),
        }
    if path == "/api/dispatch-reports/":
        project = Project.objects.filter(status=Status.ADMITTED).first()
        return {
            "project": project.pk,
            "month": "2005-01",
            "invested_month": "0",
            "invested_cumulative": "0",
            "progress_pct": "0",
        }
    return {}


def test_every_api_operation_survives_hostile_values():
    schema = _schema()
    failures: list[str] = []
    clients = {}
    for name in ("office", *WRITER.values()):
        clients[name] = APIClient(raise_request_exception=False)
        clients[name].force_authenticate(user(name))
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/") or path.startswith(("/api/schema", "/api/docs", "/api/auth")):
            continue
        base = path.split("{", 1)[0]
        api = clients[WRITER.get(base, "office")]
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method, op in operations.items():
            if method == "get":
                # the schema's parameters and the hand-written filters the description names
                described = op.get("description", "")
                params = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
                params |= {f for f in FILTERS if re.search(rf"\b{f}\b", described)}
                for name in sorted(params):
                    for bad in HOSTILE:
                        _fail(failures, f"GET {concrete}?{name}={bad}", api.get(concrete, {name: bad}))
            if "{" in path:
                for bad in ("99999999999999999999", str(2**70), "-1", "NaN"):
                    target = re.sub(r"\{[^}]+\}", bad, path)
                    _fail(
                        failures,
                        f"{method.upper()} {target}",
                        getattr(api, method)(target, {}, format="json"),
                    )
            if method in ("post", "put", "patch"):
                valid = _valid_body(base) if "{" not in path else {}
                for prop in _body_properties(schema, op):
                    for bad in HOSTILE:
                        body = {**valid, prop: bad}
                        r = getattr(api, method)(concrete, body, format="json")
                        _fail(failures, f"{method.upper()} {concrete} {prop}={bad}", r)
                        if r.status_code < 300 and bad not in ("-1",):
                            # whatever was accepted must read back
                            _fail(failures, f"GET {base} after {prop}={bad}", api.get(base))
    assert not failures, "\n".join(failures[:40])


def test_a_twenty_digit_indicator_value_is_refused_with_the_field_named():
    api = APIClient()
    api.force_authenticate(user("gongxin"))
    body = {**_valid_body("/api/data-values/"), "value": "99999999999999999999"}
    r = api.post("/api/data-values/", body, format="json")
    assert r.status_code == 400, r.content
    assert "value" in r.json() and "超出允许范围" in r.json()["value"][0]
    assert api.get("/api/data-values/").status_code == 200
