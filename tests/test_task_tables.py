"""Task-allocation tables (任务分工表) in .docx, .xlsx, .html and .pdf give one task per row.

The tables are built here from tasks and units of the kind real plans circulate (附件：重点任务
分工表); each shape is one the issue names: 牵头单位/配合单位 columns, one 责任单位 column whose
lead is marked 牵头, a title row above the header, merged cells, a header repeated on a new page.
"""

from __future__ import annotations

import pytest

from newinfra.parsing import parse_file, parse_text
from newinfra.parsing.read import read_document

# number, task, lead units, co-operating units, time limit, expected deadline_date
ROWS = [
    (
        "1",
        "加快5G网络规模化部署，新建5G基站1.2万个",
        ["市经信局"],
        ["市通信管理办", "中国铁塔杭州市分公司"],
        "2024年底前",
        "2024-12-31",
    ),
    (
        "2",
        "推进千兆光网城乡全覆盖",
        ["市通信管理办"],
        ["市住房城乡建设局", "各区县政府"],
        "2025年6月底前",
        "2025-06-30",
    ),
    (
        "3",
        "建设城市算力调度平台",
        ["市数据资源局"],
        ["市发展改革委", "市经信局"],
        "2025年三季度",
        "2025-09-30",
    ),
    ("4", "推动数据中心绿色低碳改造", ["市发展改革委"], ["市生态环境局"], "持续推进", None),
    (
        "5",
        "布局充电基础设施",
        ["市住房城乡建设局", "市交通运输局"],
        ["国网杭州供电公司"],
        "2023年6月",
        "2023-06-30",
    ),
]
TITLE = "杭州市新型基础设施建设三年行动计划重点任务分工表"


def expected(rows=ROWS):
    return [
        (num, task.split("，")[0], lead, lead + co, deadline, date)
        for num, task, lead, co, deadline, date in rows
    ]


def got(plan):
    return [
        (t["number"], t["title"], t["lead_units"], t["all_units"], t["deadline"], t["deadline_date"])
        for t in plan["tasks"]
    ]


def write_docx(path, prose: list[str] | None = None) -> None:
    import docx

    document = docx.Document()
    for line in prose or []:
        document.add_paragraph(line)
    document.add_paragraph("附件")
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(ROWS) + 2, cols=5)
    # A header over two rows: 责任单位 above 牵头单位 | 配合单位.
    for c, name in enumerate(["序号", "重点任务", "责任单位", "责任单位", "完成时限"]):
        table.cell(0, c).text = name
    for c, name in enumerate(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]):
        table.cell(1, c).text = name
    for c in (0, 1, 4):
        table.cell(0, c).merge(table.cell(1, c))
    table.cell(0, 2).merge(table.cell(0, 3)).text = "责任单位"
    for r, (num, task, lead, co, deadline, _) in enumerate(ROWS, 2):
        table.cell(r, 0).text = num
        table.cell(r, 1).text = task
        # Several units in one cell, one per paragraph.
        cell = table.cell(r, 2)
        cell.text = lead[0]
        for more in lead[1:]:
            cell.add_paragraph(more)
        table.cell(r, 3).text = "、".join(co)
        table.cell(r, 4).text = deadline
    document.save(path)


def test_docx_table_with_lead_and_co_columns(tmp_path):
    write_docx(tmp_path / "分工.docx")
    plan = parse_file(tmp_path / "分工.docx").to_dict()
    assert got(plan) == expected()
    # The figure in a task cell is that task's target.
    assert [(t["value"], t["unit"], t["task_number"]) for t in plan["targets"]] == [(12000, "个", "1")]


def write_xlsx(path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    sheets = [wb.active, wb.create_sheet("第二批")]
    halves = [ROWS[:3], ROWS[3:]]
    for ws, rows in zip(sheets, halves, strict=True):
        ws.append([TITLE])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
        ws.append(["时间节点", "序号", "工作任务", "责任单位"])  # columns in any order
        for num, task, lead, co, deadline, _ in rows:
            units = "、".join([f"{u}（牵头）" for u in lead] + co)
            ws.append([deadline, int(num), task, units])
    wb.save(path)


def test_xlsx_every_sheet_with_a_title_row_and_one_marked_unit_column(tmp_path):
    write_xlsx(tmp_path / "分工.xlsx")
    source = read_document(tmp_path / "分工.xlsx")
    assert source.format == "xlsx"
    plan = parse_file(tmp_path / "分工.xlsx").to_dict()
    assert got(plan) == expected()
    assert plan["title"] == TITLE


def test_xlsx_cell_text_lead_written_as_a_sentence(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "责任单位", "完成时限"])
    ws.append([1, "建设城市算力调度平台", "市数据资源局牵头，市发展改革委、市经信局配合", "2025年底前"])
    wb.save(tmp_path / "t.xlsx")
    plan = parse_file(tmp_path / "t.xlsx").to_dict()
    assert got(plan) == [
        (
            "1",
            "建设城市算力调度平台",
            ["市数据资源局"],
            ["市数据资源局", "市发展改革委", "市经信局"],
            "2025年底前",
            "2025-12-31",
        )
    ]


