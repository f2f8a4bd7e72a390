"""The evaluation report is a 公文 (GB/T 9704): read from the .docx and looked at rendered to PDF.

The rendering needs LibreOffice Writer and poppler (``scripts/ensure-libreoffice.sh``, run by
``make test``); without them this test fails and says so: it is never skipped.
"""

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from newinfra.evaluation import services
from newinfra.evaluation.models import Phase
from newinfra.projects.tests.helpers import client_for, user

pytestmark = pytest.mark.django_db

SECTIONS = ["一、总体情况", "二、主要成效", "三、存在问题", "四、下一步工作建议"]
E_NOTATION = re.compile(r"\d(?:\.\d+)?[eE][+-]?\d+\b")


@pytest.fixture
def report_bytes():
    ev = services.freeze(user("office"), "总结示范评估", Phase.SUMMARY, dt.date(2022, 12, 31))
    return ev, client_for("office").get(f"/evaluations/{ev.pk}/?format=docx").content


def east_asian(run) -> str:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_the_docx_follows_the_gbt_9704_layout(report_bytes):
    _, data = report_bytes
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [
        round(m.mm)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [37, 35, 28, 26]
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.text == "关于总结示范评估情况的报告"
    assert east_asian(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    headings = [p for p in paragraphs if p.text in SECTIONS]
    assert [p.text for p in headings] == SECTIONS
    assert all(east_asian(p.runs[0]) == "黑体" and p.runs[0].font.size == Pt(16) for p in headings)
    body = [p for p in paragraphs if p.text.startswith("本次总结示范")][0]
    assert east_asian(body.runs[-1]) == "仿宋_GB2312" and body.runs[-1].font.size == Pt(16)
    assert body.paragraph_format.line_spacing == Pt(28)
    second = [p for p in paragraphs if p.text.startswith("（一）")]
    assert second and east_asian(second[0].runs[0]) == "楷体_GB2312"
    text = "\n".join(p.text for p in paragraphs)
    assert "广州市新型基础设施建设统筹办公室" in text and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text)
    assert re.search(r"表1　", text) and re.search(r"图1　", text) and "附件：1. 量化目标达成情况表" in text
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert not E_NOTATION.search(text + cells)


def test_the_rendered_report_is_a4_with_numbered_pages_and_the_four_sections(report_bytes, tmp_path):
    ev, data = report_bytes
    missing = [tool for tool in ("soffice", "pdftoppm", "pdftotext") if not shutil.which(tool)]
    assert not missing, f"{missing} missing: run scripts/ensure-libreoffice.sh"
    docx = tmp_path / "report.docx"
    docx.write_bytes(data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for n in range(1, pages + 1):
        assert re.search(rf"—\s*{n}\s*—", text), f"page number {n}"
    squeezed = re.sub(r"\s+", "", text)
    for heading in SECTIONS:
        assert heading in squeezed
    assert not E_NOTATION.search(text)
    # The pages as images, to look at (kept with the test's artefacts).
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(Path(tmp_path).glob("page-*.png"))
    assert len(pngs) == pages and all(p.stat().st_size > 1500 for p in pngs)  # none blank


def test_the_docx_is_byte_identical_after_later_changes(report_bytes):
    from newinfra.indicators.models import DataValue

    ev, first = report_bytes
    DataValue.objects.filter(period__year=2022).update(value=1)
    assert client_for("office").get(f"/evaluations/{ev.pk}/?format=docx").content == first
