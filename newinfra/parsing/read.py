"""Read: a plan file → its text. Formats by content first, then by extension; encodings detected.

.txt in UTF-8 (with or without BOM), UTF-16 (with BOM), GB18030/GBK/GB2312 or Big5/CP950;
.docx (paragraphs and table rows in document order, cells joined by tabs); .html; .pdf with a
text layer. Anything else, or a file that cannot be read, raises DocumentError.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError


@dataclass(frozen=True)
class SourceText:
    text: str
    format: str  # txt | docx | html | pdf
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
        return SourceText(_read_docx(data, name), "docx", None)
    if data.startswith(b"%PDF"):
        return SourceText(_read_pdf(data, name), "pdf", None)
    if data.startswith(b"\xd0\xcf\x11\xe0") or ext in (".doc", ".wps", ".xls", ".ppt"):
        raise DocumentError(
            f"{name} is an old binary Office file; save it as .docx and try again", code="old_office"
        )
    if ext == ".docx":
        raise DocumentError(f"{name} is not a valid .docx file (it is not a zip package)", code="bad_docx")
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
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    t = cell.text.replace("\n", " ").strip()
                    if not cells or cells[-1] != t:  # merged cells repeat their text
                        cells.append(t)
                lines.append("\t".join(cells))
    text = _clean("\n".join(lines))
    if not text.strip():
        raise DocumentError(f"{name} is empty", code="empty")
    return text


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
    for td in soup.find_all(["td", "th"]):
        td.insert_after("\t")
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
        pages = [page.extract_text() or "" for page in reader.pages]
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
