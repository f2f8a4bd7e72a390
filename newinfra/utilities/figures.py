"""One way to show a figure, for pages, charts, exports and reports.

People read figures as they are written in the plans: 1500万户, ＞12亿, 5013355万元 as 501.34亿元.

- ``in_terms(value, target_value, unit)`` — a value compared with a target, in the target's
  magnitude and unit: 12187500 against 1500万户 is "1218.75万户", 1128000000 against 12亿 is
  "11.28亿";
- ``figure(value, unit)`` — a value on its own: counts (个, 座, 户 …) without decimals, large
  values in 万/亿 (≥ 10万 → 万, ≥ 1亿 → 亿), others with at most two decimals;
- ``money(value)`` — an amount in 万元 (the project library's unit): below 1亿元 as "12,345.67万元",
  from 1亿元 as "501.34亿元";
- ``axis_unit(values, unit)`` — the divisor and the label for a chart axis, so its ticks are
  whole numbers with their unit ("亿元", "万个").

No function ever returns e-notation. Raw values stay raw in the API and in exports' value columns;
only the words shown to people go through here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WAN = Decimal(10) ** 4
YI = Decimal(10) ** 8
# Units of things counted one by one: shown without decimals unless scaled to 万/亿.
COUNT_UNITS = set("个座户家台站套根处条项所辆杆张栋间块架枚份批对")


def _dec(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def plain(value, decimals: int = 2, separators: bool = False) -> str:
    """A number with at most ``decimals`` decimals, trailing zeros dropped, never e-notation."""
    d = _dec(value)
    if d is None:
        return "—"
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) if decimals >= 0 else d
    text = f"{q:,f}" if separators else f"{q:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def is_count(unit: str) -> bool:
    unit = (unit or "").strip()
    return bool(unit) and (unit in COUNT_UNITS or unit[-1:] in COUNT_UNITS)


def magnitude(target_value) -> tuple[Decimal, str]:
    """The divisor and prefix a target is written in, as ``parsing.display`` writes targets:
    15000000 → (10⁴, 万) "1500万", 1.2e9 → (10⁸, 亿) "12亿", 38900 → (10⁴, 万) "3.89万"."""
    d = _dec(target_value)
    if d is None:
        return Decimal(1), ""
    d = abs(d)
    for divisor, prefix in ((YI, "亿"), (WAN, "万")):
        if d >= divisor and d / divisor == (d / divisor).quantize(Decimal("0.01")):
            return divisor, prefix
    return Decimal(1), ""


def in_terms(value, target_value, unit: str = "") -> str:
    """``value`` in the magnitude and unit of the target it is compared with."""
    d = _dec(value)
    if d is None:
        return "—"
    divisor, prefix = magnitude(target_value)
    if divisor == 1:
        return figure(d, unit)
    return f"{plain(d / divisor, 2)}{prefix}{unit or ''}"


def figure(value, unit: str = "", scale: bool = True) -> str:
    """A value on its own, as people write it."""
    d = _dec(value)
    if d is None:
        return "—"
    if unit == "万元":
        return money(d)
    if scale and abs(d) >= YI:
        return f"{plain(d / YI, 2)}亿{unit or ''}"
    if scale and abs(d) >= WAN * 10:
        return f"{plain(d / WAN, 2)}万{unit or ''}"
    return f"{plain(d, 0 if is_count(unit) else 2)}{unit or ''}"


def money(value_wan) -> str:
    """An amount in 万元: 12,345.67万元 below 1亿元, 501.34亿元 from it."""
    d = _dec(value_wan)
    if d is None:
        return "—"
    if abs(d) >= WAN:
        return f"{plain(d / WAN, 2, separators=True)}亿元"
    return f"{plain(d, 2, separators=True)}万元"


def percent(share, decimals: int = 0) -> str:
    """A share (0.8125) as 81%."""
    d = _dec(share)
    if d is None:
        return "—"
    return f"{plain(d * 100, decimals, separators=False)}%"


def axis_unit(values, unit: str = "") -> tuple[float, str]:
    """(divisor, axis label) for a chart of ``values`` in ``unit``: ticks stay whole numbers."""
    peak = max((abs(float(v)) for v in values if v is not None), default=0.0)
    if unit == "万元":
        return (1e4, "亿元") if peak >= 1e5 else (1.0, "万元")
    if peak >= 1e9:
        return 1e8, f"亿{unit}"
    if peak >= 1e5:
        return 1e4, f"万{unit}"
    return 1.0, unit
