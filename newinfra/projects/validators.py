"""投资项目统一代码: the code the national online approval platform gives every investment project.

Its form is YYYY-AAAAAA-II-TT-NNNNNN: the year the code was given, the GB/T 2260 division code of
the approving authority, a two-digit industry code, the kind of procedure (01 审批, 02 核准,
03 备案) and a six-digit serial number.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

PROJECT_CODE_RE = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(0[123])-(\d{6})$")
PROJECT_CODE_EXAMPLE = "2021-440106-65-03-012345"


def project_code_error(code: str) -> str | None:
    """None when the code is well formed, else what is wrong, in Chinese."""
    code = (code or "").strip()
    m = PROJECT_CODE_RE.match(code)
    if not m:
        return f"投资项目统一代码格式应为“年份-行政区划代码-行业代码-01/02/03-六位序号”，例如 {PROJECT_CODE_EXAMPLE}。"
    year = int(m.group(1))
    if not 2000 <= year <= 2099:
        return "投资项目统一代码的前四位应为赋码年份（2000—2099）。"
    if m.group(2)[:2] in ("00", "10", "20", "30", "40", "60", "70", "80", "90"):
        return "投资项目统一代码中的行政区划代码无效。"
    return None


def validate_project_code(code: str) -> None:
    error = project_code_error(code)
    if error:
        raise ValidationError(error, code="project_code")
