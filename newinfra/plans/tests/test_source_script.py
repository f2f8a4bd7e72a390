"""Original text in the reader's script: in 简体 the 原文 of the Traditional-source plan reads in
Simplified on every page and export, with the source as written one click away (verbatim in both
interfaces); the stored text is never changed."""

import io

import lxml.html
import pytest
from openpyxl import load_workbook

from newinfra.plans.models import Plan, Target
from newinfra.projects.tests.helpers import client_for
from newinfra.utilities.script import SCRIPT_SESSION_KEY, to_simplified

pytestmark = pytest.mark.django_db


def traditional(text: str) -> bool:
    return bool(text) and to_simplified(text) != text


@pytest.fixture
def plan():
    plan = Plan.objects.get(script="traditional")
    assert any(traditional(t.text) for t in plan.targets.all()), "the plan's 原文 is Traditional"
    return plan


def shown_without_source(html: str) -> str:
    doc = lxml.html.fromstring(html)
    for el in doc.xpath("//details[@class='source']|//script|//style"):
        el.drop_tree()
    return doc.text_content()


def pages(plan):
    target = plan.targets.filter(is_active=True, task__isnull=False).order_by("pk").first()
    return [
        f"/targets/?plan={plan.pk}",
        f"/tasks/{target.task_id}/",
        f"/indicators/{target.indicator_id}/",
    ]


def test_in_simplified_the_source_of_a_traditional_plan_reads_in_simplified(plan):
    client = client_for("office")
    stored = {t.pk: t.text for t in Target.objects.filter(plan=plan)}
    for url in pages(plan):
        html = client.get(url).content.decode()
        texts = [t for t in stored.values() if t in html]
        assert texts, url  # the source is on the page, verbatim, one click away …
        doc = lxml.html.fromstring(html)
        sources = [d.xpath("string(.//span)") for d in doc.xpath("//details[@class='source']")]
        assert any(traditional(s) for s in sources), url
        rest = shown_without_source(html)
        for text in texts:  # … and what the page shows is in Simplified
            assert text not in rest, (url, text)
    assert {t.pk: t.text for t in Target.objects.filter(plan=plan)} == stored  # stored verbatim


def test_in_traditional_the_source_stays_as_written(plan):
    client = client_for("office")
    session = client.session
    session[SCRIPT_SESSION_KEY] = "hant"
    session.save()
    url = pages(plan)[0]
    html = client.get(url).content.decode()
    doc = lxml.html.fromstring(html)
    sources = [d.xpath("string(.//span)") for d in doc.xpath("//details[@class='source']")]
    stored = set(plan.targets.values_list("text", flat=True))
    assert sources and set(sources) <= stored


def test_the_ledger_export_in_simplified_has_no_traditional_text(plan):
    data = client_for("office").get(f"/ledger/?plan={plan.pk}&export=xlsx").content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    cells = [c for r in rows[1:] for c in r if isinstance(c, str)]
    assert len(rows) > 10 and not [c for c in cells if traditional(c)]
