"""Output: JSON (the plan-format contract), a Markdown ledger, and the .xlsx 任务分工台账.

Every function takes a list of plan dicts (``PlanDocument.to_dict()``), one per parsed file.
"""

from __future__ import annotations

import json
import re
from os import PathLike

from .display import format_quantity, format_target

LEDGER_HEADER = ["序号", "任务", "主要内容", "牵头单位", "责任单位", "量化指标", "完成时限"]
TARGET_HEADER = [
    "序号",
    "规划",
    "所属章节",
    "所属任务",
    "指标",
    "比较",
    "目标值",
    "上限",
    "单位",
    "年份",
    "年均",
    "原文",
]
COMPARATOR_TEXT = {">=": "≥", ">": ">", "<": "<", "<=": "≤", "~": "约", "=": "="}


def render_json(plans: list[dict]) -> str:
    data = plans[0] if len(plans) == 1 else plans
    return json.dumps(data, ensure_ascii=False, indent=2)


def plan_name(plan: dict) -> str:
    return plan.get("title") or plan.get("source") or "未命名规划"


def plan_flags(plan: dict) -> list[tuple[str, dict]]:
    """Every flag of a plan with where it is: (任务 3「…」 / 指标「…」 / 全文, flag)."""
    out = [("全文", f) for f in plan.get("flags") or []]
    for task in plan["tasks"]:
        out.extend((f"任务 {task['number']}「{task['title']}」", f) for f in task.get("flags") or [])
    for t in plan["targets"]:
        out.extend((f"指标「{t['text']}」", f) for f in t.get("flags") or [])
    return out


def task_deadline(plan: dict, task: dict) -> str:
    if task.get("deadline"):
        return task["deadline"]
    years = [t["year"] for t in plan["targets"] if t.get("task_number") == task["number"] and t.get("year")]
    if years:
        return f"{max(years)}年底"
    end = (plan.get("period") or {}).get("end")
    return f"{end}年底" if end else ""


def task_targets(plan: dict, task: dict) -> list[dict]:
    return [t for t in plan["targets"] if t.get("task_number") == task["number"]]


def co_units(task: dict) -> list[str]:
    return [u for u in task["all_units"] if u not in task["lead_units"]]


def _cell(s) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", "<br>")


def render_markdown(plans: list[dict]) -> str:
    out: list[str] = []
    for plan in plans:
        out.append(f"# {plan_name(plan)}")
        period = plan.get("period") or {}
        script = "繁体" if plan.get("script") == "traditional" else "简体"
        span = f"{period.get('start') or ''}—{period.get('end') or ''}年" if period else "未注明"
        out.append(
            f"\n原文字体：{script}　规划期：{span}　任务 {len(plan['tasks'])} 项　量化指标 {len(plan['targets'])} 个\n"
        )
        flags = plan_flags(plan)
        doubts = [(where, f) for where, f in flags if f.get("severity") != "info"]
        notes = [(where, f) for where, f in flags if f.get("severity") == "info"]
        for heading, listed in (("待核实", doubts), ("仅供参考", notes)):
            if listed:
                out.append(f"## {heading}（{len(listed)} 处）\n")
                out.extend(f"- {where}：{_cell(f['message'])}" for where, f in listed)
                out.append("")
        current: str | None = None
        for task in plan["tasks"]:
            if task["section"] != current:
                before = current.split("/") if current else []
                current = task["section"]
                parts = current.split("/") if current else ["任务"]
                for depth, part in enumerate(parts):
                    if (
                        depth >= len(before)
                        or before[depth] != part
                        or any(before[k] != parts[k] for k in range(depth))
                    ):
                        out.append(f"\n{'#' * min(depth + 2, 5)} {part}\n")
                out.append("| 序号 | 任务 | 牵头单位 | 责任单位 | 量化指标 | 完成时限 |")
                out.append("| ---: | --- | --- | --- | --- | --- |")
            targets = "<br>".join(_cell(format_target(t)) for t in task_targets(plan, task))
            out.append(
                f"| {_cell(task['number'])} | {_cell(task['title'])} | {_cell('、'.join(task['lead_units']))} | "
                f"{_cell('、'.join(co_units(task)))} | {targets} | {_cell(task_deadline(plan, task))} |"
            )
        out.append("\n## 量化指标\n")
        out.append("| 序号 | 指标 | 目标值 | 年份 | 所属任务 | 原文 |")
        out.append("| ---: | --- | --- | --- | --- | --- |")
        for i, t in enumerate(plan["targets"], 1):
            value = format_quantity(
                t["value"], t.get("unit", ""), t["comparator"], t.get("value_max"), t.get("per_year")
            )
            where = t["task_number"] if t.get("task_number") else (t.get("section") or "总体目标")
            out.append(
                f"| {i} | {_cell(t['indicator'])} | {_cell(value)} | {t.get('year') or ''} | {_cell(where)} | {_cell(t['text'])} |"
            )
        out.append("")
    return "\n".join(out).strip() + "\n"


