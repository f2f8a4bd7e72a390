"""Figures as people write them, on every main page for every role: no e-notation anywhere, no
unscaled 7+ digit figure beside a 万/亿 target (1218.75万户 of 1500万户, not 12187500), and digits
grouped in every figure column (64,800, not 64800)."""

import re

import lxml.html
import pytest

from newinfra.evaluation.models import Evaluation
from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Plan
from newinfra.utilities import figures
from newinfra.web.tests.test_views import ROLES, client_for

pytestmark = pytest.mark.django_db

E_NOTATION = re.compile(r"\d(?:\.\d+)?[eE][+-]?\d+\b")
# A bare number of 7 or more digits (with or without separators), not part of a code, a phone
# number or a date.
LONG = re.compile(r"(?<![\w\-./:])(?:\d{7,}|\d{1,3}(?:,\d{3}){2,})(?:\.\d+)?(?![\w\-/:])")
SCALED = re.compile(r"\d[万亿]")
# In a figure column, 64,800 and not 64800: five or more digits in a row with no separator.
UNGROUPED = re.compile(r"(?<![\d,.])\d{5,}")


def pages() -> list[str]:
    ev = Evaluation.objects.order_by("pk").first()
    return [
        "/",
        "/dashboard/",
        f"/dashboard/plans/{Plan.objects.first().pk}/",
        f"/dashboard/units/{Organization.objects.get(name='市工业和信息化局').pk}/",
        "/monitor/",
        "/targets/",
        f"/indicators/{Indicator.objects.get(name='5G基站').pk}/",
        "/projects/",
        "/projects/stats/",
        f"/tasks/{Plan.objects.first().tasks.first().pk}/",
        *([f"/evaluations/{ev.pk}/"] if ev else []),
    ]


def visible_text(el) -> str:
    for bad in el.xpath(".//script|.//style"):
        bad.drop_tree()
    return el.text_content()


@pytest.mark.parametrize("username", ROLES)
def test_no_page_shows_e_notation_or_an_unscaled_figure_beside_a_scaled_target(username):
    client = client_for(username)
    checked = 0
    for url in pages():
        response = client.get(url)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, url
        doc = lxml.html.fromstring(response.content.decode())
        text = visible_text(doc)
        assert not E_NOTATION.search(text), (url, E_NOTATION.search(text).group())
        for cell in doc.xpath('//td[contains(concat(" ", normalize-space(@class), " "), " num ")]'):
            assert not UNGROUPED.search(cell.text_content()), (url, cell.text_content())
        for row in doc.xpath("//tr"):
            cells = " | ".join(c.text_content() for c in row.xpath("./td|./th"))
            if SCALED.search(cells):
                checked += 1
                assert not LONG.search(cells), (url, cells)
    assert checked > 0


@pytest.mark.parametrize(
    ("value", "target", "unit", "shown"),
    [
        (12187500, 15000000, "户", "1218.75万户"),
        (1128000000, 1200000000, "", "11.28亿"),
        (71030.11, 80000, "个", "7.1万个"),
        (36000, 38900, "个", "3.6万个"),
        (1.5, 1.3, "", "1.5"),
        (950, 1000, "个", "950个"),
        (30900000000, 1, "", "309亿"),
    ],
)
def test_a_value_is_shown_in_its_targets_terms(value, target, unit, shown):
    assert figures.in_terms(value, target, unit) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(5013355, "501.34亿元"), (1234.5, "1,234.5万元"), (0, "0万元"), (99999999, "10,000亿元")],
)
def test_money_is_in_wan_or_yi_yuan_with_separators(amount, shown):
    assert figures.money(amount) == shown


def test_no_function_returns_e_notation():
    for v in (1e-7, 3.09e10, 1e25, 12345678901234567890):
        for text in (figures.figure(v), figures.money(v), figures.plain(v), figures.in_terms(v, 1e9)):
            assert not E_NOTATION.search(text), text
