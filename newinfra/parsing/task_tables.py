"""Task-allocation tables (任务分工表): rows of tab-separated cells, as the readers give them.

    附件  重点任务分工表
    序号  重点任务            牵头单位          配合单位            完成时限
    1     加快5G网络建设      市工业和信息化局  市发展改革委、…     2024年底前

A header names the task column (重点任务 / 工作任务 …) and at least one unit column (牵头单位,
配合单位, 责任单位 …), in any order; a header written over two rows (责任单位 above 牵头单位 |
配合单位) is read from its lower row. Every row below it is one task: lead units from the
牵头单位 column or from 牵头 marks in a 责任单位 cell, all units from every unit column, the time
limit from the 完成时限 / 时间节点 column. A row with one text across the table (一、数字基础设施)
labels the rows under it. The table ends at the first line that is not a row of it.
"""

from __future__ import annotations

import re

from .normalise import SOFT_BREAK, mainland
from .records import dataclass, field
from .responsibilities import parse_unit_list

NUM = re.compile(r"^(序号|编号|序|No\.?)$", re.I)
TASK = re.compile(
    r"(重点任务|工作任务|主要任务|具体任务|任务名称|任务内容|任务事项|重点工作|工作事项|重点事项|任务举措|"
    r"工作措施|具体措施|主要措施|政策措施|主要内容|工作内容|具体内容|项目名称|任务|事项|举措|措施|内容)"
)
DETAIL = re.compile(
    r"(具体内容|主要内容|工作内容|具体措施|工作措施|工作要求|目标要求|具体目标|主要目标|任务内容)"
)
LEAD = re.compile(r"(牵头单位|牵头部门|牵头责任单位|牵头责任部门|主责单位|主办单位|牵头)")
CO = re.compile(r"(配合单位|配合部门|协办单位|参与单位|协同单位|协助单位|配合)")
RESP = re.compile(r"(责任单位|责任部门|责任主体|实施单位|承办单位|责任处室|负责单位)")
TIME = re.compile(
    r"(完成时限|时间节点|完成时间|完成期限|完成年限|时间进度|进度安排|时间安排|推进时间|时限|期限|时间)"
)
# 牵头领导, 联系人, 联系电话: columns about people, not units.
PERSON = re.compile(r"(领导|负责人|联系人|电话|责任人|分管)")
GROUP_NUMBER = re.compile(r"^[(（]?[一二三四五六七八九十]+[)）]?[、.．]?$")
GROUP_LABEL = re.compile(
    r"^\s*([一二三四五六七八九十]+\s*[、.]|\(\s*[一二三四五六七八九十]+\s*\)|第[一二三四五六七八九十]+)"
)
SEPARATOR = re.compile(r"\s*[\s\u2028]+\s*")


def column_kind(cell: str) -> str | None:
    """What a header cell names: num | task | lead | co | resp | time; None for anything else."""
    c = re.sub(r"[\s\u2028()（）]", "", cell)
    if not c or len(c) > 12 or PERSON.search(c):
        return None
    if NUM.match(c):
        return "num"
    if LEAD.search(c):
        return "lead"
    if CO.search(c):
        return "co"
    if RESP.search(c):
        return "resp"
    if TIME.search(c):
        return "time"
    if TASK.search(c):
        return "task"
    return None


def header_columns(cells: list[str]) -> dict[str, list[int]] | None:
    """Columns of each kind when the cells are a task-table header, else None."""
    kinds: dict[str, list[int]] = {}
    named = 0
    for k, cell in enumerate(cells):
        kind = column_kind(cell)
        if kind:
            kinds.setdefault(kind, []).append(k)
            named += 1
    if "task" not in kinds or not ({"lead", "co", "resp"} & kinds.keys()):
        return None
    nonblank = sum(1 for c in cells if c.strip())
    if named < 3 or named < nonblank - 1:  # a header names (nearly) all of its columns
        return None
    tasks = kinds["task"]
    if len(tasks) > 1:  # 重点任务 | 具体内容: the title column and the detail columns
        title = next((k for k in tasks if not DETAIL.search(cells[k])), tasks[0])
        kinds["task"] = [title]
        kinds["detail"] = [k for k in tasks if k != title]
    return kinds


@dataclass
class TableTask:
    number: str
    title: str
    text: str
    section: str
    lead_units: list[str] = field(default_factory=list)
    all_units: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    deadline: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)  # task and detail cells, offsets


@dataclass
class TaskTable:
    start: int  # offset of the header line
    end: int  # offset after the last row
    tasks: list[TableTask] = field(default_factory=list)


def _cells(line: str, off: int) -> list[tuple[str, int, int]]:
    out, pos = [], off
    for cell in line.split("\t"):
        lead = len(cell) - len(cell.lstrip())
        out.append((cell.strip(), pos + lead, pos + lead + len(cell.strip())))
        pos += len(cell) + 1
    return out


def _units_text(cell: str) -> str:
    """Units written one per line or separated by spaces become a 、-list."""
    return SEPARATOR.sub("、", cell.strip()).strip("、")


