"""Reading spreadsheet cells for every import: text, numbers and dates, with Chinese messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from . import bounds


def text(v) -> str:
    """A cell as text: 12.0 (how Excel keeps integers) reads as "12"."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def number(
    v, label: str, errors: list[str], places: int = 2, required: bool = True, negative_ok: bool = True
):
    """A Decimal rounded to ``places``, or None (with the reason added to ``errors``)."""
    s = text(v).replace(",", "").replace("，", "")
    if not s:
        if required:
            errors.append(f"{label}不能为空")
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        errors.append(f"{label}“{s}”不是数字")
        return None
    if not d.is_finite():
        errors.append(f"{label}“{s}”不是数字")
        return None
    if abs(d) >= Decimal(10) ** bounds.MAX_INTEGER_DIGITS:
        errors.append(f"{label}“{s}”超出允许范围（整数部分最多{bounds.MAX_INTEGER_DIGITS}位）")
        return None
    if d < 0 and not negative_ok:
        errors.append(f"{label}不能为负数（{s}）")
    return d.quantize(Decimal(1).scaleb(-places))


def date(v, label: str, errors: list[str]) -> dt.date | None:
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        v = v.date()
    if not isinstance(v, dt.date):
        s = text(v).replace("/", "-").replace(".", "-")
        try:
            v = dt.date.fromisoformat(s)
        except ValueError:
            errors.append(f"{label}“{text(v)}”不是有效日期（年-月-日）")
            return None
    try:
        bounds.check_date(v, label)
    except bounds.OutOfBounds as exc:
        errors.append(str(exc).rstrip("。"))
        return None
    return v
