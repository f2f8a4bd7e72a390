"""Structure: headings, numbered task items, goal paragraphs, the title and the period.

Works line by line on the working copy (see normalise.py) and records character offsets, so
every piece can be cut out of the source text verbatim.
"""

from __future__ import annotations

import re

from .normalise import is_debris, mainland
from .numerals import CHINESE_NUMERAL_CHARS, chinese_to_int
from .records import dataclass, field

CN = f"[{CHINESE_NUMERAL_CHARS}]+"
# Heading kinds, from the outermost; a document uses some of them, and their levels are
# assigned by rank among the kinds present.
RE_CHAPTER = re.compile(rf"^第\s*({CN}|\d+)\s*(章|部分|篇)\s*[、.:]?\s*(.*)$")
RE_SECTION = re.compile(rf"^第\s*({CN}|\d+)\s*节\s*[、.:]?\s*(.*)$")
RE_CN_DUN = re.compile(rf"^({CN})\s*[、.]\s*(?!是)(.+)$")
RE_CN_PAREN = re.compile(rf"^\(\s*({CN})\s*\)\s*(.*)$")
# Task items.
RE_ARTICLE = re.compile(rf"^第\s*({CN}|\d+)\s*条\s*(.*)$")
RE_ARABIC = re.compile(r"^(\d{1,3})\s*(?:[.、]|\)(?!\s*$))\s*(?!\d)(.*)$")
RE_ARABIC_PAREN = re.compile(r"^\(\s*(\d{1,3})\s*\)\s*(.*)$")
# 11.121人才梯队项目: an item whose title starts with digits reads like a decimal; it is an item
# only where it is the next number of the plan's own sequence and no measure word follows.
RE_ARABIC_DIGIT_TITLE = re.compile(
    r"^(\d{1,3})\s*\.\s*(\d+(?![\d.%％万亿千百元个年月日号岁倍])[\u4e00-\u9fff].*)$"
)
RE_CIRCLED = re.compile(r"^([①-⑳])\s*(.*)$")
# 一是…/二是… paragraphs: items only where a plan numbers its tasks no other way.
RE_SHI = re.compile(rf"^({CN})是\s*(?![的否不])(.+)$")

