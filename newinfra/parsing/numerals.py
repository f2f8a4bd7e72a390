"""Chinese numerals: 十二 → 12, 两 → 2, 一百零五 → 105, 三千 → 3000."""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "拾": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)


def chinese_to_int(s: str) -> int | None:
    """The value of a Chinese numeral below 10,000, or None when ``s`` is not one."""
    if not s or any(ch not in DIGITS and ch not in UNITS for ch in s):
        return None
    total, digit = 0, None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * UNITS[ch]
            digit = None
    return total + (digit or 0)
