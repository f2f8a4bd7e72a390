"""Read: a plan file → its text. Formats by content first, then by extension; encodings detected.

.txt in UTF-8 (with or without BOM), UTF-16 (with BOM), GB18030/GBK/GB2312 or Big5/CP950;
.docx (paragraphs and table rows in document order); .xlsx (every sheet, row by row); .html;
.pdf with a text layer. Anything else, or a file that cannot be read, raises DocumentError.

A table row becomes one line with its cells joined by tabs, one cell per grid column: a cell
merged over several columns or rows repeats its text in each of them, except that a row with one
text across the whole table (a title or a group label) becomes a single cell. The heavy
libraries (python-docx, openpyxl, bs4, pypdf) are imported only when their format is read.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from .errors import DocumentError
from .records import dataclass


@dataclass(frozen=True)
class SourceText:
    text: str
    format: str  # txt | docx | xlsx | html | pdf
    encoding: str | None


# Frequent Chinese characters, Simplified and Traditional: a decoding that yields many of them
# is the right one. (Big5 bytes also decode as GB18030, into rare characters.)
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应"
    "开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命"
    "此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求"
    "老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光"
    "门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速"
    "花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需"
    "段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感"
    "劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂"
    "們個來時為國學經發動現產業區體說會後對開關點實際術這裡進過還讓應該與無幾處將專當總條數據網務員話門間題東車長"
    "構場設備節義協議醫療農廣廠護權壓環響聯規劃計畫書記錄標準質價營運維監測塊鏈雲端結優勢項類級層園檢驗認證輸儲衛"
    "，。、；：？！“”（）《》"
)
_PAGE_NUMBER = re.compile(r"^\s*[-—–－]*\s*\d{1,4}\s*[-—–－]*\s*$")


def _common_share(text: str) -> float:
    """Share of the non-blank characters that are frequent Chinese characters or ASCII."""
    sample = [ch for ch in text[:20000] if not ch.isspace()]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if ch in _COMMON or (ch.isascii() and ch.isprintable())) / len(sample)


def _score(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" or ch in "，。、；：？！“”（）《》")
    common = sum(1 for ch in sample if ch in _COMMON)
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd" or ("\ue000" <= ch <= "\uf8ff") or (ord(ch) < 32 and ch not in "\n\r\t\f")
    )
    return (common * 2 + cjk * 0.2 - bad * 5) / len(sample)


def decode_bytes(data: bytes, name: str = "the file") -> tuple[str, str]:
    """(text, encoding) of a plain-text file; DocumentError when no supported encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DocumentError(
                f"{name} starts with a UTF-8 mark but is not valid UTF-8", code="encoding"
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
        if _common_share(text) >= 0.3:  # almost any byte pairs decode as UTF-16
            return text, "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5", "cp950", "big5hkscs"):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        candidates.append((_score(text), -len(candidates), enc, text))
    if not candidates:
        raise DocumentError(
            f"{name} is not in a supported text encoding (UTF-8, GB18030/GBK, Big5)", code="encoding"
        )
    score, _, enc, text = max(candidates)
    # Real Chinese text is mostly frequent characters; random bytes decode into rare ones.
    if score <= 0 or _common_share(text) < 0.3:
        raise DocumentError(
            f"{name} is not in a supported text encoding (UTF-8, GB18030/GBK, Big5)", code="encoding"
        )
    return text, enc


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > max(8, len(head) // 50)


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def read_document(path: str | os.PathLike) -> SourceText:
    p = Path(path)
    name = p.name or str(path)
    if not p.exists():
        raise DocumentError(f"File not found: {path}", code="not_found")
    if p.is_dir():
        raise DocumentError(f"{path} is a directory, not a plan document", code="not_found")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"Cannot read {path}: {exc.strerror or exc}", code="unreadable") from exc
    if not data.strip():
        raise DocumentError(f"{name} is empty", code="empty")
    ext = p.suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        if _zip_has(data, "xl/workbook.xml") or (
            ext in (".xlsx", ".xlsm") and not _zip_has(data, "word/document.xml")
        ):
            return SourceText(_read_xlsx(data, name), "xlsx", None)
        return SourceText(_read_docx(data, name), "docx", None)
    if data.startswith(b"%PDF"):
        return SourceText(_read_pdf(data, name), "pdf", None)
    if data.startswith(b"\xd0\xcf\x11\xe0") or ext in (".doc", ".wps", ".xls", ".ppt"):
        raise DocumentError(
            f"{name} is an old binary Office file; save it as .docx and try again", code="old_office"
        )
    if ext == ".docx":
        raise DocumentError(f"{name} is not a valid .docx file (it is not a zip package)", code="bad_docx")
    if ext in (".xlsx", ".xlsm"):
        raise DocumentError(f"{name} is not a valid .xlsx file (it is not a zip package)", code="bad_xlsx")
    if ext == ".pdf":
        raise DocumentError(f"{name} is not a valid PDF file", code="bad_pdf")
    if _looks_binary(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"{name} looks like a binary file, not a plan document", code="binary")
    head = data[:2048].lower()
    if ext in (".html", ".htm", ".xhtml") or re.search(
        rb"<(!doctype html|html|body|head|p|div|meta)[\s>]", head
    ):
        return _html_source(data, name)
    text, enc = decode_bytes(data, name)
    text = _clean(text)
    if not text.strip():
        raise DocumentError(f"{name} is empty", code="empty")
    return SourceText(text, "txt", enc)


