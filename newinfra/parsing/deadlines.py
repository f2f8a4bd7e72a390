"""Deadlines: a time limit as written (2024年底前, 2025年9月底前, 上半年, 持续推进) and the last day
of the period it names (2024-12-31, 2025-09-30, 06-30; none for 持续推进).

``deadline_date`` works on the Simplified working copy; ``find_deadline`` picks the time limit
of a task from its text: one written with a completion cue (底前, 前完成, 到2025年 …), the latest
of them, and an ongoing one (持续推进, 长期) only when no dated one is there.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_MONTH.update({"十一": 11, "十二": 12})
_FULLWIDTH_DIGITS = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_QUARTER = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}

_PERIOD = (
    r"(?P<half>上半年|下半年|年中|年初|年底|年末|底|末)"
    r"|(?:第?(?P<quarter>[一二三四1-4])\s*季度)"
    r"|(?:(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月\s*(?:(?P<day>[0-3]?\d)\s*日)?"
    r"\s*(?P<part>上旬|中旬|下旬|底|末|中)?)"
)
# One dated time limit: a year, optionally a range of years, and a part of the year.
DATED = re.compile(
    r"(?P<year>20\d{2})\s*年?\s*(?:[—\-–~～至到]\s*(?P<year2>20\d{2})\s*年)?"
    r"(?P<rest>" + _PERIOD + r")?\s*(?P<before>前|之前|以前)?"
)


@cache
def yearless() -> re.Pattern:
    """A part of the year without the year (6月底前, 三季度), dated by the plan's year when it has
    one. Compiled on first use: most plans never need it."""
    return re.compile(
        r"(?P<year>)(?P<year2>)(?P<rest>"
        + _PERIOD.replace("|底|末)", ")", 1)
        + r")\s*(?P<before>前|之前|以前)?"
    )


ONGOING = re.compile(r"(持续推进|持续开展|持续实施|长期坚持|长期推进|长期(?!以来)|常态化推进|常态化|每年)")
# Cues that make a year in running text a time limit rather than a date of the past.
CUE_BEFORE = re.compile(r"(到|至|于|在|力争|争取|计划|预计)\s*$")
CUE_AFTER = re.compile(r"\s*(完成|实现|建成|基本|全面|力争|争取)")
SINCE_AFTER = re.compile(r"\s*(以来|起|开始|已)")
FROM_BEFORE = re.compile(r"(自|从)\s*$")
PAST_BEFORE = re.compile(r"(截至|截止|自|从|以来|起|已于|已在)\s*$")


def _last_day(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


def _month(m: str) -> int:
    return int(m) if m.isdigit() else _CN_MONTH[m]


def date_of(m: re.Match, year: int | None = None) -> date | None:
    """The last day of the period a DATED (or, given its year, a YEARLESS) match names."""
    if m.group("year"):
        year = int(m.group("year2") or m.group("year"))
    if year is None:
        return None
    half, quarter, month = m.group("half"), m.group("quarter"), m.group("month")
    if month:
        mo = _month(month)
        if not 1 <= mo <= 12:
            return None
        if m.group("day"):
            try:
                return date(year, mo, int(m.group("day")))
            except ValueError:
                return None
        part = m.group("part")
        if part == "上旬":
            return date(year, mo, 10)
        if part in ("中旬", "中"):
            return date(year, mo, 20)
        return _last_day(year, mo)
    if quarter:
        return _last_day(year, _QUARTER[quarter])
    if half in ("上半年", "年中"):
        return date(year, 6, 30)
    if half == "年初":
        return date(year, 3, 31)
    return date(year, 12, 31)


def deadline_date(text: str | None, year: int | None = None) -> str | None:
    """ISO date of the latest time limit a deadline text names; None for 持续推进 or nothing.
    ``year`` dates a time limit written without one (6月底前 in a plan for 2024)."""
    if not text:
        return None
    text = text.translate(_FULLWIDTH_DIGITS)
    best = None
    for m in DATED.finditer(text):
        if SINCE_AFTER.match(text, m.end()):  # 2023年起持续推进: a start, not a limit
            continue
        d = date_of(m)
        if d and (best is None or d > best):
            best = d
    if best is None and year is not None:
        for m in yearless().finditer(text):
            d = date_of(m, year)
            if d and (best is None or d > best):
                best = d
    return best.isoformat() if best else None


def _is_limit(work: str, m: re.Match, start: int) -> bool:
    """A dated span of running text that states a time limit (not 截至2023年底, not 2023年以来)."""
    before = work[max(start, m.start() - 6) : m.start()]
    after = work[m.end() : m.end() + 3]
    if SINCE_AFTER.match(after):
        return False
    if PAST_BEFORE.search(before) and not (m.group("year2") and FROM_BEFORE.search(before)):
        return False
    rest = m.group("rest")
    if m.group("before") or (rest and rest not in ("年初",)) or m.group("year2"):
        return True
    return bool(CUE_BEFORE.search(before)) or bool(CUE_AFTER.match(after))


def find_deadline(work: str, start: int = 0, end: int | None = None, ongoing: bool = True) -> str | None:
    """The time limit of a stretch of text, as written there, e.g. 2024年底前 / 2025年 / 持续推进.
    ``ongoing=False`` for running text, where 持续推进 is a verb and not a time limit."""
    end = len(work) if end is None else end
    best: tuple[date, str] | None = None
    for m in DATED.finditer(work, start, end):
        if not _is_limit(work, m, start):
            continue
        d = date_of(m)
        if d is None:
            continue
        # A range (2023—2025年, 从2020年至2022年底) is limited by its end.
        written = work[m.start("year2") if m.group("year2") else m.start() : m.end()].strip()
        if best is None or d >= best[0]:
            best = (d, written)
    if best:
        return best[1]
    m = ONGOING.search(work, start, end) if ongoing else None
    return m.group(1) if m else None


def clean_cell(cell: str) -> str | None:
    """A table's time cell as written, without stray spaces; None when it is blank."""
    s = re.sub(r"\s+", "", cell or "")
    return s or None