def _sheet_title(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "任务分工台账"
    title, n = base, 2
    while title in taken:
        title = f"{base[:26]}_{n}"
        n += 1
    taken.add(title)
    return title


# Text that a spreadsheet could take for a formula (or that turns into one when the cell is edited).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put(cell, value):
    """The one way every .xlsx the platform writes sets a cell: text is always text, never a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def write_cell(ws, row: int, column: int, value):
    return put(ws.cell(row=row, column=column), value)


def append_row(ws, values) -> int:
    """Like ``ws.append`` (after the last written row), through ``put``; returns the row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(row=1, column=1).value is not None else 1
    for column, value in enumerate(values, start=1):
        write_cell(ws, row, column, value)
    return row


def write_xlsx(plans: list[dict], path: str | PathLike) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    head_fill = PatternFill("solid", fgColor="9E1B1B")
    section_fill = PatternFill("solid", fgColor="F3E5E5")
    wrap_top = Alignment(vertical="top", wrap_text=True)

    def print_setup(ws, title_rows: str) -> None:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = title_rows
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        ws.page_margins.left = ws.page_margins.right = 0.4

    def header(ws, row: int, names: list[str]) -> None:
        for col, name in enumerate(names, 1):
            c = write_cell(ws, row, col, name)
            c.font = Font(bold=True, color="FFFFFF")
            c.fill = head_fill
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.border = border

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for plan in plans:
        ws = wb.create_sheet(_sheet_title(plan_name(plan), taken))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_HEADER))
        title = write_cell(ws, 1, 1, f"{plan_name(plan)} 任务分工台账")
        title.font = Font(bold=True, size=14)
        title.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28
        header(ws, 2, LEDGER_HEADER)
        row, current = 3, None
        for task in plan["tasks"]:
            if task["section"] and task["section"] != current:
                current = task["section"]
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(LEDGER_HEADER))
                c = write_cell(ws, row, 1, current.replace("/", " / "))
                c.font = Font(bold=True)
                c.fill = section_fill
                c.border = border
                row += 1
            values = [
                task["number"],
                task["title"],
                task.get("text", ""),
                "、".join(task["lead_units"]),
                "、".join(co_units(task)),
                "\n".join(format_target(t) for t in task_targets(plan, task)),
                task_deadline(plan, task),
            ]
            for col, v in enumerate(values, 1):
                c = write_cell(ws, row, col, v)
                c.alignment = wrap_top
                c.border = border
            row += 1
        for col, width in enumerate([6, 20, 80, 18, 36, 28, 12], 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "A3"
        print_setup(ws, "1:2")

    ws = wb.create_sheet("量化指标")
    header(ws, 1, TARGET_HEADER)
    row = 2
    for plan in plans:
        for i, t in enumerate(plan["targets"], 1):
            values = [
                i,
                plan_name(plan),
                t.get("section") or "",
                t.get("task_number") or "",
                t["indicator"],
                COMPARATOR_TEXT.get(t["comparator"], t["comparator"]),
                t["value"],
                t.get("value_max"),
                t.get("unit", ""),
                t.get("year"),
                "是" if t.get("per_year") else "",
                t["text"],
            ]
            for col, v in enumerate(values, 1):
                c = write_cell(ws, row, col, v)
                c.alignment = wrap_top
                c.border = border
            row += 1
    for col, width in enumerate([6, 28, 28, 8, 28, 6, 14, 10, 8, 8, 6, 50], 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(TARGET_HEADER))}{max(row - 1, 1)}"
    print_setup(ws, "1:1")
    wb.properties.title = "任务分工台账"
    wb.properties.creator = "newinfra"
    wb.save(path)
