"""A frozen evaluation as .xlsx and as a .docx report with tables and charts, from its snapshot only."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from newinfra.utilities.workbooks import append_row

STATUS_FILL = {"green": "C8E6C9", "amber": "FFE082", "red": "FFCDD2", "grey": "E0E0E0"}


def _sheet(wb, title, header, rows, widths):
    ws = wb.create_sheet(title)
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="9E1B1B")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        append_row(ws, row)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return ws


def to_xlsx(evaluation) -> bytes:
    snap = evaluation.snapshot
    wb = Workbook()
    summary = wb.active
    summary.title = "概况"
    frozen = evaluation.frozen_at.replace(tzinfo=None, microsecond=0)
    for row in [
        ["评估", evaluation.name],
        ["阶段", evaluation.get_phase_display()],
        ["评估基准日", snap["as_of"]],
        ["冻结时间", frozen.isoformat(sep=" ")],
        ["量化目标", len(snap["targets"])],
        *[[f"目标状态：{label}", snap["target_counts"].get(key, 0)] for key, label in STATUS_LABELS_ORDER],
        ["任务", len(snap["tasks"])],
        ["入库项目（个）", snap["library"]["n"]],
        ["总投资（万元）", snap["library"]["investment"]],
        ["累计完成投资（万元）", snap["library"]["invested"]],
        ["状态规则", snap["rule"]],
        ["评分规则", snap["score_rule"]],
    ]:
        append_row(summary, row)
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 100
    ws = _sheet(
        wb,
        "指标达成",
        [
            "规划",
            "任务",
            "指标",
            "领域",
            "目标",
            "年份",
            "最新值",
            "完成率",
            "时间进度",
            "预计到期值",
            "状态",
            "说明",
            "责任单位",
            "逾期期数",
        ],
        [
            [
                t["plan"],
                t["task"],
                t["indicator"],
                t["domain"],
                t["target"],
                t["year"],
                t["current"],
                t["progress"],
                t["elapsed"],
                t["forecast"],
                t["status_label"],
                t["explanation"],
                t["responsible"],
                t["overdue"],
            ]
            for t in snap["targets"]
        ],
        [24, 24, 26, 12, 14, 8, 12, 10, 10, 12, 12, 30, 20, 8],
    )
    for row, t in zip(ws.iter_rows(min_row=2), snap["targets"], strict=True):
        row[10].fill = PatternFill("solid", fgColor=STATUS_FILL[t["status"]])
        for c in (7, 8):
            row[c].number_format = "0%"
    _sheet(
        wb,
        "任务进展",
        ["规划", "序号", "任务", "牵头单位", "责任单位", "状态"],
        [
            [t["plan"], t["number"], t["title"], t["lead"], t["units"], t["status_label"]]
            for t in snap["tasks"]
        ],
        [24, 6, 30, 24, 40, 10],
    )
    _sheet(
        wb,
        "项目库",
        ["分类", "项", "项目数", "总投资（万元）"],
        [["领域", d["label"], d["n"], d["investment"]] for d in snap["library"]["by_domain"]]
        + [["建设阶段", d["label"], d["n"], d["investment"]] for d in snap["library"]["by_stage"]],
        [10, 20, 10, 16],
    )
    _sheet(
        wb,
        "单位评分",
        [
            "单位",
            "类型",
            "得分",
            "牵头任务",
            "已完成",
            "已销号",
            "推进中",
            "滞后",
            "负责指标",
            "绿",
            "黄",
            "红",
            "灰",
            "逾期未报",
        ],
        [
            [
                u["name"],
                u["kind"],
                u["score"],
                u["tasks"],
                u["tasks_done"],
                u["tasks_closed"],
                u["tasks_in_progress"],
                u["tasks_lagging"],
                u["targets"],
                u["green"],
                u["amber"],
                u["red"],
                u["grey"],
                u["overdue"],
            ]
            for u in snap["units"]
        ],
        [26, 10, 8, 8, 8, 8, 8, 8, 8, 6, 6, 6, 6, 8],
    )
    _sheet(
        wb,
        "区评分",
        ["区", "项目数", "总投资（万元）", "累计完成投资（万元）", "承担任务", "已报进展"],
        [
            [d["name"], d["projects"], d["investment"], d["invested"], d["tasks"], d["tasks_reported"]]
            for d in snap["districts"]
        ],
        [10, 10, 16, 18, 10, 10],
    )
    wb.properties.created = frozen
    wb.properties.creator = wb.properties.lastModifiedBy = "newinfra"
    wb.properties.title = evaluation.name
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue(), frozen)


def stable_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same file, byte for byte, every time: the writers stamp the time of saving into the
    document properties and the zip entries; both are set to the moment the evaluation was frozen."""
    import re
    import zipfile

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, content)
    return out.getvalue()


