"""The task ledger as an Excel workbook: the sheet a 调度会 (progress meeting) works from."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from newinfra.utilities.script import to_simplified, to_traditional
from newinfra.utilities.tables import xlsx_download
from newinfra.utilities.workbooks import append_row

FONT = "宋体"
HEADER = [
    ("序号", 6),
    ("规划", 22),
    ("任务序号", 7),
    ("任务", 24),
    ("主要内容", 60),
    ("牵头单位", 18),
    ("配合单位", 30),
    ("量化指标", 26),
    ("完成时限", 11),
    ("完成日期", 11),
    ("状态", 9),
    ("进展情况", 44),
    ("进展日期", 11),
]


def units_text(task, lead: bool | None = None) -> str:
    return "、".join(
        r.organization.name for r in task.active_responsibilities if lead is None or r.is_lead == lead
    )


def ledger_filename(plan=None, as_of: dt.date | None = None) -> str:
    as_of = as_of or timezone.localdate()
    return f"{plan.title if plan else '全部规划'}任务分工台账（{as_of:%Y%m%d}）.xlsx"


def ledger_workbook(tasks, as_of: dt.date, made_by: str = "", plan=None, script: str = "hans") -> bytes:
    """任务分工台账 as .xlsx: a title row with 截至 date and 制表单位, then one row per task with its
    lead and co-operating units apart, its deadline, status and latest progress; 宋体 throughout."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from newinfra.supervision.sheet import annotate

    # every cell in the reader's script: a Traditional-source plan's text is Simplified in 简体
    convert = to_traditional if script == "hant" else to_simplified
    tasks = annotate(tasks, as_of)
    wb = Workbook()
    ws = wb.active
    ws.title = convert("任务分工台账")
    last = get_column_letter(len(HEADER))
    title = f"{plan.title if plan else '新型基础设施建设'}任务分工台账"
    append_row(ws, [convert(title)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    append_row(
        ws,
        [
            convert(
                f"截至{as_of.year}年{as_of.month}月{as_of.day}日"
                + (f"　　制表单位：{made_by}" if made_by else "")
            )
        ],
    )
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name=FONT, size=11)
    ws["A2"].alignment = Alignment(horizontal="right")
    append_row(ws, [convert(h) for h, _ in HEADER])
    thin = Side(style="thin", color="000000")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for cell in ws[3]:
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for n, t in enumerate(tasks, start=1):
        s = t.sheet
        append_row(
            ws,
            [
                convert(v) if isinstance(v, str) else v
                for v in (
                    n,
                    t.plan.title,
                    t.number,
                    t.title,
                    t.text,
                    units_text(t, lead=True),
                    units_text(t, lead=False),
                    "\n".join(f"{x.indicator_as_written} {x.display_value}" for x in t.active_targets),
                    s.deadline,
                    t.deadline_date,
                    s.light_label if s.light_label != "正常" else s.status_label,
                    s.progress,
                    s.progress_date.isoformat() if s.progress_date else "",
                )
            ],
        )
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.font = Font(name=FONT, size=10.5)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    for i, (_, width) in enumerate(HEADER, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{last}{max(3, ws.max_row)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_xlsx(tasks, script: str, made_by: str = "", plan=None, as_of: dt.date | None = None):
    """The ledger workbook as a download named with the plan and the date."""
    as_of = as_of or timezone.localdate()
    name = ledger_filename(plan, as_of)
    name = to_traditional(name) if script == "hant" else name
    return xlsx_download(ledger_workbook(tasks, as_of, made_by, plan, script), name)
