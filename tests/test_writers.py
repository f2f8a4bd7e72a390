"""The three outputs of `newinfra parse`: JSON, the Markdown ledger and the .xlsx ledger."""

import json

import pytest
from conftest import SEEDS
from openpyxl import load_workbook

from newinfra.parsing import parse_text
from newinfra.parsing.writers import LEDGER_HEADER, TARGET_HEADER, render_json, render_markdown, write_xlsx


@pytest.fixture(scope="module")
def plans() -> list[dict]:
    return [parse_text(s.read_text(encoding="utf-8"), s.name).to_dict() for s in SEEDS]


def test_json_one_plan_is_an_object_several_a_list(plans):
    one = json.loads(render_json(plans[:1]))
    assert isinstance(one, dict) and one["tasks"] == plans[0]["tasks"]
    both = json.loads(render_json(plans))
    assert [p["source"] for p in both] == [p["source"] for p in plans]


def test_markdown_ledger(plans):
    md = render_markdown(plans)
    assert md.count("\n# ") + md.startswith("# ") == 2
    rows = [ln for ln in md.splitlines() if ln.startswith("| ") and not ln.startswith(("| 序号", "| ---"))]
    assert len(rows) == sum(len(p["tasks"]) + len(p["targets"]) for p in plans)
    for text in ("≥3.89万个", "≥8万座", "1—2家", "每年3个", "＞1200亿元", "≥250万千瓦", "＜1.3"):
        assert text in md, text
    assert "## 三、主要任务" in md and "### (一)开展5G“头雁”行动" in md


def test_xlsx_ledger(plans, tmp_path):
    path = tmp_path / "ledger.xlsx"
    write_xlsx(plans, path)
    wb = load_workbook(path)
    assert len(wb.sheetnames) == 3 and wb.sheetnames[-1] == "量化指标"
    ws = wb[wb.sheetnames[1]]
    assert [c.value for c in ws[2]] == LEDGER_HEADER
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == "$1:$2"
    task_rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[1]]
    assert len(task_rows) == 40
    first = task_rows[0]
    assert first[0] == "1" and first[1] == "加大网络建设投入" and "省通信管理局" in first[4]
    assert ws.cell(row=4, column=3).alignment.wrap_text
    section_rows = [r[0] for r in ws.iter_rows(min_row=3, values_only=True) if not r[1]]
    assert "三、主要任务 / (一)开展5G“头雁”行动" in section_rows
    lamp = next(r for r in task_rows if r[0] == "3")
    assert "智慧灯杆 ≥3.4万根（2022年）" in lamp[5] and lamp[6] == "2022年底"
    targets = wb["量化指标"]
    assert [c.value for c in targets[1]] == TARGET_HEADER
    values = [r[6] for r in targets.iter_rows(min_row=2, values_only=True)]
    assert len(values) == sum(len(p["targets"]) for p in plans)
    assert all(isinstance(v, int | float) for v in values)
    assert 38900 in values and 1.3 in values
