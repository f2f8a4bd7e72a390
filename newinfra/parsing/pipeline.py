"""read → normalise → task tables → structure → responsibilities → quantities → deadlines →
flags → PlanDocument."""

from __future__ import annotations

import os
import re

from .deadlines import deadline_date, find_deadline
from .flags import annotate
from .model import PlanDocument, Section, Task
from .normalise import (
    SOFT_BREAK,
    break_flattened_lines,
    detect_script,
    mainland,
    to_simplified_same_length,
    unwrap_hard_wrapped,
)
from .quantities import find_targets
from .responsibilities import find_responsibilities
from .structure import FIRST_LEADS, Heading, build_skeleton, goal_paragraphs, is_status_path
from .tables import find_table_targets

TITLE_END = re.compile(r"[。:;!?]")  # where a task's title ends, at the latest
TITLE_COMMA = re.compile(r"[,，]")
GOAL_SECTION = re.compile(r"(目标|总体要求|发展目标|主要目标|工作目标|总体目标|预期目标)")


def _path(path: list[Heading]) -> str:
    return "/".join(
        f"{h.number}{' ' if h.number.startswith('第') else ''}{h.title}"
        if h.number.startswith(("(", "第"))
        else f"{h.number}、{h.title}"
        for h in path
    )


def _task_title(body: str) -> str:
    m = TITLE_END.search(body)
    if m and m.start() <= 40:
        return body[: m.start()]
    m = TITLE_COMMA.search(body)
    if m and m.start() <= 40:
        return body[: m.start()]
    return body[:40]


def _blank(work: str, tables: list) -> str:
    """The working copy with the task tables blanked out (same length, lines kept)."""
    if not tables:
        return work
    parts, pos = [], 0
    for t in tables:
        parts.append(work[pos : t.start])
        parts.append(re.sub(r"[^\n]", " ", work[t.start : t.end]))
        pos = t.end
    parts.append(work[pos:])
    return "".join(parts)


def _table_title(src: str, full: str, table, script: str) -> str | None:
    """The title row above a task table (XX市重点任务分工表), for a document that is only the table."""
    for line in reversed(full[: table.start].split("\n")):
        text = re.sub(r"^附件\s*\d*\s*[:：]?\s*", "", line.strip())
        if not text or "\t" in text:
            continue
        return mainland(text, script) if len(text) <= 80 else None
    return None


def _plan_year(period: dict | None) -> int | None:
    """The year of a one-year plan, which dates a time limit written as 6月底前."""
    if period and period.get("start") and period.get("start") == period.get("end"):
        return period["start"]
    return None


def parse_text(src: str, source: str | None = None) -> PlanDocument:
    """Parse the text of a plan. Never raises on text input; an unstructured text gives an
    empty plan."""
    src = src.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    script = detect_script(src)
    full = to_simplified_same_length(src, script)
    tables = []
    if "\t" in full:  # only a table row has tabs; the table reader is loaded only then
        from .task_tables import find_task_tables

        tables = find_task_tables(src, full, script)
    work = break_flattened_lines(unwrap_hard_wrapped(_blank(full, tables), _starts_block))
    sk = build_skeleton(src, work, script)
    period_start = (sk.period or {}).get("start")
    year = _plan_year(sk.period)

    title = sk.title or (_table_title(src, full, tables[0], script) if tables else None)
    doc = PlanDocument(title=title, script=script, period=sk.period, source=source)
    for h in sk.headings:
        parent = None
        level = sk.levels[h.kind]
        for other in reversed(sk.headings[: sk.headings.index(h)]):
            if sk.levels[other.kind] < level:
                parent = other.number
                break
        doc.sections.append(Section(h.number, h.title, parent, level))

    first_leads = bool(FIRST_LEADS.search(work, 0, sk.preamble_end))
    for it in sk.items:
        section = _path(it.path)
        body_start = it.line.start + (len(it.line.text) - len(_item_rest(it)))
        body_src = src[body_start : it.end]
        resp = find_responsibilities(src, work, it.line.start, it.end, script)
        title_work = _task_title(work[body_start : it.end])
        task = Task(
            number=it.number,
            title=mainland(src[body_start : body_start + len(title_work)], script).rstrip("。.,，;； "),
            section=section,
            text=body_src.strip(),
            lead_units=resp.lead_units,
            all_units=resp.all_units,
            responsibility_raw=" | ".join(resp.raw),
        )
        # A time limit in a responsibility statement is the task's; else the latest in its text.
        for raw in resp.raw:
            at = src.find(raw, it.line.start)
            if not task.deadline and at >= 0:
                task.deadline = find_deadline(work[at : at + len(raw)].replace(SOFT_BREAK, ""))
        task.deadline = task.deadline or find_deadline(work, body_start, it.end, ongoing=False)
        task.deadline_date = deadline_date(task.deadline, year)
        doc.tasks.append(task)
        # 列第一位的为牵头单位 / 第一责任单位为牵头单位(下同): from there on the first unit leads.
        first_leads = first_leads or bool(FIRST_LEADS.search(work, it.line.start, it.end))
        if first_leads and not task.lead_units and task.all_units:
            task.lead_units = task.all_units[:1]
        if not is_status_path(it.path):
            goal_item = any(GOAL_SECTION.search(h.title) for h in it.path)
            doc.targets.extend(
                find_targets(
                    src, work, body_start, it.end, script, it.number, section, period_start, goal_item
                )
            )

    for block in sk.blocks:
        if block.start < sk.preamble_end:
            # Before the first heading only a paragraph that states goals with a deadline
            # (总体发展目标，到2025年，…) holds targets; the rest is title, notice and preface.
            for a, b in goal_paragraphs(work, block.start, min(block.end, sk.preamble_end)):
                doc.targets.extend(find_targets(src, work, a, b, script, None, None, period_start, True))
            continue
        if is_status_path(block.path):
            continue  # 发展基础 / 发展现状: figures already achieved, not targets
        section = _path(block.path)
        goal = any(GOAL_SECTION.search(h.title) for h in block.path)
        doc.targets.extend(
            find_targets(src, work, block.start, block.end, script, None, section or None, period_start, goal)
        )
        doc.targets.extend(find_table_targets(src, work, block.start, block.end, script, section or None))
    copies: list[tuple[int, int]] = []  # table cells that repeat a prose task
    for table in tables:
        copies += _add_table(doc, table, src, full, script, period_start, year)
    doc.targets.sort(key=lambda t: src.find(t.text))
    annotate(doc, src, full, script, skip=copies)
    return doc


