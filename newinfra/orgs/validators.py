"""Identifier checks: 统一社会信用代码 (GB 32100-2015) and administrative division codes (GB/T 2260)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
USCC_RE = re.compile(rf"^[{USCC_CHARSET}]{{18}}$")

# The 11 districts of Guangzhou (GB/T 2260).
GUANGZHOU_DISTRICTS = {
    "440103": "荔湾区",
    "440104": "越秀区",
    "440105": "海珠区",
    "440106": "天河区",
    "440111": "白云区",
    "440112": "黄埔区",
    "440113": "番禺区",
    "440114": "花都区",
    "440115": "南沙区",
    "440117": "从化区",
    "440118": "增城区",
}


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = (code or "").strip().upper()
    return bool(USCC_RE.match(code)) and uscc_check_char(code[:17]) == code[17]


def validate_uscc(code: str) -> None:
    code = (code or "").strip().upper()
    if not USCC_RE.match(code):
        raise ValidationError(
            "统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、Z、S、V）。", code="uscc_format"
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            "统一社会信用代码校验位错误：按 GB 32100 计算，第18位应为 %(expected)s。",
            code="uscc_check",
            params={"expected": uscc_check_char(code[:17])},
        )


def validate_admin_code(code: str) -> None:
    if not re.fullmatch(r"\d{6}", code or ""):
        raise ValidationError(
            "行政区划代码应为6位数字（GB/T 2260），例如 440106 = 天河区。", code="admin_format"
        )
    if code[:2] in ("00", "10", "20", "30", "40", "60", "70", "80", "90"):
        raise ValidationError("行政区划代码的前两位不是有效的省级代码。", code="admin_province")
