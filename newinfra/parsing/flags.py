"""Flags: where the parser is unsure, it says so (../shared/plan-format.md).

Each flag is ``{"kind", "message", "span", "severity"}``: ``kind`` is one of

- ``no_units``: a task without any responsible unit;
- ``unknown_unit``: a unit that is not in the organisation table (orgs.json), with the nearest
  known name of the same level when there is one (市财政局 is not offered for 区财政局);
- ``partial_responsibility``: a responsibility statement only partly read (a piece of it that
  is neither a unit, a role word nor a time limit, or a "unit" that is not the name of a body);
- ``no_year``: a target without a year;
- ``figure_left_out``: a number next to a measure word that was not taken as a target (figures
  the parser leaves out on purpose — already achieved, thresholds, subsidies — are not flagged);
- ``table_only``: a row of a task-allocation table that matches no task of the text.

``message`` is Chinese, for the people who read the plan; ``span`` is the text concerned;
``severity`` is ``warning`` (check it against the source) or ``info`` (for reference). The
organisation table holds the units of the cities already registered, so in a plan of another
city every bureau is unknown: an unknown name written the way a government unit is written
(区发改局, 县大数据中心, 立山经济开发区, 区税务局) with no near known name is an ``info`` flag, so
that it still says the unit has to be registered without drowning the warnings; a name close to a
known one (a variant or a slip) or one that does not look like a unit stays a ``warning``.
Figures outside any task are flagged on the plan itself (``PlanDocument.flags``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from .deadlines import DATED, ONGOING, yearless
from .model import PlanDocument
from .normalise import to_simplified_same_length
from .orgs import all_units, unit_info
from .quantities import ACHIEVED, SUBSIDY, UNITS
from .responsibilities import LABEL, ORG_END, ROLE_TAIL, SINGLE_UNITS, ZONE

COLLECTIVE = re.compile(
    r"^(各|有关|相关|其他|其它|全市|全省|全区|全县|市直|省直|区直|县直)|(有关单位|相关单位|有关部门|相关部门)$"
)
# Measure words beyond those the target finder knows, so that a figure it misses is still seen.
EXTRA_UNITS = "Tbps PFLOPS EFLOPS TFLOPS Flops 毫秒 ms 万户 机架 标准机架 兆 G比特 人次 个百分点".split()
# A number and its magnitude; the measure word after it is looked up in _MEASURE_WORDS.
_FIGURE = re.compile(r"(?<![\d.A-Za-z])\d+(?:\.\d+)?\s*(?:万亿|千万|百万|亿|万|千)?\s*")
_MEASURE_WORDS = tuple(sorted({*UNITS, *EXTRA_UNITS}, key=len, reverse=True))
_NOT_A_TARGET_AFTER = re.compile(r"^(以上|以下)?的|^(左右|以上|以下)?(的)?(项目|企业|单位)")
_ROLE_WORDS = re.compile(
    r"(按职责分工负责|按职责分工落实|按职能分工负责|分工负责|共同负责|负责落实|牵头落实|牵头负责|配合落实|"
    r"牵头考核单位|牵头|配合|负责|参与|协助|协同|落实|完成|推进|等(相关|有关)?(单位|部门)?)"
)


# Remarks in a responsibility statement about the statements themselves: 下同, 不再重复, 除专门列出外.
# Compiled once here (responsibility_residue runs for every responsibility statement, _core and
# _level for every known unit when an unknown one is looked up).
INNER_BRACKETS = re.compile(r"\([^()]*\)|〔[^〔〕]*〕")  # 市发展改革委(牵头), 各县(市、区), 各市〔州〕
GROUP_BREAK = re.compile(r"[,，;；:：。]")
JOINING_WORD = re.compile(r"^(由|请|会同|联合)")
LEVEL_OPENING = re.compile(r"^(广州市|广东省|市委|市|省|区|县)")
LEVEL_NAMED = re.compile(r"(广州市|广东省|省|市(?!场)|区|县|镇|乡|街道)")
NUMBER_MARK_END = re.compile(r"(〔|\[|第|号|编号)\s*$")  # 〔2023〕, 第3, 编号: not a figure
REMARK = re.compile(r"(下同|不再|除.{0,8}外|均涉及|均由|以下|上述|分别|各自|列出|另行|视情)")


def flag(kind: str, message: str, span: str, severity: str = "warning") -> dict:
    return {"kind": kind, "message": message, "span": span, "severity": severity}


@cache
def _known_names() -> tuple[str, ...]:
    names = []
    for unit in all_units():
        names.append(unit["name"])
        names.extend(unit["aliases"])
    return tuple(names)


def _core(name: str) -> tuple[str, str]:
    """(what a body is called, what kind of body it is): 市数据资源管理局 → (数据资源管理, 局)."""
    m = ORG_END.search(name)
    end = m.group(1) if m else ""
    core = name[: len(name) - len(end)]
    return LEVEL_OPENING.sub("", core), end


def _level(name: str) -> str:
    """The level a name starts with (省, 市, 区, 县, 镇 …), "" when it names none."""
    m = LEVEL_NAMED.match(name)
    return {"广州市": "市", "广东省": "省"}.get(m.group(1), m.group(1)) if m else ""


NEAREST_AT_LEAST = 0.5


def nearest_unit(name: str) -> str | None:
    """The known unit most like an unknown name: the same kind of body (局, 委, 公司 …) with the
    most similar rest of the name."""
    from difflib import SequenceMatcher

    core, end = _core(name)
    best, best_score = None, NEAREST_AT_LEAST
    for known in _known_names():
        k_core, k_end = _core(known)
        if k_end != end or not core or not k_core or _level(known) != _level(name):
            continue
        score = SequenceMatcher(None, core, k_core, autojunk=False).ratio()
        if score > best_score:
            best, best_score = known, score
    return unit_info(best)["name"] if best else None


@cache
def unknown_unit_flag(name: str) -> dict | None:
    """A flag for a unit the organisation table does not know, with the nearest known name."""
    if unit_info(name) or COLLECTIVE.search(name):
        return None
    near = nearest_unit(name)
    if near:
        return flag("unknown_unit", f"“{name}”不在单位名录中，最接近的是“{near}”", name)
    if _looks_like_body(name) and len(name) >= 3:
        return flag(
            "unknown_unit",
            f"“{name}”不在单位名录中（是单位名称的写法，可能是名录尚未收录的单位）",
            name,
            "info",
        )
    return flag("unknown_unit", f"“{name}”不在单位名录中", name)


def _looks_like_body(name: str) -> bool:
    return (
        bool(ORG_END.search(name))
        or name in SINGLE_UNITS
        or bool(COLLECTIVE.search(name))
        or bool(ZONE.fullmatch(name))
    )


def responsibility_residue(raw: str, script: str, work_raw: str | None = None) -> list[str]:
    """Pieces of a responsibility statement that are neither units, role words nor time limits.
    ``work_raw``: the same span of the working copy, when the caller has it (saves a conversion)."""
    content = (work_raw if work_raw is not None else to_simplified_same_length(raw, script)).strip()
    if content[:1] in "(〔【[" and content[-1:] in ")〕】]":
        content = content[1:-1]
    content = INNER_BRACKETS.sub("", content)
    content = LABEL.sub(",", content)
    out = []
    for group in GROUP_BREAK.split(content):
        items = [i.strip() for i in group.split("、")]
        rests = [JOINING_WORD.sub("", _ROLE_WORDS.sub("", i)).strip() for i in items]
        for k, (piece, rest) in enumerate(zip(items, rests, strict=True)):
            if not piece or DATED.search(piece) or yearless().search(piece) or ONGOING.search(piece):
                continue
            if not rest or ROLE_TAIL.fullmatch(rest) or _looks_like_body(rest) or REMARK.search(rest):
                continue
            # 越秀、白云、南沙区政府: a bare name takes the ending of a later item of its list.
            if any(_looks_like_body(r) for r in rests[k + 1 :]) and len(rest) <= 4:
                continue
            out.append(piece)
    return out


def annotate(doc: PlanDocument, src: str, work: str, script: str, skip: list[tuple[int, int]] = ()) -> None:
    """Add the flags of every task and target, and those of the plan, in place. ``skip``: spans
    whose figures are not to be looked at (table cells that repeat a prose task)."""
    for task in doc.tasks:
        if not task.all_units:
            task.flags.append(flag("no_units", "没有找到这项任务的责任单位", task.title))
        residue = []
        for raw in filter(None, task.responsibility_raw.split(" | ")):
            at = src.find(raw)
            for piece in responsibility_residue(raw, script, work[at : at + len(raw)] if at >= 0 else None):
                residue.append(piece)
                task.flags.append(
                    flag("partial_responsibility", f"责任说明只读懂了一部分：“{piece}”没有读成单位", raw)
                )
        for unit in task.all_units:
            if any(unit in piece or piece in unit for piece in residue):
                continue
            if not _looks_like_body(unit):
                task.flags.append(
                    flag("partial_responsibility", f"“{unit}”不像单位名称，责任说明可能读错了", unit)
                )
            elif f := unknown_unit_flag(unit):
                task.flags.append(dict(f))
    for t in doc.targets:
        if t.year is None:
            t.flags.append(flag("no_year", "这个指标没有写明年份", t.text))
    _figures_left_out(doc, src, work, list(skip))


def _figures_left_out(doc: PlanDocument, src: str, work: str, taken: list[tuple[int, int]]) -> None:
    for t in doc.targets:
        at = src.find(t.text)
        if at >= 0:
            taken.append((at, at + len(t.text)))
    taken.sort()
    starts = [x for x, _ in taken]
    reach = []  # the furthest end of the spans up to each one, to test overlap by bisection
    for _, y in taken:
        reach.append(max(y, reach[-1]) if reach else y)
    tasks = []
    for task in doc.tasks:
        at = src.find(task.text) if task.text else -1
        if at >= 0:
            tasks.append((at, at + len(task.text), task))
    for m in _FIGURE.finditer(work):
        a, b = m.span()
        after = work[b : b + 8]
        if not after.startswith(_MEASURE_WORDS):
            continue
        word = next(w for w in _MEASURE_WORDS if after.startswith(w))
        if word.isascii() and after[len(word) : len(word) + 1].isalpha() and after[len(word)].isascii():
            continue  # 5Gbps is a unit, 10Mbit is not ours; 3GPP is no figure
        b += len(word)
        k = bisect_left(starts, b)  # spans starting before b; one of them reaching past a overlaps
        if k and reach[k - 1] > a:
            continue
        clause_start = max(work.rfind(ch, max(0, a - 200), a) for ch in "。；;，,\n")
        if clause_start < 0:
            clause_start = max(0, a - 200) - 1
        clause = work[clause_start + 1 : a]
        if ACHIEVED.search(clause) or SUBSIDY.search(clause) or _NOT_A_TARGET_AFTER.match(work[b : b + 6]):
            continue
        if NUMBER_MARK_END.search(work[max(0, a - 2) : a]):
            continue
        if work[max(0, a - 1) : a] == "等":  # 等4家省实验室: the count of a list just named
            continue
        span = src[a:b]
        f = flag("figure_left_out", f"“{span}”像是一个量化指标，但没有读成指标", span)
        owner = next((task for x, y, task in tasks if x <= a < y), None)
        (owner.flags if owner else doc.flags).append(f)