def _html_source(data: bytes, name: str) -> SourceText:
    text, enc = _read_html(data, name)
    return SourceText(text, "html", enc)


# A .docx or .xlsx is a zip package: its declared unpacked size and entry count are checked before
# it is opened (Python's zipfile never inflates an entry beyond its declared size), so a small file
# that unpacks to gigabytes is refused at once.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 2000


def archive_problem(data: bytes, max_unpacked: int = MAX_UNPACKED_BYTES, max_entries: int = MAX_ENTRIES):
    """None for a zip package within the limits; otherwise ("size" | "entries" | "bad", detail)."""
    import zipfile  # only a .docx or .xlsx needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return "bad", str(exc)
    if len(infos) > max_entries:
        return "entries", f"{len(infos)} entries (at most {max_entries})"
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        return "size", f"{total / 1048576:.0f} MB unpacked (at most {max_unpacked / 1048576:.0f} MB)"
    return None


def _read_docx(data: bytes, name: str) -> str:
    import zipfile

    problem = archive_problem(data)
    if problem and problem[0] != "bad":
        raise DocumentError(f"{name} is refused: {problem[1]}", code="too_large")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(
            f"{name} is not a valid .docx file ({exc.__class__.__name__})", code="bad_docx"
        ) from exc
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise DocumentError(f"{name} is not a valid .docx file ({exc})", code="bad_docx") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            rows = [[cell.text for cell in row.cells] for row in Table(child, document).rows]
            lines.extend(table_lines(rows))
    text = _clean("\n".join(lines))
    if not text.strip():
        raise DocumentError(f"{name} is empty", code="empty")
    return text


def _zip_has(data: bytes, member: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):  # a date cell: as a plan writes it
        return f"{value.year}年{value.month}月{value.day}日"
    return re.sub(r"[ \t\r\n\u3000]+", " ", str(value)).strip()