def _similarity(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    a, b = re.sub(r"\W", "", a), re.sub(r"\W", "", b)
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) >= 4 and (a in b or b in a):
        return 0.95
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


MATCH_AT_LEAST = 0.6


def _take_row(task: Task, row, year: int | None) -> None:
    """A prose task takes the units and time limit of the table row that matches it."""
    if row.all_units:
        task.lead_units, task.all_units = list(row.lead_units), list(row.all_units)
    task.responsibility_raw = " | ".join(filter(None, [task.responsibility_raw, *row.raw]))
    if row.deadline:
        task.deadline = row.deadline
        task.deadline_date = deadline_date(row.deadline, year)


def _add_table(doc: PlanDocument, table, src, full, script, period_start, year) -> list[tuple[int, int]]:
    """A task-allocation table: its units go to the prose tasks it matches by title; the rows
    that match no prose task are tasks of their own. Returns the spans of the matched rows' task
    cells (their figures are the prose task's)."""
    copies: list[tuple[int, int]] = []
    prose = list(doc.tasks)
    pairs = sorted(
        (
            (max(_similarity(row.title, t.title), _similarity(row.title, t.text[:60])), r, p)
            for r, row in enumerate(table.tasks)
            for p, t in enumerate(prose)
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, r, p in pairs:
        if score < MATCH_AT_LEAST:
            break
        if r in matched or p in used:
            continue
        matched[r] = p
        used.add(p)
    # A row that names a heading of the text (the table lists the plan's (一)(二)… ) is for the
    # tasks under that heading that name no units of their own.
    by_heading: dict[int, list[Task]] = {}
    for r, row in enumerate(table.tasks):
        if r in matched:
            continue
        best = max(
            ((_similarity(row.title, s.title), s) for s in doc.sections), key=lambda p: p[0], default=None
        )
        if best and best[0] >= MATCH_AT_LEAST:
            label = best[1].label
            by_heading[r] = [t for t in prose if label in t.section.split("/") and not t.all_units]
    for r, row in enumerate(table.tasks):
        if r in matched or r in by_heading:
            for task in [prose[matched[r]]] if r in matched else by_heading[r]:
                _take_row(task, row, year)
            copies.extend(row.spans)
            continue
        task = Task(
            number=row.number,
            title=row.title,
            section=row.section,
            text=row.text,
            lead_units=list(row.lead_units),
            all_units=list(row.all_units),
            responsibility_raw=" | ".join(row.raw),
            deadline=row.deadline,
            deadline_date=deadline_date(row.deadline, year),
        )
        if prose:
            task.flags.append(
                {
                    "kind": "table_only",
                    "message": "任务分工表中的这一项在正文中没有找到对应的任务",
                    "span": row.title,
                }
            )
        doc.tasks.append(task)
        for a, b in row.spans:
            doc.targets.extend(
                find_targets(src, full, a, b, script, row.number, row.section or None, period_start)
            )
    return copies


def _starts_block(line: str) -> bool:
    from .structure import Line, classify

    return classify(Line(0, len(line), line), line, "simplified") is not None


def _item_rest(it) -> str:
    from .structure import RE_ARABIC_DIGIT_TITLE, classify

    c = classify(it.line, "", "simplified")
    if c is None and it.kind == "arabic":
        m = RE_ARABIC_DIGIT_TITLE.match(it.line.text)
        return m.group(2) if m else it.line.text
    return c[2] if c else it.line.text


def parse_file(path: str | os.PathLike) -> PlanDocument:
    from .read import read_document

    source = read_document(path)
    return parse_text(source.text, os.path.basename(os.fspath(path)))
