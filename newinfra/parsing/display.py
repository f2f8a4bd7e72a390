"""Quantities as people write them: 38900 个 → 3.89万个, 1.2e11 元 → 1200亿元."""

from __future__ import annotations

SIGNS = {">=": "≥", ">": "＞", "<": "＜", "<=": "≤", "~": "约", "=": ""}


def _plain(v) -> str:
    s = format(v.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def readable_number(value) -> str:
    from decimal import Decimal  # imported on first use: JSON output never needs it

    v = Decimal(str(value))
    if v >= Decimal(10) ** 8 and (v / Decimal(10) ** 8) == (v / Decimal(10) ** 8).quantize(Decimal("0.01")):
        return f"{_plain(v / Decimal(10) ** 8)}亿"
    if v >= Decimal(10) ** 4 and (v / Decimal(10) ** 4) == (v / Decimal(10) ** 4).quantize(Decimal("0.01")):
        return f"{_plain(v / Decimal(10) ** 4)}万"
    return _plain(v)


def format_quantity(value, unit: str, comparator: str = "=", value_max=None, per_year: bool = False) -> str:
    """≥3.89万个, 约5.5万个, 1—2家, 每年3个, ＜1.3."""
    text = readable_number(value)
    if value_max is not None:
        text = f"{text}—{readable_number(value_max)}"
    text = f"{SIGNS.get(comparator, '')}{text}{unit or ''}"
    return f"每年{text}" if per_year else text


def format_target(target: dict) -> str:
    """One line for a target dict: 5G基站 ≥3.89万个（2022年）."""
    q = format_quantity(
        target["value"],
        target.get("unit", ""),
        target.get("comparator", "="),
        target.get("value_max"),
        target.get("per_year", False),
    )
    year = f"（{target['year']}年）" if target.get("year") else ""
    return f"{target.get('indicator', '')} {q}{year}".strip()