HEADING_RANK = {"chapter": 0, "section": 1, "cn_dun": 2, "cn_paren": 3}
PLAN_WORDS = re.compile(r"(方案|计划|规划|意见|办法|措施|纲要|要点|通知|决定|政策|行动)")
PERIOD = re.compile(r"(\d{4})\s*年?\s*[—\-–~～至到]+\s*(\d{4})\s*年")
FIVE_YEAR = {"十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}


@dataclass
class Line:
    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    text: str  # working-copy text of the line, stripped


@dataclass
class Heading:
    kind: str
    number: str
    title: str  # Simplified output string
    line: Line
    body_start: int  # where text after the heading's title starts (same line), or line.end


@dataclass
class Item:
    kind: str  # arabic | arabic_paren | article | circled
    number: str
    line: Line
    end: int = 0  # offset after the item's last line
    path: list[Heading] = field(default_factory=list)


@dataclass
class Block:
    """A stretch of body text under a heading path that is not part of a task item."""

    start: int
    end: int
    path: list[Heading]


@dataclass
class Skeleton:
    title: str | None
    period: dict | None
    headings: list[Heading]
    levels: dict[str, int]  # heading kind → level (1 = outermost)
    items: list[Item]  # the task items
    blocks: list[Block]  # body text outside task items (goals, safeguards …)
    preamble_end: int


def split_lines(work: str) -> list[Line]:
    lines, pos = [], 0
    for raw in work.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


TITLE_END = re.compile(r"[。:;!?]")  # where a heading's title ends, at the latest


def _heading_title(rest: str, src_rest: str, script: str) -> tuple[str, int]:
    """The heading's title and how many characters of ``rest`` it uses (a sentence at most)."""
    m = TITLE_END.search(rest)
    cut = m.start() if m and m.start() <= 40 else len(rest)
    if cut == len(rest) and len(rest) > 40:
        cut = len(rest)
    title = mainland(src_rest[:cut], script).rstrip("。.,;:、 ")
    used = cut + (1 if cut < len(rest) else 0)
    return title, used


def classify(line: Line, src: str, script: str) -> tuple[str, str, str, int] | None:
    """(kind, number, title-or-rest, offset of the rest) for a heading or item line, else None."""
    t = line.text
    for kind, rx in (
        ("chapter", RE_CHAPTER),
        ("section", RE_SECTION),
        ("article", RE_ARTICLE),
        ("cn_paren", RE_CN_PAREN),
        ("cn_dun", RE_CN_DUN),
        ("arabic_paren", RE_ARABIC_PAREN),
        ("arabic", RE_ARABIC),
        ("circled", RE_CIRCLED),
        ("shi", RE_SHI),
    ):
        m = rx.match(t)
        if not m:
            continue
        rest = m.group(m.lastindex)
        rest_off = line.start + m.start(m.lastindex)
        num = m.group(1)
        if kind == "cn_dun" and (chinese_to_int(num) is None or len(rest) < 2):
            continue
        if kind in ("chapter", "section", "article"):
            n = chinese_to_int(num)
            num = str(n) if n is not None else num
            label = {"chapter": m.group(2), "section": "节", "article": "条"}[kind]
            number = f"第{num}{label}" if kind != "article" else num
            return kind, number, rest, rest_off
        if kind == "cn_paren":
            return kind, f"({num})", rest, rest_off
        if kind == "circled":
            return kind, str(ord(num) - ord("①") + 1), rest, rest_off
        if kind == "shi":
            n = chinese_to_int(num)
            if n is None or n > 20:
                continue
            return kind, str(n), rest, rest_off
        return kind, num, rest, rest_off
    return None


def _find_title(lines: list[Line], src: str, script: str) -> str | None:
    cands: list[str] = []
    for line in lines[:12]:
        t = line.text
        if is_debris(t):
            continue
        if classify(line, src, script):
            break
        if t.endswith("。") or t.startswith(("为", "為")) or len(t) > 70:
            if cands:
                break
            continue
        cands.append(src[line.start : line.end])
        if len(cands) >= 2:
            break
    if not cands:
        return None
    title = cands[0]
    # A title broken over two lines, or followed by its period on a line of its own.
    if len(cands) > 1 and cands[1] != cands[0]:
        nxt = mainland(cands[1], script)
        first = mainland(cands[0], script)
        if (not PLAN_WORDS.search(first) and PLAN_WORDS.search(nxt)) or re.fullmatch(
            r"[(（]?\d{4}.*\d{4}\s*年?[)）]?", nxt
        ):
            title = cands[0] + cands[1]
    title = mainland(title, script)
    return title if PLAN_WORDS.search(title) else None


def _find_period(title: str | None, work: str) -> dict | None:
    for text in (title or "", work[:600]):
        m = PERIOD.search(text)
        if m and int(m.group(1)) <= int(m.group(2)):
            return {"start": int(m.group(1)), "end": int(m.group(2))}
        for name, (a, b) in FIVE_YEAR.items():
            if name in text:
                return {"start": a, "end": b}
        years = set(re.findall(r"(20\d{2})\s*年", text)) if text is title else set()
        if len(years) == 1:  # 2024年肇庆市数字经济工作要点: a plan for one year
            year = int(years.pop())
            return {"start": year, "end": year}
    m = re.search(r"(?:到|至)\s*(\d{4})\s*年", work[:3000])
    if m:
        return {"start": None, "end": int(m.group(1))}
    return None


def build_skeleton(src: str, work: str, script: str) -> Skeleton:
    lines = [ln for ln in split_lines(work) if not is_debris(ln.text)]
    title = _find_title(lines, src, script)
    period = _find_period(title, work)

    classified = [(ln, classify(ln, src, script)) for ln in lines]
    kinds_present = {c[0] for _, c in classified if c}
    # Which numbered level carries the tasks: the outermost item style that occurs repeatedly.
    task_kind = next(
        (k for k in ("article", "arabic", "arabic_paren", "circled") if _count_sequence(classified, k) >= 1),
        None,
    )
    if task_kind is None and _count_sequence(classified, "shi") >= 2:
        task_kind = "shi"  # 一是… 二是… paragraphs, and at least two of them
    heading_kinds = sorted((k for k in kinds_present if k in HEADING_RANK), key=HEADING_RANK.get)
    levels = {k: i + 1 for i, k in enumerate(heading_kinds)}

    headings: list[Heading] = []
    items: list[Item] = []
    path: list[Heading] = []
    current: Item | None = None
    preamble_end: int | None = None
    last_number: dict[str, int] = {}

    for line, c in classified:
        kind = c[0] if c else None
        if kind in HEADING_RANK:
            _, number, rest, rest_off = c
            heading_title, used = _heading_title(rest, src[rest_off : rest_off + len(rest)], script)
            if heading_title:
                if current:
                    current.end = line.start
                    current = None
                h = Heading(kind, number, heading_title, line, rest_off + used)
                path = [p for p in path if levels[p.kind] < levels[kind]] + [h]
                headings.append(h)
                preamble_end = line.start if preamble_end is None else preamble_end
                continue
        if c is None and task_kind == "arabic":
            m = RE_ARABIC_DIGIT_TITLE.match(line.text)
            if m and last_number.get("arabic") is not None and int(m.group(1)) == last_number["arabic"] + 1:
                c = ("arabic", m.group(1), m.group(2), line.start + m.start(2))
                kind = "arabic"
        if kind is not None and kind == task_kind and _is_next(last_number, c[1], kind):
            if current:
                current.end = line.start
            current = Item(kind, c[1], line, path=list(path))
            items.append(current)
            last_number[kind] = _as_int(c[1])
            preamble_end = line.start if preamble_end is None else preamble_end
    if current:
        current.end = lines[-1].end
    if not items and headings:
        headings, items = _headings_as_tasks(headings, levels, work, lines[-1].end)
    # An item ends at its last non-blank line, not where the next heading starts.
    for it in items:
        it.end = _trim_end(work, it.end)
    blocks = _collect_blocks(classified, headings, items, levels, work)
    return Skeleton(title, period, headings, levels, items, blocks, preamble_end or 0)


RESPONSIBILITY_CUE = re.compile(r"(责任单位|牵头单位|责任部门|牵头部门|牵头|按职责分工负责|分工负责)")


def _headings_as_tasks(
    headings: list[Heading], levels: dict[str, int], work: str, text_end: int
) -> tuple[list[Heading], list[Item]]:
    """A plan without numbered items whose innermost headings name responsible units: those
    headings are its tasks (（一）加强组织领导。…（责任单位：…）)."""
    deepest = max(levels, key=levels.get)
    spans = []
    for i, h in enumerate(headings):
        if h.kind != deepest:
            continue
        end = headings[i + 1].line.start if i + 1 < len(headings) else text_end
        spans.append((h, _trim_end(work, end)))
    if not any(RESPONSIBILITY_CUE.search(work[h.line.start : end]) for h, end in spans):
        return headings, []
    items = []
    for h, end in spans:
        parents: list[Heading] = []
        for other in headings[: headings.index(h)]:
            if levels[other.kind] < levels[h.kind]:
                parents = [p for p in parents if levels[p.kind] < levels[other.kind]] + [other]
        items.append(Item("heading", h.number, h.line, end, parents))
    return [h for h in headings if h.kind != deepest], items


def _collect_blocks(classified, headings, items, levels, work) -> list[Block]:
    """Body text outside items: every non-heading line not covered by an item."""
    covered = [(it.line.start, it.end) for it in items]
    heading_at = {h.line.start: h for h in headings}
    out: list[Block] = []
    path: list[Heading] = []
    for line, _ in classified:
        h = heading_at.get(line.start)
        if h:
            path = [p for p in path if levels[p.kind] < levels[h.kind]] + [h]
            if h.body_start < line.end:
                out.append(Block(h.body_start, line.end, list(path)))
            continue
        if any(a <= line.start < b for a, b in covered):
            continue
        if out and out[-1].path == path and work[out[-1].end : line.start].strip() == "":
            out[-1].end = line.end
        else:
            out.append(Block(line.start, line.end, list(path)))
    return out


def _trim_end(work: str, end: int) -> int:
    while end > 0 and work[end - 1] in " \t\r\n\u3000":
        end -= 1
    return end


def _as_int(number: str) -> int:
    try:
        return int(number)
    except ValueError:
        return chinese_to_int(number) or 0


def _is_next(last: dict[str, int], number: str, kind: str) -> bool:
    """Numbering goes on (n+1) or restarts at 1; anything else is a number in running text."""
    n = _as_int(number)
    prev = last.get(kind)
    return n == 1 or prev is None or n == prev + 1


def _count_sequence(classified, kind: str) -> int:
    last: dict[str, int] = {}
    count = 0
    for _, c in classified:
        if c and c[0] == kind and _is_next(last, c[1], kind):
            last[kind] = _as_int(c[1])
            count += 1
    return count


# Used by the pipeline: conventions read across a whole plan.
FIRST_LEADS = re.compile(
    r"(列|排|居)?(在)?(第一位|首位|第一)(的|者)?(责任)?(单位|部门)?(为|是)牵头(单位|部门)"
)
# Headings of a review of what was achieved (发展基础和形势, 发展现状, “十三五”发展成效).
STATUS_SECTION = re.compile(
    r"^(“?十[二三四]五”?(时期|期间)?)?(的)?(发展|工作|建设)?(基础|现状|成效|成就|回顾)(和|与|及|、|$)"
)


def is_status_path(path: list[Heading]) -> bool:
    """Whether a heading path is a review of what was achieved (its figures are not targets)."""
    return any(len(h.title) <= 16 and STATUS_SECTION.match(h.title) for h in path)


PREAMBLE_GOAL = re.compile(r"目标.{0,12}?(?:到|至)\s*20\d{2}\s*年")


def goal_paragraphs(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """The paragraphs of work[start:end] that state goals with a deadline (总体发展目标，到2025年，…)."""
    out, pos = [], start
    for line in work[start:end].split("\n"):
        if PREAMBLE_GOAL.search(line):
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out