def write_html(path) -> None:
    body = []
    for i, (num, task, lead, co, deadline, _) in enumerate(ROWS):
        if i == 0:
            body.append('<tr><td colspan="5"><b>一、信息基础设施</b></td></tr>')
        if i == 3:
            body.append('<tr><td colspan="5">二、融合基础设施</td></tr>')
        lead_cell = "".join(f"<p>{u}</p>" for u in lead)
        body.append(
            f"<tr><td>{num}</td><td><p>{task}</p></td><td>{lead_cell}</td>"
            f"<td>{'，'.join(co)}</td><td>{deadline}</td></tr>"
        )
    page = (
        '<html><head><meta charset="utf-8"><title>分工</title></head><body>'
        f"<h3>附件</h3><p>{TITLE}</p><table border=1>"
        "<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>"
        + "".join(body)
        + "</table><p>抄送：市委办公厅。</p></body></html>"
    )
    path.write_text(page, encoding="utf-8")


def test_html_table_with_group_rows(tmp_path):
    write_html(tmp_path / "分工.html")
    plan = parse_file(tmp_path / "分工.html").to_dict()
    assert got(plan) == expected()
    assert [t["section"] for t in plan["tasks"]] == ["一、信息基础设施"] * 3 + ["二、融合基础设施"] * 2


def test_html_rowspan_gives_the_unit_to_every_row_it_covers(tmp_path):
    page = (
        "<table><tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>完成时限</td></tr>"
        '<tr><td>1</td><td>建设工业互联网标识解析节点</td><td rowspan="2">市经信局</td><td>2024年底前</td></tr>'
        "<tr><td>2</td><td>培育工业互联网平台</td><td>2025年底前</td></tr></table>"
    )
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    plan = parse_file(tmp_path / "t.html").to_dict()
    assert [(t["title"], t["lead_units"], t["deadline_date"]) for t in plan["tasks"]] == [
        ("建设工业互联网标识解析节点", ["市经信局"], "2024-12-31"),
        ("培育工业互联网平台", ["市经信局"], "2025-12-31"),
    ]


def write_pdf(path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 9)
    columns = [30, 60, 250, 340, 500]
    header = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    c.drawString(30, 810, "附件")
    c.drawString(150, 790, TITLE)
    y = 760
    for page_rows in (ROWS[:3], ROWS[3:]):
        for x, name in zip(columns, header, strict=True):
            c.drawString(x + 4, y, name)  # header text a little right of the column's edge
        y -= 20
        for num, task, lead, co, deadline, _ in page_rows:
            c.drawString(columns[0], y, num)
            # A long task wraps onto a second line of the same row.
            c.drawString(columns[1], y, task[:12])
            if task[12:]:
                c.drawString(columns[1], y - 12, task[12:])
            c.drawString(columns[2], y, lead[0])
            if lead[1:]:
                c.drawString(columns[2], y - 12, "、" + "、".join(lead[1:]))
            c.drawString(columns[3], y, "、".join(co))
            c.drawString(columns[4], y, deadline)
            y -= 30
        c.showPage()
        c.setFont("STSong-Light", 9)
        y = 800
    c.save()


def test_pdf_table_across_two_pages(tmp_path):
    write_pdf(tmp_path / "分工.pdf")
    plan = parse_file(tmp_path / "分工.pdf").to_dict()
    assert got(plan) == expected()


PROSE = [
    "杭州市新型基础设施建设三年行动计划（2023—2025年）",
    "一、主要任务",
    "（一）信息基础设施",
    "1.加快5G网络规模化部署。到2024年，新建5G基站1.2万个，实现重点场所全覆盖。",
    "2.推进千兆光网城乡全覆盖。实施光纤到户改造，提升家庭宽带接入能力。",
    "3.建设城市算力调度平台。统筹全市算力资源，提供普惠算力服务。",
    "（二）融合基础设施",
    "4.推动数据中心绿色低碳改造。新建数据中心PUE不高于1.25。",
    "5.布局充电基础设施。新建公共充电桩5000个。（市住房城乡建设局负责）",
]


