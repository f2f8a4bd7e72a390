"""Reading files: every supported format and encoding gives the same text, bad files a clear error."""

import random

import pytest
from conftest import SEEDS

from newinfra.parsing import DocumentError, parse_file, parse_text
from newinfra.parsing.read import decode_bytes, read_document

TRADITIONAL = SEEDS[0]  # 000: Traditional script
SIMPLIFIED = SEEDS[1]  # 004


def lines(text: str) -> list[str]:
    return [" ".join(ln.replace("\xa0", " ").split()) for ln in text.split("\n") if ln.strip()]


def parse_key(plan) -> tuple:
    d = plan.to_dict()
    tasks = [(t["number"], t["title"], t["section"], t["lead_units"], t["all_units"]) for t in d["tasks"]]
    targets = [
        (t["text"], t["value"], t["unit"], t["comparator"], t["year"], t["task_number"]) for t in d["targets"]
    ]
    return d["title"], d["script"], tasks, targets


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_encodings_read_back_exactly(seed, tmp_path, encoding):
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / seed.name
    path.write_bytes(text.encode(encoding))
    got = read_document(path)
    assert got.text == text
    assert got.format == "txt"


def test_big5_reads_back_exactly(tmp_path):
    text = TRADITIONAL.read_text(encoding="utf-8")
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    got = read_document(path)
    assert got.text == text
    assert got.encoding in ("big5", "cp950", "big5hkscs")


def write_docx(text: str, path) -> None:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(path)


def test_same_parse_from_gb18030_big5_and_docx(seed, tmp_path):
    text = seed.read_text(encoding="utf-8")
    expected = parse_key(parse_text(text))
    variants = {"gb18030.txt": text.encode("gb18030")}
    if seed == TRADITIONAL:
        variants["big5.txt"] = text.encode("big5")
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
    write_docx(text, tmp_path / "plan.docx")
    for name in [*variants, "plan.docx"]:
        assert parse_key(parse_file(tmp_path / name)) == expected, name


def test_docx_tables_become_tab_separated_rows(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("二、发展目标")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "单位", "2025年"], ["5G基站数", "万个", "10"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("三、主要任务")
    document.save(tmp_path / "t.docx")
    assert read_document(tmp_path / "t.docx").text.split("\n") == [
        "二、发展目标",
        "指标\t单位\t2025年",
        "5G基站数\t万个\t10",
        "三、主要任务",
    ]


def test_html_page_without_navigation(seed, tmp_path):
    text = seed.read_text(encoding="utf-8")
    body = "".join(f"<p>{ln}</p>\n" for ln in lines(text))
    page = (
        "<!doctype html><html><head><title>t</title><style>p{color:red}</style></head><body>"
        "<nav>首页 网站导航</nav><script>var tracker = 1;</script>"
        + body
        + "<footer>版权所有</footer></body></html>"
    )
    (tmp_path / "plan.html").write_text(page, encoding="utf-8")
    got = read_document(tmp_path / "plan.html")
    assert got.format == "html"
    assert lines(got.text) == lines(text)
    assert parse_key(parse_file(tmp_path / "plan.html")) == parse_key(parse_text(text))


def test_html_in_gb2312_with_meta_charset(tmp_path):
    page = '<html><head><meta charset="gb2312"></head><body><p>一、主要任务</p><p>1.建设5G基站。</p></body></html>'
    (tmp_path / "p.htm").write_bytes(page.encode("gb18030"))
    assert lines(read_document(tmp_path / "p.htm").text) == ["一、主要任务", "1.建设5G基站。"]


def make_pdf(path, text_lines: list[str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in text_lines:
        c.setFont("STSong-Light", 11)
        c.drawString(40, y, line)
        y -= 18
        if y < 60:
            c.showPage()
            y = 800
    c.save()


def test_pdf_with_a_text_layer(tmp_path):
    plan_lines = [
        "二、主要任务",
        "1.加快5G网络建设。到2022年，累计建成5G基站8万座。",
        "(责任单位:市工业和信息化局、发展改革委)",
    ]
    make_pdf(tmp_path / "plan.pdf", plan_lines)
    src = read_document(tmp_path / "plan.pdf")
    assert src.format == "pdf"
    assert "累计建成5G基站8万座" in src.text.replace(" ", "")
    plan = parse_file(tmp_path / "plan.pdf").to_dict()
    assert plan["tasks"][0]["all_units"] == ["市工业和信息化局", "市发展改革委"]
    assert [(t["value"], t["year"]) for t in plan["targets"]] == [(80000, 2022)]


def test_pdf_without_text_layer_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "scan.pdf"))
    c.rect(100, 100, 300, 300, fill=1)
    c.save()
    with pytest.raises(DocumentError, match="no text layer"):
        read_document(tmp_path / "scan.pdf")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, ".docx"),
        ("broken.docx", b"PK\x03\x04garbage that is not a zip", "not a valid .docx"),
        ("broken.pdf", b"%PDF-1.4 nothing else", "PDF"),
    ],
)
def test_bad_files_raise_a_clear_error(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(DocumentError, match=message) as err:
        read_document(tmp_path / name)
    assert name in str(err.value)


def test_undecodable_bytes(tmp_path):
    rng = random.Random(7)
    data = bytes(rng.choice([0x81, 0xFE, 0xFF, 0x80, 0xA0]) for _ in range(400))
    (tmp_path / "x.txt").write_bytes(data)
    with pytest.raises(DocumentError, match="encoding"):
        read_document(tmp_path / "x.txt")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DocumentError, match="not found"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="directory"):
        read_document(tmp_path)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("广州市", "gb18030"),
        ("廣州市", "big5"),
        ("新型基础设施建设实施方案", "gb18030"),
        ("數位建設", "big5"),
    ],
)
def test_short_texts_decode(text, encoding):
    assert decode_bytes(text.encode(encoding))[0] == text
