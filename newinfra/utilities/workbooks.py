"""Excel templates and uploads shared by every import: the header, drop-downs, reading rows.

Columns are (key, label, width) triples; a file is recognised by its header labels, so users may
reorder or add columns.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

# Every cell of every .xlsx the platform writes goes through these: text is never a formula.
from newinfra.parsing.writers import append_row, put, write_cell

__all__ = ["append_row", "put", "write_cell"]

MAX_ROWS = 20000
# Seconds one upload may take to read and check before it is refused (a worker is not held longer).
TIME_BUDGET = 30


class ImportFileError(Exception):
    """The file as a whole cannot be read (not .xlsx, wrong template, empty); Chinese message."""


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook(columns, title: str):
    """A template sheet: the columns' labels as a frozen, coloured header, widths set."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title
    append_row(ws, [label for _, label, _ in columns])
    for i, (_, _, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="9E1B1B")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    return wb, ws


def dropdown(wb, ws, columns, key: str, values: list[str], rows: int = 2000):
    """A list validation whose values sit on a hidden sheet (inline lists are capped at 255 chars)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if "选项" not in wb.sheetnames:
        opts = wb.create_sheet("选项")
        opts.sheet_state = "hidden"
    opts = wb["选项"]
    col = opts.max_column + 1 if opts.max_row > 1 or opts["A1"].value else 1
    letter = get_column_letter(col)
    for i, v in enumerate(values, start=1):
        write_cell(opts, i, col, v)
    dv = DataValidation(
        type="list",
        formula1=f"'选项'!${letter}$1:${letter}${len(values)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="输入有误",
        error="请从下拉列表中选择。",
    )
    index = [k for k, _, _ in columns].index(key) + 1
    target = get_column_letter(index)
    dv.add(f"{target}2:{target}{rows}")
    ws.add_data_validation(dv)


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check_package(data: bytes) -> None:
    """Refuse an .xlsx whose unpacked size or entry count is beyond the limits, before opening it."""
    from django.conf import settings

    from newinfra.parsing.read import MAX_ENTRIES, archive_problem

    limit_mb = int(getattr(settings, "NEWINFRA_UPLOAD_MAX_UNPACKED_MB", 200))
    problem = archive_problem(data, limit_mb * 1024 * 1024, MAX_ENTRIES)
    if problem is None:
        return
    if problem[0] == "bad":
        raise ImportFileError("无法读取文件：请上传由本平台模板填写的 .xlsx 文件。")
    raise ImportFileError(
        f"文件解压后超过{limit_mb}MB或包含的部件过多，不是正常填写的模板，已拒绝。"
        "请删除多余的空行和工作表后重新上传。"
    )


class Budget:
    """The time one import may take; ``check()`` raises a Chinese ImportFileError when it is spent."""

    def __init__(self, seconds: float | None = None):
        import time

        from django.conf import settings

        self._clock = time.monotonic
        self.seconds = (
            seconds if seconds is not None else getattr(settings, "NEWINFRA_IMPORT_SECONDS", TIME_BUDGET)
        )
        self.deadline = self._clock() + self.seconds

    def check(self) -> None:
        if self._clock() > self.deadline:
            raise ImportFileError(
                f"文件处理超过{self.seconds:g}秒仍未完成，已停止，没有任何数据被导入。请分批上传。"
            )


def sheet_rows(data: bytes, budget: Budget | None = None):
    """(row number, values) of the first sheet, streamed; every row counts against MAX_ROWS, blank too."""
    from openpyxl import load_workbook

    check_package(data)
    budget = budget or Budget()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise ImportFileError("无法读取文件：请上传由本平台模板填写的 .xlsx 文件。") from exc
    try:
        for n, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            if n > MAX_ROWS + 1:
                raise ImportFileError(
                    f"一次最多导入{MAX_ROWS}行（空行也计算在内），请删除多余的行或分批上传。"
                )
            if n % 500 == 0:
                budget.check()
            yield n, values
    finally:
        wb.close()


def read_table(data: bytes, columns, title: str, optional=()) -> list[dict]:
    """Rows of the first sheet of a platform template, checked for its columns (any template).

    The package is checked before it is opened, rows are streamed, every row (blank ones too)
    counts against MAX_ROWS and reading stops when the time budget is spent."""
    rows = (values for _, values in sheet_rows(data))
    header = next(rows, None)
    labels = {label: key for key, label, _ in columns}
    if not header:
        raise ImportFileError("文件是空的。")
    index = {}
    for i, h in enumerate(header):
        key = labels.get(str(h).strip()) if h is not None else None
        if key:
            index[key] = i
    missing = [label for key, label, _ in columns if key not in index and key not in optional]
    if missing:
        raise ImportFileError(f"这不是{title}模板：缺少“{'”“'.join(missing)}”列。请下载最新模板填写。")
    out = []
    for n, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        if str(row.get("name") or "").startswith("（示例"):
            continue
        row["_row"] = n
        out.append(row)
    if not out:
        raise ImportFileError("文件中没有数据行。")
    return out
