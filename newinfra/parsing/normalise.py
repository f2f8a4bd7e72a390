"""Normalise: script detection, a Simplified working copy of the text, mainland vocabulary.

The later stages search a *working copy* of the source that has exactly the same length:
Traditional characters become Simplified one for one and full-width ASCII becomes half-width.
A span found in the working copy is therefore the same span of the source, which is how
``text`` and ``responsibility_raw`` keep the source script while everything else is Simplified.
Vocabulary (網際網路 → 互联网) changes lengths, so it is applied only to output strings.
"""

from __future__ import annotations

import re
from functools import cache

# Frequent characters that exist only in Traditional script; enough to tell the scripts apart
# without loading OpenCC for a Simplified text.
_TRADITIONAL_ONLY = set(
    "們個來時為國學經發動現產業區體說會後從對開關點實際術這裡進過還讓應該資與無幾處將專當總條數據"
    "網絡務員話門間題東車長電線構場設備節義協議醫療農藥廣廠護權壓環響聯繫連結規劃計畫書記錄標準質"
    "價營運維監測塊鏈雲頻寬導覽優勢項類級層園紀檢驗認證輸儲衛軟訊號碼鐵燈樁億萬龍頭幹領傳統轉換創"
    "辦範圍籌財稅"
)

# Taiwan → mainland vocabulary, applied after OpenCC t2s to *output* strings. Order matters:
# longer entries first so that 智慧型 is seen before 智慧.
_VOCABULARY: list[tuple[str, str]] = [
    ("网际网路", "互联网"),
    ("网际网络", "互联网"),
    ("区域网路", "局域网"),
    ("网路", "网络"),
    ("人工智慧", "人工智能"),
    ("智慧型", "智能"),
    ("最佳化", "优化"),
    ("数位化", "数字化"),
    ("数位", "数字"),
    ("套用", "应用"),
    ("伺服器", "服务器"),
    ("捷运", "地铁"),
    ("资料库", "数据库"),
    ("资料", "数据"),
    ("软体", "软件"),
    ("硬体", "硬件"),
    ("程式", "程序"),
    ("行动通讯", "移动通信"),
    ("宽频", "宽带"),
    ("云端运算", "云计算"),
    ("物联网路", "物联网"),
    ("晶片", "芯片"),
    ("韧体", "固件"),
    ("计画", "计划"),
    ("影音", "视频"),
    ("视讯", "视频"),
    ("回响", "响应"),
    ("讯号", "信号"),
    ("资讯科技", "信息技术"),
    ("资讯", "信息"),
    ("标竿", "标杆"),
    ("公车", "公交"),
]
# 资料, 资讯 and 公车 are also mainland words in some compounds; keep these as they are.
_PROTECTED = ["资料室", "档案资料", "智慧城市", "新闻资讯", "财经资讯", "资讯类", "公车改革", "公车私用"]

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
# Small and other look-alike full stops used after item numbers (1﹒, 1･) and the
# square brackets of document numbers and responsibility notes stay one character each.
_FULLWIDTH[0xFE52] = ord(".")  # ﹒ small full stop
_FULLWIDTH[0xFF65] = ord(".")  # ･ half-width katakana middle dot
_FULLWIDTH[0x2024] = ord(".")  # ․ one dot leader
# Output strings keep Chinese punctuation as written; only full-width digits, letters and
# spaces become half-width (５Ｇ → 5G).
_FULLWIDTH_ALNUM = {
    cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
_FULLWIDTH_ALNUM[0x3000] = 0x20


@cache
def _opencc(config: str):
    import opencc  # imported lazily: a Simplified text never needs it

    return opencc.OpenCC(config)


def detect_script(text: str) -> str:
    """``"traditional"`` when the text is written in Traditional characters, else ``"simplified"``."""
    # U+4000–U+9FFF are the UTF-8 sequences led by E4–E9 (a few rare Extension-A characters
    # more than the range itself): counted in C, with no character class to compile.
    data = text.encode("utf-8", "surrogatepass")
    cjk = sum(data.count(lead) for lead in range(0xE4, 0xEA))
    if not cjk:
        return "simplified"
    trad = sum(text.count(ch) for ch in _TRADITIONAL_ONLY)
    if trad / cjk > 0.01:
        return "traditional"
    if trad == 0:
        return "simplified"
    # Few hits: ask OpenCC how much of the text would change.
    converted = _opencc("t2s").convert(text)
    changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b)
    return "traditional" if changed / cjk > 0.01 else "simplified"


# ``text.translate(_FULLWIDTH)``, done faster: translate looks every character of the text up
# in the table; a plan has a few distinct full-width characters, each replaced in one pass.
_FULLWIDTH_CHAR = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FULLWIDTH)) + "]")
_HALFWIDTH_OF = {chr(cp): chr(half) for cp, half in _FULLWIDTH.items()}


def _to_halfwidth(text: str) -> str:
    for ch in set(_FULLWIDTH_CHAR.findall(text)):
        text = text.replace(ch, _HALFWIDTH_OF[ch])
    return text


def to_simplified_same_length(text: str, script: str) -> str:
    """Simplified characters and half-width ASCII, with exactly the length of ``text``."""
    text = _to_halfwidth(text)
    if script != "traditional":
        return text
    cc = _opencc("t2s")
    out = []
    for line in text.split("\n"):
        conv = cc.convert(line)
        if len(conv) != len(line):  # a phrase changed length: convert character by character
            conv = "".join(c if len(c) == 1 else ch for ch, c in ((ch, cc.convert(ch)) for ch in line))
        out.append(conv)
    return "\n".join(out)


