"""Organisation names: one unit spelt two ways is one unit (发改委 = 发展改革委).

The parser finds units without this table (responsibilities.py); the table only merges
spellings, for the platform and for reports.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "orgs.json"


@cache
def all_units() -> list[dict]:
    return json.loads(_DATA.read_text(encoding="utf-8"))["units"]


@cache
def _index() -> dict[str, dict]:
    index: dict[str, dict] = {}
    for unit in all_units():
        index[unit["name"]] = unit
        for alias in unit["aliases"]:
            index.setdefault(alias, unit)
    return index


def _variants(name: str) -> list[str]:
    name = re.sub(r"\s+", "", name or "")
    out = [name]
    if name.startswith("广州市"):
        out.append("市" + name[3:])
    if name.startswith("广东省"):
        out.append("省" + name[3:])
    return out


def unit_info(name: str) -> dict | None:
    """{"name", "kind", "code", "aliases"} for a known unit, by its name or any alias."""
    for v in _variants(name):
        if v in _index():
            return _index()[v]
    return None


def canonical_unit(name: str) -> str:
    """The canonical name of a unit; an unknown name comes back as it is (stripped)."""
    info = unit_info(name)
    return info["name"] if info else (name or "").strip()


def guess_kind(name: str) -> str:
    """The kind of an unknown unit, from how its name is built."""
    name = (name or "").strip()
    if re.search(r"(区|县)(人民)?政府$", name):
        return "区政府"
    if re.search(r"(公司|集团|分公司)$", name):
        return "企业"
    if name.startswith(("省", "广东省")):
        return "省级单位"
    if name.startswith("市"):
        return "市级部门"
    return "其他"