def test_prose_with_an_annexed_table_takes_the_table_units(tmp_path):
    write_docx(tmp_path / "方案.docx", prose=PROSE)
    plan = parse_file(tmp_path / "方案.docx").to_dict()
    # The prose tasks, in their sections, with the units and time limits of the table.
    assert got(plan) == expected()
    assert [t["section"] for t in plan["tasks"]][:1] == ["一、主要任务/(一)信息基础设施"]
    assert all(t["text"].startswith(("加快", "推进", "建设", "推动", "布局")) for t in plan["tasks"])
    # The table's own copy of the figures is not counted twice.
    assert sorted(t["value"] for t in plan["targets"]) == [1.25, 5000, 12000]
    assert not any(f["kind"] == "table_only" for t in plan["tasks"] for f in t["flags"])
    # Nor is the table's copy of a figure said to be left out.
    assert not [f for t in plan["tasks"] for f in t["flags"] if f["kind"] == "figure_left_out"]
    assert plan["flags"] == []


def test_a_table_row_without_a_prose_task_is_kept_and_flagged(tmp_path):
    text = "\n".join(
        [
            "一、主要任务",
            "1.加快5G网络规模化部署。",
            "附件：重点任务分工表",
            "序号\t重点任务\t牵头单位\t完成时限",
            "1\t加快5G网络规模化部署\t市经信局\t2024年底前",
            "2\t开展卫星互联网应用试点\t市数据资源局\t2025年底前",
        ]
    )
    plan = parse_text(text).to_dict()
    assert [(t["title"], t["lead_units"]) for t in plan["tasks"]] == [
        ("加快5G网络规模化部署", ["市经信局"]),
        ("开展卫星互联网应用试点", ["市数据资源局"]),
    ]
    assert [f["kind"] for f in plan["tasks"][1]["flags"]] == ["table_only", "unknown_unit"]


@pytest.mark.parametrize(
    "header",
    [
        "序号\t指标\t单位\t2025年",  # an indicator table is not a task table
        "序号\t名称\t地址\t联系电话",
        "重点任务\t备注",
    ],
)
def test_other_tables_are_not_task_tables(header):
    plan = parse_text(f"一、附表\n{header}\n1\t5G基站数\t万个\t10\n").to_dict()
    assert plan["tasks"] == []


def test_bad_xlsx_is_refused_clearly(tmp_path):
    from newinfra.parsing import DocumentError

    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook at all")
    with pytest.raises(DocumentError, match="not a valid .xlsx"):
        read_document(tmp_path / "bad.xlsx")