STATUS_LABELS_ORDER = [("green", "正常"), ("amber", "滞后于时间进度"), ("red", "预警"), ("grey", "暂无数据")]


def _font():
    """A CJK font for chart labels, if the machine has one (scripts/ensure-fonts.sh installs one)."""
    from matplotlib import font_manager

    for name in (
        "Noto Sans CJK SC",
        "Noto Serif CJK SC",
        "WenQuanYi Micro Hei",
        "WenQuanYi Zen Hei",
        "Droid Sans Fallback",
        "AR PL UMing CN",
    ):
        try:
            font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
            return name
        except ValueError:
            continue
    return None


def _chart(kind: str, labels, values, title: str, colors=None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font = _font()
    if font:
        plt.rcParams["font.family"] = font
    fig, ax = plt.subplots(figsize=(6.4, 3.0), dpi=150)
    if kind == "barh":
        ax.barh(labels, values, color=colors or "#9e1b1b")
        ax.invert_yaxis()
    else:
        ax.bar(labels, values, color=colors or "#9e1b1b")
    from matplotlib.ticker import MaxNLocator, ScalarFormatter

    value_axis = ax.xaxis if kind == "barh" else ax.yaxis
    value_axis.set_major_locator(MaxNLocator(integer=True))
    fmt = ScalarFormatter(useOffset=False)
    fmt.set_scientific(False)
    value_axis.set_major_formatter(fmt)
    ax.set_title(title, fontsize=11)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def to_docx(evaluation) -> bytes:
    """The report as a 公文 (see ``report``), the same bytes every time it is downloaded."""
    from . import report

    snap = evaluation.snapshot
    counts = snap["target_counts"]
    charts = {
        "status": _chart(
            "bar",
            [label for _, label in STATUS_LABELS_ORDER],
            [counts.get(k, 0) for k, _ in STATUS_LABELS_ORDER],
            "量化目标状态（项）",
            ["#2e7d32", "#f9a825", "#c62828", "#9e9e9e"],
        )
    }
    domains = [d for d in snap["library"]["by_domain"] if d["n"]]
    if domains:
        charts["domains"] = _chart(
            "barh",
            [d["label"] for d in domains],
            [round((d["investment"] or 0) / 1e4, 2) for d in domains],
            "各领域总投资（亿元）",
        )
    data = report.write(evaluation, charts, _district_map(snap))
    return stable_zip(data, evaluation.frozen_at.replace(tzinfo=None, microsecond=0))


def _district_map(snap) -> bytes | None:
    """The districts coloured by their frozen total investment (no live data on a frozen report)."""
    try:
        from newinfra.geo.render import map_png
    except ImportError:
        return None
    values = {
        d["code"]: round(float(d["investment"] or 0) / 1e4, 2) for d in snap["districts"] if d.get("code")
    }
    if not values:
        return None
    return map_png(None, values=values, label="各区项目总投资", unit="亿元", width=1000, height=760)


def _table(doc, header, rows):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
