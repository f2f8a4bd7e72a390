"""read → normalise → structure → responsibilities → quantities → PlanDocument."""

from __future__ import annotations

import os
import re

from .model import PlanDocument, Section, Task
from .normalise import (
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

GOAL_SECTION = re.compile(r"(目标|总体要求|发展目标|主要目标|工作目标|总体目标|预期目标)")
DEADLINE = re.compile(r"(?:到|至)?\s*(20\d{2})\s*年\s*(底前|年底前|前|底|末)?")


def _path(path: list[Heading]) -> str:
    return "/".join(
        f"{h.number}{' ' if h.number.startswith('第') else ''}{h.title}"
        if h.number.startswith(("(", "第"))
        else f"{h.number}、{h.title}"
        for h in path
    )


def _task_title(body: str) -> str:
    m = re.search(r"[。:;!?]", body)
    if m and m.start() <= 40:
        return body[: m.start()]
    m = re.search(r"[,，]", body)
    if m and m.start() <= 40:
        return body[: m.start()]
    return body[:40]


def _deadline(text: str) -> str | None:
    """The latest deadline an item states, as 2022年底 / 2021年."""
    best = None
    for m in DEADLINE.finditer(text):
        if not (m.group(2) or m.group(0).startswith(("到", "至"))):
            continue
        year = int(m.group(1))
        label = f"{year}年底" if m.group(2) in ("底", "底前", "年底前", "末") else f"{year}年"
        if best is None or year >= best[0]:
            best = (year, label)
    return best[1] if best else None


def parse_text(src: str, source: str | None = None) -> PlanDocument:
    """Parse the text of a plan. Never raises on text input; an unstructured text gives an
    empty plan."""
    src = src.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    script = detect_script(src)
    work = break_flattened_lines(unwrap_hard_wrapped(to_simplified_same_length(src, script), _starts_block))
    sk = build_skeleton(src, work, script)
    period_start = (sk.period or {}).get("start")

    doc = PlanDocument(title=sk.title, script=script, period=sk.period, source=source)
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
            deadline=_deadline(work[body_start : it.end]),
        )
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
    doc.targets.sort(key=lambda t: src.find(t.text))
    return doc


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
