"""Crawling the pages a role reaches by links from the home page (for the hostile-input tests)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from bs4 import BeautifulSoup
from django.test import Client

SKIP = ("/logout/", "/admin/", "/static/", "/api/docs/", "/set-script/")
MAX_PAGES_PER_ROLE = 160


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/)", "/<id>", path)


def _fail(failures, what, response):
    if response.status_code >= 500:
        failures.append(f"{what} → {response.status_code}")


def crawl(
    client: Client, failures: list, links: dict, exports: set | None = None
) -> dict[str, tuple[str, BeautifulSoup]]:
    """One page for each URL pattern reachable by links from the home page; ``links`` collects the
    query parameters each pattern is linked with, ``exports`` the links to .xlsx files."""
    seen: dict[str, tuple[str, BeautifulSoup]] = {}
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        path = urlsplit(url).path
        if _pattern(path) in seen or path.startswith(SKIP):
            continue
        r = client.get(url)
        _fail(failures, f"GET {url}", r)
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            seen[_pattern(path)] = (url, None)
            continue
        soup = BeautifulSoup(r.content, "html.parser")
        seen[_pattern(path)] = (url, soup)
        for a in soup.find_all("a", href=True):
            href = urljoin(url, a["href"])
            if exports is not None and href.startswith("/") and ("export=" in href or ".xlsx" in href):
                exports.add(href)
            if href.startswith("/") and "export=" not in href:
                split = urlsplit(href)
                links.setdefault(_pattern(split.path), set()).update(k for k, _ in parse_qsl(split.query))
                queue.append(href)
    return seen


def _form_fields(form) -> list[tuple[str, str, str]]:
    """(name, value, type) of a form's inputs as the page filled them in."""
    out = []
    for el in form.find_all(["input", "select", "textarea"]):
        name = el.get("name")
        if not name:
            continue
        kind = el.get("type", el.name)
        if kind in ("checkbox", "radio") and not el.has_attr("checked"):
            continue
        if kind == "file":
            continue
        if el.name == "select":
            opt = el.find("option", selected=True) or el.find("option")
            value = opt.get("value", opt.text) if opt else ""
        elif el.name == "textarea":
            value = el.text
        else:
            value = el.get("value", "")
        out.append((name, value, kind))
    return out
