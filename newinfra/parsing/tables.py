"""Indicator tables (主要指标表): rows of tab-separated cells, as the .docx and .html readers
give them.

    序号  指标            单位    2020年   2025年   属性
    1     5G基站数        万个    4.8      10       预期性

Each data row is a target: the indicator cell, the value in the latest year's column (or a 目标
column) scaled by the unit's magnitude (万个 → ×10,000, unit 个), a comparator written in the
cell (≥95, 95以上, <1.3) and that column's year.
"""

from __future__ import annotations

import re

from .model import Target
from .normalise import mainland
from .quantities import MAGNITUDE

HEADER_INDICATOR = re.compile(r"(指标|名称|项目)")
HEADER_UNIT = re.compile(r"^(计量)?单位$")
HEADER_YEAR = re.compile(r"(20\d{2})\s*年?")
HEADER_TARGET = re.compile(r"(目标值?|预期值|规划值)")
CELL_VALUE = re.compile(
    r"^(?P<pre>≥|>=|＞|>|≤|<=|＜|<|约|超过|不低于|不少于|不超过|不高于|低于|小于|大于)?\s*"
    r"(?P<num>\d+(?:\.\d+)?)(?:\s*[—\-–~～]\s*(?P<num2>\d+(?:\.\d+)?))?\s*(?P<mag>万亿|亿|万|千)?"
    r"\s*(?P<post>以上|以下|左右|以内)?\s*$"
)
PRE_COMPARATOR = {
    "≥": ">=",
    ">=": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "＞": ">",
    ">": ">",
    "超过": ">",
    "大于": ">",
    "≤": "<=",
    "<=": "<=",
    "不超过": "<=",
    "不高于": "<=",
    "＜": "<",
    "<": "<",
    "低于": "<",
    "小于": "<",
    "约": "~",
}
POST_COMPARATOR = {"以上": ">=", "以下": "<=", "左右": "~", "以内": "<="}


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _unit(unit_cell: str) -> tuple[str, int]:
    """万个 → (个, 10000); 亿元 → (元, 1e8); % → (%, 1)."""
    u = re.sub(r"[()（）]", "", unit_cell).strip()
    for mag in sorted(MAGNITUDE, key=len, reverse=True):
        if u.startswith(mag) and len(u) > len(mag) and not u.startswith(("千瓦", "千米", "百分")):
            return u[len(mag) :], MAGNITUDE[mag]
    return u, 1


def _num(s: str) -> float | int:
    v = float(s)
    return int(v) if v.is_integer() else v


def _scaled(v: float | int, factor: int) -> float | int:
    r = round(v * factor, 6)
    return int(r) if float(r).is_integer() else r


def find_table_targets(
    src: str, work: str, start: int, end: int, script: str, section: str | None
) -> list[Target]:
    targets: list[Target] = []
    lines, pos = [], start
    for raw in work[start:end].split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    i = 0
    while i < len(lines):
        off, line = lines[i]
        header = _cells(line)
        if line.count("\t") < 2 or not any(HEADER_INDICATOR.search(c) for c in header):
            i += 1
            continue
        ind_col = next(k for k, c in enumerate(header) if HEADER_INDICATOR.search(c))
        unit_col = next((k for k, c in enumerate(header) if HEADER_UNIT.match(c)), None)
        years = {k: int(m.group(1)) for k, c in enumerate(header) if (m := HEADER_YEAR.search(c))}
        target_col = next((k for k, c in enumerate(header) if HEADER_TARGET.search(c)), None)
        if target_col is None and years:
            target_col = max(years, key=lambda k: (years[k], k))
        if target_col is None:
            i += 1
            continue
        year = years.get(target_col)
        i += 1
        while i < len(lines) and lines[i][1].count("\t") >= 1:
            off, row_line = lines[i]
            row = _cells(row_line)
            i += 1
            if len(row) <= max(ind_col, target_col):
                continue
            m = CELL_VALUE.match(row[target_col])
            indicator = re.sub(r"[(（]([^()（）]*)[)）]$", "", row[ind_col]).strip()
            if not m or not indicator:
                continue
            unit, factor = _unit(row[unit_col]) if unit_col is not None and unit_col < len(row) else ("", 1)
            if m.group("mag"):
                factor *= MAGNITUDE[m.group("mag")]
            comparator = PRE_COMPARATOR.get(m.group("pre") or "") or POST_COMPARATOR.get(
                m.group("post") or "", "="
            )
            lead = len(row_line) - len(row_line.lstrip())
            targets.append(
                Target(
                    text=src[off + lead : off + len(row_line.rstrip())],
                    indicator=mainland(indicator, script),
                    value=_scaled(_num(m.group("num")), factor),
                    value_max=_scaled(_num(m.group("num2")), factor) if m.group("num2") else None,
                    unit=mainland(unit, script),
                    comparator=comparator,
                    year=year,
                    task_number=None,
                    section=section,
                )
            )
    return targets