def table_lines(rows: list[list]) -> list[str]:
    """Table rows (one value per grid column, merged cells repeated) as tab-joined lines."""
    out = []
    for row in rows:
        cells = [_cell_text(c) for c in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > 1 and len(set(cells)) == 1:  # merged across the table: a title or a label
            cells = cells[:1]
        out.append("\t".join(cells))
    return out


def _read_xlsx(data: bytes, name: str) -> str:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise DocumentError(
            f"{name} is not a valid .xlsx file ({exc.__class__.__name__})", code="bad_xlsx"
        ) from exc
    lines: list[str] = []
    for ws in wb.worksheets:
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                        grid[r - 1][c - 1] = top
        body = table_lines(grid)
        if body:
            if lines:
                lines.append("")
            lines.extend(body)
    text = _clean("\n".join(lines))
    if not text.strip():
        raise DocumentError(f"{name} is empty", code="empty")
    return text


def _html_table_rows(table) -> list[list[str]]:
    """The grid of an HTML table, rowspan and colspan repeated into every cell they cover."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            text = " ".join(td.stripped_strings)
            try:
                rs = max(1, min(int(td.get("rowspan", 1)), 200))
                cs = max(1, min(int(td.get("colspan", 1)), 50))
            except (TypeError, ValueError):
                rs = cs = 1
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), text)
            c += cs
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def _read_html(data: bytes, name: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.I)
    enc = None
    if m:
        declared = m.group(1).decode("ascii").lower()
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}.get(declared, declared)
        try:
            html = data.decode(declared)
            enc = declared
        except (UnicodeDecodeError, LookupError):
            html = None
    if enc is None:
        html, enc = decode_bytes(data, name)
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "head", "nav", "footer", "header", "iframe", "template"]):
        tag.decompose()
    # Innermost tables first, so that a table inside a cell becomes that cell's text.
    for table in reversed(soup.find_all("table")):
        lines = table_lines(_html_table_rows(table))
        table.replace_with("\n" + "\n".join(lines) + "\n")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = (
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "table",
        "ul",
        "ol",
    )
    for tag in soup.find_all(blocks):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text().replace("\xa0", " ")
    lines = [re.sub(r"[ \t]*\t[ \t]*", "\t", ln).strip(" ") for ln in _clean(text).split("\n")]
    lines = [ln.rstrip("\t") for ln in lines]
    out = "\n".join(ln for ln in lines if ln.strip())
    if not out.strip():
        raise DocumentError(f"{name} has no text", code="empty")
    return out, enc


_TABLE_HINT = re.compile(r"(牵头单位|责任单位|配合单位|牵头部门|责任部门)")


def _pdf_page_with_tables(page, columns: list[float] | None) -> tuple[str, list[float] | None, int]:
    """A page's text with task-allocation tables rebuilt as tab-joined rows.

    Text pieces are grouped into lines by their baseline; a line whose pieces name a task-table
    header fixes the columns (where each header cell starts); the pieces of the lines below are
    put into those columns, and a line with nothing in the first column continues the row above
    it (a cell wrapped over several lines). ``columns`` carries a table on to the next page.
    Returns the text, the columns still open at the end of the page and the number of table rows.
    """
    from .task_tables import header_columns

    pieces: list[tuple[float, float, str, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text and text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            size = abs(font_size * tm[0] * cm[0]) or 10.0
            pieces.append((round(y, 1), x, text.replace("\n", ""), size))

    page.extract_text(visitor_text=visit)
    rows: list[list[tuple[float, str, float]]] = []
    last_y = None
    for y, x, text, size in sorted(pieces, key=lambda p: (-p[0], p[1])):
        if last_y is None or abs(y - last_y) > 2:
            rows.append([])
            last_y = y
        rows[-1].append((x, text, size))
    out: list[str] = []
    table_rows: list[list[str]] | None = [] if columns else None
    count = 0
    for row in rows:
        row.sort()
        merged: list[tuple[float, float, str]] = []  # (start, end, text) of runs of close pieces
        for x, text, size in row:
            width = sum(size if ord(ch) > 0x2E80 else size * 0.55 for ch in text)
            if merged and x - merged[-1][1] < size:
                merged[-1] = (merged[-1][0], x + width, merged[-1][2] + text)
            else:
                merged.append((x, x + width, text))
        if header_columns([t for _, _, t in merged]) is not None:
            if table_rows:
                out.extend("\t".join(c) for c in table_rows)
            # Column k starts half-way between the end of header k-1 and the start of header k.
            columns = [merged[0][0]] + [(merged[k - 1][1] + merged[k][0]) / 2 for k in range(1, len(merged))]
            out.append("\t".join(t.strip() for _, _, t in merged))
            table_rows = []
            count += 1
            continue
        if columns is None or table_rows is None:
            out.append("".join(t for _, t, _ in row))
            continue
        if merged[0][0] < columns[0] - 8:  # text left of the table: the table has ended
            out.extend("\t".join(c) for c in table_rows)
            table_rows, columns = None, None
            out.append("".join(t for _, t, _ in row))
            continue
        cells = [""] * len(columns)
        for x, text, _ in row:
            k = max((i for i, cx in enumerate(columns) if cx <= x + 1), default=0)
            cells[k] += text.strip()
        if table_rows and not cells[0] and any(cells):
            table_rows[-1] = [a + b for a, b in zip(table_rows[-1], cells, strict=True)]
        else:
            table_rows.append(cells)
            count += 1
    if table_rows:
        out.extend("\t".join(c) for c in table_rows)
    return "\n".join(out), columns, count


def _read_pdf(data: bytes, name: str) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(
                        f"{name} is an encrypted PDF; remove the password and try again", code="encrypted"
                    )
            except Exception as exc:
                raise DocumentError(
                    f"{name} is an encrypted PDF; remove the password and try again", code="encrypted"
                ) from exc
        pages = []
        columns: list[float] | None = None
        for page in reader.pages:
            plain = page.extract_text() or ""
            if columns is not None or _TABLE_HINT.search(plain):
                text, columns, rows = _pdf_page_with_tables(page, columns)
                # Only a page with table rows is rebuilt; any other keeps pypdf's own text.
                pages.append(text if rows and text.strip() else plain)
            else:
                pages.append(plain)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(
            f"{name} is not a readable PDF ({exc.__class__.__name__})", code="bad_pdf"
        ) from exc
    lines = [ln for page in pages for ln in page.split("\n") if not _PAGE_NUMBER.match(ln)]
    text = _clean("\n".join(lines))
    if sum(1 for ch in text if not ch.isspace()) < 20:
        raise DocumentError(
            f"{name} has no text layer; it is probably scanned — OCR it first", code="no_text_layer"
        )
    return text