def _title(body: str) -> str:
    m = re.search(r"[。:;!?；：]", body)
    if m and m.start() <= 40:
        return body[: m.start()]
    m = re.search(r"[,，]", body)
    if m and m.start() <= 40:
        return body[: m.start()]
    return body[:40]


def _is_group_row(values: list[str], kinds: dict[str, list[int]]) -> str | None:
    """The label of a row that names a group of tasks (一、… across the table, or 一 | 信息基础设施
    with no units and no time limit), else None."""
    filled = [v for v in values if v]
    nums = [values[k] for k in kinds.get("num", []) if values[k]]
    others = [values[k] for kind in ("lead", "co", "resp", "time") for k in kinds.get(kind, []) if values[k]]
    if nums and GROUP_NUMBER.match(nums[0]) and not others:
        title = values[kinds["task"][0]]
        sep = "" if nums[0].endswith(("、", ".", "．", ")", "）")) else "、"
        return f"{nums[0]}{sep}{title}" if title and title != nums[0] else nums[0]
    if not filled or len(set(filled)) != 1:
        return None
    label = filled[0]
    num_cols = kinds.get("num", [])
    task_cols = kinds["task"]
    first = next(k for k, v in enumerate(values) if v)
    if len(filled) > 1 or GROUP_LABEL.match(label) or first in num_cols or first not in task_cols:
        return label
    return None


def find_task_tables(src: str, work: str, script: str) -> list[TaskTable]:
    lines, pos = [], 0
    for raw in work.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    tables: list[TaskTable] = []
    i = 0
    while i < len(lines):
        off, line = lines[i]
        if "\t" not in line:
            i += 1
            continue
        kinds = header_columns([c for c, _, _ in _cells(line, off)])
        if kinds is None:
            i += 1
            continue
        table = TaskTable(start=off, end=off + len(line))
        i += 1
        # A header over two rows: the lower one names the columns.
        while i < len(lines) and "\t" in lines[i][1]:
            lower = header_columns([c for c, _, _ in _cells(lines[i][1], lines[i][0])])
            if lower is None:
                break
            kinds = lower
            table.end = lines[i][0] + len(lines[i][1])
            i += 1
        width = max(k for ks in kinds.values() for k in ks) + 1
        section, counter = "", 0
        while i < len(lines):
            off, line = lines[i]
            if not line.strip():
                # A blank line ends the table unless a row of it follows.
                if i + 1 < len(lines) and "\t" in lines[i + 1][1]:
                    i += 1
                    continue
                break
            if "\t" not in line:
                # One text across the table: a group label, when rows follow.
                nxt = next((ln for _, ln in lines[i + 1 :] if ln.strip()), "")
                if "\t" in nxt and len(line.strip()) <= 60:
                    section = mainland(src[off : off + len(line)], script)
                    table.end = off + len(line)
                    i += 1
                    continue
                break
            cells = _cells(line, off)
            if header_columns([c for c, _, _ in cells]) is not None:  # a header repeated on each page
                i += 1
                continue
            cells += [("", off + len(line), off + len(line))] * (width - len(cells))
            values = [c for c, _, _ in cells]
            label = _is_group_row(values, kinds)
            if label is not None:
                section = mainland(label, script)
                table.end = off + len(line)
                i += 1
                continue
            task = _row_task(src, cells, kinds, script, section, counter + 1)
            table.end = off + len(line)
            i += 1
            if task is None:
                continue
            counter += 1
            table.tasks.append(task)
        if table.tasks:
            tables.append(table)
    return tables


def _row_task(
    src: str,
    cells: list[tuple[str, int, int]],
    kinds: dict[str, list[int]],
    script: str,
    section: str,
    index: int,
) -> TableTask | None:
    title_col = kinds["task"][0]
    detail_cols = kinds.get("detail", [])
    title_cell = cells[title_col]
    if not title_cell[0]:
        return None
    number = ""
    for k in kinds.get("num", []):
        number = re.sub(r"[.、．()（）\s]", "", cells[k][0])
    if not number:
        number = str(index)
    body = title_cell[0].replace(SOFT_BREAK, "")
    title = _title(body)
    spans = [(title_cell[1], title_cell[2])] + [
        (cells[k][1], cells[k][2]) for k in detail_cols if cells[k][0]
    ]
    text = " ".join(src[a:b] for a, b in spans)
    task = TableTask(
        number=number,
        title=mainland(src[title_cell[1] : title_cell[1] + len(title)], script).rstrip("。.,，;； "),
        text=text,
        section=section,
        spans=spans,
    )
    for kind in ("lead", "resp", "co"):
        for k in kinds.get(kind, []):
            cell, a, b = cells[k]
            if not cell:
                continue
            lead, units = parse_unit_list(_units_text(cell), script)
            for u in units:
                if u not in task.all_units:
                    task.all_units.append(u)
                if (kind == "lead" or (kind == "resp" and u in lead)) and u not in task.lead_units:
                    task.lead_units.append(u)
            task.raw.append(src[a:b])
    for k in kinds.get("time", []):
        if cells[k][0]:
            task.deadline = re.sub(r"\s+", "", mainland(src[cells[k][1] : cells[k][2]], script))
            break
    return task
