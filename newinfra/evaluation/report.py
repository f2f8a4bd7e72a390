"""The evaluation report as a 公文 (GB/T 9704—2012 layout), written from the frozen snapshot only.

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title in 方正小标宋简体 二号
(22 pt), centred; body in 仿宋_GB2312 三号 (16 pt) at a fixed 28-point line spacing with a
two-character first-line indent; first-level headings (一、) in 黑体, second-level ones (（一）) in
楷体_GB2312, both 三号; page numbers "— 1 —" in 宋体 四号 in the footer (odd pages right, even pages
left, one character in); tables and charts numbered (表1, 图1) with their titles; the 落款 (the
issuing office and the date) at the end, then the 附件 tables. Fonts are named as offices have them;
each name carries a fallback (w:altName in the font table) for machines without it.

Sections: 一、总体情况 二、主要成效 三、存在问题 四、下一步工作建议, their sentences generated
from the snapshot: which targets are met, which are red and why, which tasks lag and which
units are late with their reports. Figures go through ``utilities.figures``; no e-notation.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from newinfra.utilities.figures import in_terms, money, percent, plain

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# What a machine without an office's fonts shows instead (the font table's altName).
FALLBACKS = {
    TITLE_FONT: "Noto Serif CJK SC",
    BODY_FONT: "FangSong",
    H1_FONT: "SimHei",
    H2_FONT: "KaiTi",
    NUMBER_FONT: "SimSun",
}
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_TABLE = Pt(10.5)  # 五号
LINE = Pt(28)
LISTED = 8  # names given in a sentence before "等"

CN_NUMBERS = "一二三四五六七八九十"


def office_name() -> str:
    return getattr(settings, "NEWINFRA_OFFICE_NAME", "") or "广州市新型基础设施建设统筹办公室"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- low-level formatting -------------------------------------------------------------------------


def _fonts(run, east: str, size, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _spacing(paragraph, line=LINE, indent_chars: float = 0, size=SIZE_3) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)
    if indent_chars:
        fmt.first_line_indent = Pt(size.pt * indent_chars)


def _outline(paragraph, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    ppr.append(el)


class Writer:
    def __init__(self):
        self.doc = Document()
        self.tables = 0
        self.figures = 0
        self._page()
        normal = self.doc.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = SIZE_3
        normal.element.get_or_add_rPr()
        rfonts = normal.element.rPr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            normal.element.rPr.insert(0, rfonts)
        rfonts.set(qn("w:eastAsia"), BODY_FONT)
        self._font_table()

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28) - Mm(7) - Pt(14)  # the page number 7 mm under the text block
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, footer, align) -> None:
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = SIZE_4
        else:
            p.paragraph_format.left_indent = SIZE_4
        _fonts(p.add_run("— "), NUMBER_FONT, SIZE_4)
        run = p.add_run()
        _fonts(run, NUMBER_FONT, SIZE_4)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text.strip() == "PAGE":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            else:
                el = OxmlElement("w:t")
                el.text = text
            run._r.append(el)
        _fonts(p.add_run(" —"), NUMBER_FONT, SIZE_4)

    def _font_table(self) -> None:
        """Each office font with its fallback, so a machine without 仿宋_GB2312 shows 仿宋."""
        part = next(
            (rel.target_part for rel in self.doc.part.rels.values() if rel.reltype.endswith("/fontTable")),
            None,
        )
        if part is None:
            return
        from lxml import etree

        root = etree.fromstring(part.blob)
        for name, alt in FALLBACKS.items():
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            alt_el = etree.SubElement(font, qn("w:altName"))
            alt_el.set(qn("w:val"), alt)
            charset = etree.SubElement(font, qn("w:charset"))
            charset.set(qn("w:val"), "86")
            family = etree.SubElement(font, qn("w:family"))
            family.set(qn("w:val"), "modern" if name == H1_FONT else "roman")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # --- blocks ---

    def title(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(p, line=Pt(36))
        _fonts(p.add_run(text), TITLE_FONT, SIZE_2)
        self.blank()

    def blank(self) -> None:
        _spacing(self.doc.add_paragraph())

    def heading(self, text: str, level: int = 1) -> None:
        p = self.doc.add_paragraph()
        _spacing(p, indent_chars=2)
        _outline(p, level - 1)
        _fonts(p.add_run(text), H1_FONT if level == 1 else H2_FONT, SIZE_3)

    def para(self, text: str, lead: str = "") -> None:
        """A body paragraph; ``lead`` (a second-level heading run in) starts it in 楷体."""
        p = self.doc.add_paragraph()
        _spacing(p, indent_chars=2)
        if lead:
            _fonts(p.add_run(lead), H2_FONT, SIZE_3)
        _fonts(p.add_run(text), BODY_FONT, SIZE_3)

    def caption(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(p)
        _fonts(p.add_run(text), H1_FONT, Pt(12))

    def table(
        self, title: str, header: list[str], rows: list[list], widths_cm: list[float] | None = None
    ) -> None:
        self.tables += 1
        self.caption(f"表{self.tables}　{title}")
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if widths_cm:
            table.autofit = False
            for column, width in zip(table.columns, widths_cm, strict=True):
                column.width = Cm(width)
        for i, (cell, text) in enumerate(zip(table.rows[0].cells, header, strict=True)):
            self._cell(cell, text, bold=True, center=True)
            if widths_cm:
                cell.width = Cm(widths_cm[i])
        for row in rows:
            cells = table.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
                self._cell(cell, "" if value is None else str(value))
                if widths_cm:
                    cell.width = Cm(widths_cm[i])
        self.blank()

    def _cell(self, cell, text: str, bold: bool = False, center: bool = False) -> None:
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
        _spacing(p, line=Pt(16))
        _fonts(p.add_run(text), H1_FONT if bold else BODY_FONT, SIZE_TABLE, bold=False)

    def picture(self, png: bytes, title: str, width_cm: float = 15) -> None:
        self.figures += 1
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.caption(f"图{self.figures}　{title}")

    def signature(self, name: str, day: dt.date) -> None:
        self.blank()
        self.blank()
        for text, indent in ((name, 4), (cn_date(day), 4)):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _spacing(p)
            p.paragraph_format.right_indent = Pt(SIZE_3.pt * indent)
            _fonts(p.add_run(text), BODY_FONT, SIZE_3)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


# --- the words, from the snapshot -------------------------------------------------------------------


def _listed(names: list[str], limit: int = LISTED, unit: str = "项") -> str:
    """The first ``limit`` names, then "等N项" with N all of them."""
    total = len([n for n in names if n])
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{total}{unit}"


def _value(t: dict, key: str = "current") -> str:
    value = t.get(key)
    if value is None:
        return "—"
    if t.get("target_value") is not None:
        return in_terms(value, t["target_value"], t.get("unit", ""))
    return plain(value)


def _target_line(t: dict) -> str:
    rate = "" if t.get("progress") is None else f"，完成{percent(t['progress'])}"
    return f"{t['indicator']}（目标{t['target']}，{_value(t)}{rate}）"


def sections(snap: dict, phase: str) -> dict[str, list[tuple[str, str]]]:
    """(lead, text) paragraphs of the four sections."""
    from newinfra.supervision.models import TaskStatus

    as_of = dt.date.fromisoformat(snap["as_of"])
    targets, tasks, library = snap["targets"], snap["tasks"], snap["library"]
    counts, task_counts = snap["target_counts"], snap["task_counts"]
    met = [t for t in targets if t["status"] == "green" and t["explanation"].startswith("已达到")]
    on_track = [t for t in targets if t["status"] == "green" and t not in met]
    amber = [t for t in targets if t["status"] == "amber"]
    red = [t for t in targets if t["status"] == "red"]
    grey = [t for t in targets if t["status"] == "grey"]
    finished = task_counts.get(TaskStatus.DONE, 0) + task_counts.get(TaskStatus.CLOSED, 0)
    lagging = [t for t in tasks if t["status"] == TaskStatus.LAGGING]
    not_started = [t for t in tasks if t["status"] == TaskStatus.NOT_STARTED]
    late_units = sorted((u for u in snap["units"] if u["overdue"]), key=lambda u: (-u["overdue"], u["name"]))
    invested_share = library["invested"] / library["investment"] if library.get("investment") else None
    overall = [
        (
            "",
            f"本次{phase}以{cn_date(as_of)}为评估基准日，对规划确定的{len(targets)}项量化目标、{len(tasks)}项重点任务和"
            f"项目库建设情况进行了评估。",
        ),
        (
            "",
            f"量化目标中，已达标或按趋势可按期达标（绿）{counts.get('green', 0)}项，滞后于时间进度（黄）"
            f"{counts.get('amber', 0)}项，预警（红）{counts.get('red', 0)}项，暂无审核数据（灰）{counts.get('grey', 0)}项。"
            f"重点任务中，已完成或已销号{finished}项，推进中{task_counts.get(TaskStatus.IN_PROGRESS, 0)}项，"
            f"滞后{len(lagging)}项，未启动{len(not_started)}项。"
            f"项目库入库项目{library['n']}个，总投资{money(library['investment'])}，累计完成投资{money(library['invested'])}"
            + (f"，占总投资的{percent(invested_share)}。" if invested_share is not None else "。"),
        ),
    ]
    results = []
    if met:
        results.append(
            (
                "（一）量化目标达标情况。",
                f"{len(met)}项目标已达到目标值：{_listed([_target_line(t) for t in met])}。",
            )
        )
    if on_track:
        results.append(
            (
                "（二）按期达标有基础。" if met else "（一）按期达标有基础。",
                f"{len(on_track)}项目标按当前趋势预计可按期达标：{_listed([_target_line(t) for t in on_track])}。",
            )
        )
    n = len(results)
    if finished:
        done_titles = [t["title"] for t in tasks if t["status"] in (TaskStatus.DONE, TaskStatus.CLOSED)]
        results.append(
            (
                f"（{CN_NUMBERS[n]}）重点任务推进情况。",
                f"已完成或已销号任务{finished}项：{_listed(done_titles)}。",
            )
        )
        n += 1
    domains = sorted((d for d in library["by_domain"] if d["n"]), key=lambda d: -(d["investment"] or 0))
    if domains:
        results.append(
            (
                f"（{CN_NUMBERS[n]}）项目建设情况。",
                "入库项目按领域分，"
                + "，".join(f"{d['label']}{d['n']}个、总投资{money(d['investment'])}" for d in domains[:5])
                + "（见图2）。",
            )
        )
    if not results:
        results.append(("", "截至评估基准日，尚无已达标的量化目标和已完成的任务。"))
    problems = []
    if red:
        problems.append(
            (
                "（一）部分量化目标预警。",
                f"{len(red)}项目标亮红灯："
                + "；".join(
                    f"{t['indicator']}（{t['explanation']}，责任单位：{t['responsible'] or '未设置'}）"
                    for t in red[:LISTED]
                )
                + (f"等{len(red)}项" if len(red) > LISTED else "")
                + "（见表1）。",
            )
        )
    if amber:
        problems.append(
            (
                f"（{CN_NUMBERS[len(problems)]}）部分目标滞后于时间进度。",
                f"{len(amber)}项目标完成率落后于时间进度10个百分点以上：{_listed([_target_line(t) for t in amber])}。",
            )
        )
    if lagging or not_started:
        problems.append(
            (
                f"（{CN_NUMBERS[len(problems)]}）部分重点任务推进滞后。",
                (
                    f"滞后任务{len(lagging)}项："
                    + _listed(
                        [f"{t['title']}（牵头单位：{t['lead'] or t['units'] or '未明确'}）" for t in lagging]
                    )
                    + "。"
                    if lagging
                    else ""
                )
                + (
                    f"尚未启动任务{len(not_started)}项：{_listed([t['title'] for t in not_started])}。"
                    if not_started
                    else ""
                ),
            )
        )
    if late_units:
        problems.append(
            (
                f"（{CN_NUMBERS[len(problems)]}）数据报送不及时。",
                "逾期未报送指标数据的单位有："
                + "、".join(f"{u['name']}（{u['overdue']}期）" for u in late_units[:LISTED])
                + (f"等{len(late_units)}个单位" if len(late_units) > LISTED else "")
                + "。",
            )
        )
    if grey:
        problems.append(
            (
                f"（{CN_NUMBERS[len(problems)]}）部分目标缺少监测数据。",
                f"{len(grey)}项目标尚无审核通过的数据，无法评估：{_listed([t['indicator'] for t in grey])}。",
            )
        )
    if not problems:
        problems.append(("", "截至评估基准日，未发现预警目标、滞后任务和逾期报送。"))
    advice = []
    red_units = _listed(sorted({t["responsible"] for t in red if t["responsible"]}), limit=6, unit="个单位")
    if red:
        advice.append(
            (
                f"（{CN_NUMBERS[len(advice)]}）聚焦预警目标整改。",
                (f"建议{red_units}" if red_units else "建议各责任单位")
                + "对照预警目标逐项分析原因，制定整改措施和时间表，统筹办对预警目标发出督办通知并跟踪办结。",
            )
        )
    if lagging or not_started:
        lead_units = _listed(
            sorted({t["lead"] for t in lagging + not_started if t["lead"]}), limit=6, unit="个单位"
        )
        advice.append(
            (
                f"（{CN_NUMBERS[len(advice)]}）加快滞后任务推进。",
                (f"建议牵头单位{lead_units}" if lead_units else "建议各牵头单位")
                + "倒排工期、压实责任，按季度报送进展，确保滞后任务在下一评估期前取得实质进展。",
            )
        )
    if late_units:
        advice.append(
            (
                f"（{CN_NUMBERS[len(advice)]}）严格数据报送。",
                "建议"
                + "、".join(u["name"] for u in late_units[:6])
                + "按报送期限及时报送指标数据，统筹办每月通报报送情况。",
            )
        )
    advice.append(
        (
            f"（{CN_NUMBERS[len(advice)]}）强化项目支撑。",
            "建议持续做好项目库滚动更新和月度调度，对投资完成率偏低的项目加强协调服务，以项目建设支撑目标实现。",
        )
    )
    return {
        "一、总体情况": overall,
        "二、主要成效": results,
        "三、存在问题": problems,
        "四、下一步工作建议": advice,
    }


def write(evaluation, charts: dict[str, bytes], map_png: bytes | None) -> bytes:
    snap = evaluation.snapshot
    w = Writer()
    w.title(f"关于{evaluation.name}情况的报告" if "报告" not in evaluation.name else evaluation.name)
    parts = sections(snap, evaluation.get_phase_display())
    for heading, paragraphs in parts.items():
        w.heading(heading)
        for lead, text in paragraphs:
            w.para(text, lead)
        if heading == "一、总体情况":
            w.picture(charts["status"], "量化目标状态分布")
        if heading == "二、主要成效" and "domains" in charts:
            w.picture(charts["domains"], "入库项目各领域总投资（亿元）")
        if heading == "三、存在问题":
            red = [t for t in snap["targets"] if t["status"] in ("red", "amber")]
            if red:
                w.table(
                    "预警和滞后目标",
                    ["指标", "目标", "最新值", "完成率", "状态", "原因", "责任单位"],
                    [
                        [
                            t["indicator"],
                            t["target"],
                            _value(t),
                            percent(t["progress"]) if t["progress"] is not None else "—",
                            t["status_label"],
                            t["explanation"],
                            t["responsible"],
                        ]
                        for t in red
                    ],
                    [3.0, 2.4, 2.0, 1.4, 1.4, 3.2, 2.2],
                )
    w.para("附件：1. 量化目标达成情况表")
    w.para("　　　2. 责任单位评分表")
    w.para("　　　3. 各区情况表")
    w.signature(office_name(), evaluation.frozen_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date())
    w.page_break()
    w.heading("附件1")
    w.table(
        "量化目标达成情况",
        ["指标", "目标", "最新值", "完成率", "状态", "责任单位"],
        [
            [
                t["indicator"],
                t["target"],
                _value(t),
                percent(t["progress"]) if t["progress"] is not None else "—",
                t["status_label"],
                t["responsible"],
            ]
            for t in snap["targets"]
        ],
        [3.6, 2.8, 2.4, 1.6, 1.8, 3.4],
    )
    w.para(snap["rule"])
    w.page_break()
    w.heading("附件2")
    w.table(
        "责任单位评分",
        ["单位", "得分", "牵头任务", "负责指标", "逾期未报"],
        [[u["name"], plain(u["score"], 1), u["tasks"], u["targets"], u["overdue"]] for u in snap["units"]],
        [6.0, 2.0, 2.4, 2.4, 2.4],
    )
    w.para(snap["score_rule"])
    w.page_break()
    w.heading("附件3")
    w.table(
        "各区情况",
        ["区", "项目数", "总投资", "累计完成投资", "承担任务", "已报进展"],
        [
            [
                d["name"],
                d["projects"],
                money(d["investment"] or 0),
                money(d["invested"] or 0),
                d["tasks"],
                d["tasks_reported"],
            ]
            for d in snap["districts"]
        ],
        [2.2, 1.8, 3.2, 3.2, 2.0, 2.0],
    )
    if map_png:
        w.picture(map_png, "各区项目总投资分布")
    frozen = evaluation.frozen_at.replace(tzinfo=None, microsecond=0)
    w.doc.core_properties.created = w.doc.core_properties.modified = frozen
    w.doc.core_properties.author = "newinfra"
    w.doc.core_properties.title = evaluation.name
    return w.save()