def test_cli_reads_an_xlsx_and_lists_its_doubts_first(tmp_path):
    import json
    import subprocess
    import sys

    write_xlsx(tmp_path / "分工.xlsx")
    cli = [sys.executable, "-m", "newinfra.cli", "parse", str(tmp_path / "分工.xlsx")]
    r = subprocess.run(cli, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    assert [t["deadline_date"] for t in plan["tasks"]] == [row[5] for row in ROWS]
    r = subprocess.run([*cli, "--format", "md"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    md = r.stdout
    # 市经信局 is not how the organisation table spells 市工业和信息化局: said before the ledger.
    assert md.index("## 待核实") < md.index("| 序号")
    assert "“市经信局”不在单位名录中" in md
    assert "| 2024年底前 |" in md


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("序号", "num"),
        ("重点任务", "task"),
        ("工作任务", "task"),
        ("主要内容", "task"),
        ("牵头单位", "lead"),
        ("牵头部门", "lead"),
        ("配合单位", "co"),
        ("协办单位", "co"),
        ("责任单位", "resp"),
        ("责任部门", "resp"),
        ("完成时限", "time"),
        ("时间节点", "time"),
        ("完成 时间", "time"),
        ("牵头领导", None),  # a person, not a unit
        ("联系电话", None),
        ("备注", None),
    ],
)
def test_header_cells(cell, kind):
    from newinfra.parsing.task_tables import column_kind

    assert column_kind(cell) == kind


def test_group_rows_numbered_in_the_number_column():
    text = "\n".join(
        [
            "序号\t重点任务\t牵头领导\t牵头单位\t配合单位\t完成时限",
            "一\t信息基础设施",
            "1\t加快5G网络规模化部署\t张副市长\t市经信局\t市通信管理办\t2024年底前",
            "（二）\t融合基础设施",
            "2\t布局充电基础设施\t李副市长\t市住房城乡建设局\t\t2025年底前",
        ]
    )
    plan = parse_text(text).to_dict()
    assert [(t["section"], t["title"], t["all_units"]) for t in plan["tasks"]] == [
        ("一、信息基础设施", "加快5G网络规模化部署", ["市经信局", "市通信管理办"]),
        ("(二)融合基础设施", "布局充电基础设施", ["市住房城乡建设局"]),
    ]


def test_traditional_script_table_in_big5(tmp_path):
    page = (
        '<html><head><meta charset="big5"></head><body><table>'
        "<tr><td>序號</td><td>重點任務</td><td>牽頭單位</td><td>配合單位</td><td>完成時限</td></tr>"
        "<tr><td>1</td><td>推動數據中心綠色化改造</td><td>市發展改革委</td><td>市生態環境局、各區政府</td>"
        "<td>2025年6月底前</td></tr></table></body></html>"
    )
    (tmp_path / "t.html").write_bytes(page.encode("big5"))
    plan = parse_file(tmp_path / "t.html").to_dict()
    assert plan["script"] == "traditional"
    assert got(plan) == [
        (
            "1",
            "推动数据中心绿色化改造",
            ["市发展改革委"],
            ["市发展改革委", "市生态环境局", "各区政府"],
            "2025年6月底前",
            "2025-06-30",
        )
    ]
    # The verbatim fields keep the source script.
    assert plan["tasks"][0]["text"] == "推動數據中心綠色化改造"
    assert "市發展改革委" in plan["tasks"][0]["responsibility_raw"]


def test_a_table_of_the_plans_headings_gives_its_units_to_the_tasks_under_them():
    text = "\n".join(
        [
            "一、主要任务",
            "(一)建设信息基础设施",
            "1.加快5G网络规模化部署。",
            "2.推进千兆光网城乡全覆盖。",
            "(二)建设融合基础设施",
            "3.布局充电基础设施。(市交通运输局负责)",
            "4.建设智慧水务设施。",
            "附件：重点任务分工表",
            "序号\t重点任务\t牵头单位\t配合单位\t完成时限",
            "1\t建设信息基础设施\t市经信局\t市通信管理办\t2024年底前",
            "2\t建设融合基础设施\t市住房城乡建设局\t市水务局\t2025年底前",
        ]
    )
    plan = parse_text(text).to_dict()
    assert [(t["number"], t["lead_units"], t["all_units"], t["deadline_date"]) for t in plan["tasks"]] == [
        ("1", ["市经信局"], ["市经信局", "市通信管理办"], "2024-12-31"),
        ("2", ["市经信局"], ["市经信局", "市通信管理办"], "2024-12-31"),
        ("3", [], ["市交通运输局"], None),  # it names its own unit
        ("4", ["市住房城乡建设局"], ["市住房城乡建设局", "市水务局"], "2025-12-31"),
    ]


def test_labelled_units_in_one_cell_and_bracketed_numbers():
    text = "\n".join(
        [
            "序号\t重点任务\t责任单位\t完成时限",
            "（1）\t建设城市大脑\t牵头单位：市发展改革委 配合单位：市工业和信息化局、市公安局\t2023年起持续推进",
            "（2）\t建设算力中心\t市工业和信息化局（牵头），市发展改革委\t2024年12月",
        ]
    )
    plan = parse_text(text).to_dict()
    assert got(plan) == [
        (
            "1",
            "建设城市大脑",
            ["市发展改革委"],
            ["市发展改革委", "市工业和信息化局", "市公安局"],
            "2023年起持续推进",
            None,
        ),
        (
            "2",
            "建设算力中心",
            ["市工业和信息化局"],
            ["市工业和信息化局", "市发展改革委"],
            "2024年12月",
            "2024-12-31",
        ),
    ]


def test_a_document_that_is_only_a_table_takes_the_title_row_above_it():
    text = "附件2：\n南岭市数字基础设施重点任务分工表\n序号\t工作任务\t责任单位\t时间节点\n1\t建设城市算力调度平台\t市数据资源局\t2025年底前"
    assert parse_text(text).to_dict()["title"] == "南岭市数字基础设施重点任务分工表"