_SPACES = re.compile(r"\s+")
_CJK_PUNCTUATION = set("“”‘’、，。（）")


def _hugs_chinese(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in _CJK_PUNCTUATION


def _drop_space_next_to_chinese(m: re.Match) -> str:
    """A run of spaces beside a Chinese character or punctuation mark goes; others stay.
    (Checked in Python: a character class of the CJK range costs milliseconds to compile.)"""
    s, a, b = m.string, m.start(), m.end()
    if (a and _hugs_chinese(s[a - 1])) or (b < len(s) and _hugs_chinese(s[b])):
        return ""
    return m.group(0)


def mainland_text(s: str) -> str:
    """Traditional text with Taiwan vocabulary → Simplified mainland text, layout kept."""
    s = _opencc("t2s").convert(s)
    for i, word in enumerate(_PROTECTED):
        s = s.replace(word, f"\0{i}\0")
    for tw, cn in _VOCABULARY:
        s = s.replace(tw, cn)
    for i, word in enumerate(_PROTECTED):
        s = s.replace(f"\0{i}\0", word)
    return s


def mainland(s: str, script: str = "simplified") -> str:
    """An output string: Simplified characters, mainland vocabulary, no stray spaces."""
    s = s.translate(_FULLWIDTH_ALNUM)
    if script == "traditional":
        s = mainland_text(s)
    s = _SPACES.sub(_drop_space_next_to_chinese, s.replace("\n", "").replace(SOFT_BREAK, ""))
    return s.strip()


# Web-page debris that surrounds a plan copied from a government site.
_DEBRIS = re.compile(
    r"^\s*(当前位置|當前位置|您的位置|首页\s*[>›»]|发表于|發表於|发布时间|發佈時間|发布日期|来源[:：]|來源[:：]|"
    r"浏览次数|瀏覽次數|字号|字體|字体|打印本页|关闭窗口|關閉窗口|分享到|【打印】|【关闭】|扫一扫|"
    r"公开方式|公開方式|索引号|索引號|主题分类|主題分類|文\s*号|成文日期|发布机构|發佈機構)"
)
# An image left by the page as its file name: 640.webp.jpg, banner_01.png.
_IMAGE_FILE = re.compile(r"^[\w\-.]+\.(?:jpe?g|png|gif|webp|bmp|svg)$", re.IGNORECASE)
_DEBRIS_TAIL = re.compile(r"\s*(关注|關注|分享|打印|收藏)\s*$")


def is_debris(line: str) -> bool:
    """True for a breadcrumb, a publication stamp, a share/print button or an image file name line."""
    s = line.strip()
    if not s:
        return False
    if _DEBRIS.match(s) or _IMAGE_FILE.match(s):
        return True
    return s in {"关注", "關注", "打印", "关闭", "分享", "收藏", "【打印】", "【关闭】", "TOP", "返回顶部"}


# In the working copy, a line break inside a hard-wrapped paragraph (text extracted from a PDF)
# becomes this character: same length, but no longer a line or sentence boundary.
SOFT_BREAK = "\u2028"
_TERMINAL = tuple("。；;：:！!？?")


def unwrap_hard_wrapped(work: str, starts_block) -> str:
    """Join the lines of paragraphs that were wrapped at a fixed width.

    A text counts as hard-wrapped when many of its lines have the same (maximal) length. A line
    of about that length that does not end a sentence then runs on into the next line, unless
    the next line starts a heading or an item (``starts_block(line) -> bool``).
    """
    lines = work.split("\n")
    lengths = [len(ln.strip()) for ln in lines if len(ln.strip()) >= 12]
    if len(lengths) < 8:
        return work
    counts: dict[int, int] = {}
    for n in lengths:
        counts[n] = counts.get(n, 0) + 1
    width = max(counts, key=lambda n: (counts[n] + counts.get(n - 1, 0), n))
    near_width = sum(c for n, c in counts.items() if width - 2 <= n <= width + 1)
    if width < 15 or near_width < 0.4 * len(lengths):
        return work
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i == len(lines) - 1:
            break
        stripped, nxt = line.strip(), lines[i + 1].strip()
        wrapped = width - 3 <= len(stripped) <= width + 1 and not stripped.endswith(_TERMINAL)
        out.append(SOFT_BREAK if wrapped and nxt and not starts_block(nxt) else "\n")
    return "".join(out)


# A plan that a web page flattened onto one line: its headings and items follow each other after
# a space (…制定本计划。 一、建设目标 (一)总体目标。 … 1.基础设施更智能。…).
_INLINE_HEADING = re.compile(
    r"[ \u3000](?=(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|第[一二三四五六七八九十\d]{1,3}[章条]))"
)
_INLINE_ITEM = re.compile(r"(?<=[。；;！!？?])[ \u3000](?=\d{1,2}[.、](?!\d))")


def break_flattened_lines(work: str, min_length: int = 160) -> str:
    """Restore the line breaks of a flattened plan: in a very long line with several inline
    headings or items, the space before each of them becomes a line break (same length)."""
    if "\n" in work and max(map(len, work.split("\n"))) < min_length:
        return work
    out = []
    for line in work.split("\n"):
        if len(line) >= min_length:
            marks = [m.start() for m in _INLINE_HEADING.finditer(line)] + [
                m.start() for m in _INLINE_ITEM.finditer(line)
            ]
            if len(marks) >= 3:
                chars = list(line)
                for i in marks:
                    chars[i] = "\n"
                line = "".join(chars)
        out.append(line)
    return "\n".join(out)
