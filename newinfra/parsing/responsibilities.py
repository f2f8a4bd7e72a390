"""Responsibilities: which units a task names, and which of them lead.

Rules (../shared/plan-format.md): a leading 市/省 distributes over a 、-list
(市工业和信息化局、公安局 → 市公安局); a trailing suffix distributes backwards
(越秀、白云、南沙区政府 → 越秀区政府 …); 等, 牵头, 配合, 按职责分工负责 and 责任单位 are not part of a
name; 各区政府 and 市直职能部门 are single units; several parentheses give the units of all of
them, in order, without duplicates. Only units marked 牵头 (or listed as 牵头单位) lead.
"""

from __future__ import annotations

import re

from .normalise import SOFT_BREAK, mainland
from .records import dataclass, field

LABEL = re.compile(
    r"(主要责任单位|牵头考核单位|责任单位|牵头单位|配合单位|协办单位|参与单位|主办单位|责任部门|牵头部门|配合部门|"
    r"实施单位|责任主体|主责单位|考核单位|牵头(?=\s*[:：])|配合(?=\s*[:：])|参与(?=\s*[:：])|协办(?=\s*[:：]))\s*[:：]?"
)
LEAD_LABELS = ("牵头单位", "牵头部门", "主办单位", "主责单位", "牵头考核单位", "牵头")
# Labels of a time limit inside a responsibility note; what follows them is not a unit.
TIME_LABEL = re.compile(r"(完成时限|完成时间|时间节点|时限要求|时限)\s*[:：]")
# A group inside a responsibility parenthesis that states a time limit or a result, not a unit:
# （…牵头，…配合；2024年底前完成） / （5月底取得明显成效并持续推进，牵头考核单位：…）.
TIME_OR_NOTE = re.compile(
    r"(\d{4}\s*年|\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|年底|月底|季度|底前|前完成|年内|长期|持续推进|持续开展|"
    r"取得|完成|成效|见效|到位|实现|启动|基本建成)"
)
# A parenthesis inside a unit's name that only lists levels of government stays part of it:
# 各县(市、区)人民政府, 各街道(功能区), 各市(州)数据管理部门.
LEVEL_PAREN = re.compile(r"\(([市区县州镇乡旗盟街道功能特新开发、,，]{1,10})\)")
# What closes a group of units and what it says about them.
ROLE_TAIL = re.compile(
    r"(按职责分工负责|按职责分工落实|按职能分工负责|按职责负责|分工负责|共同负责|负责落实|负责|牵头落实|"
    r"牵头负责|牵头|配合落实|配合|参与|协助|协同|落实)$"
)
# Endings of the names of bodies; used to tell a unit list from other parentheses.
ORG_END = re.compile(
    r"(局|委|办|厅|政府|院|会|部|中心|公司|集团|社|署|所|队|站|行|处|室|馆|台|团|组|司|校|部门|单位|"
    r"机构|企业|银行|协会|联盟|基地|管委会|总社|科协|政协|作协|侨联|文联|妇联|工商联|残联|社科联|专班|海关)$"
)
# A district or county named as a unit: 越秀区, 番禺区, 从化县 (not 园区, 城区, 社区 …).
DISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,3}(区|县)$")
NOT_DISTRICT = re.compile(
    r"(城|湾|园|社|景|小|片|街|矿|库|林|牧|新|示范|先行|试验|实验|集聚|功能|开发|高新|保税|自贸|核心|重点|"
    r"改革|创新|产业|经济|合作|保护|生态|风景|旅游|商务|港)区$"
)
# 各区、县级市 / 各有关区、县级市政府: the qualifier 各 (各有关) and a shared suffix go over a list
# of bare level nouns.
EACH_LEVEL = re.compile(r"^(各(?:有关|相关)?)(区|县|县级市|市|镇|乡|乡镇|街道|区县|县区)$")
BARE_LEVEL = re.compile(r"^(区|县|县级市|市|镇|乡|乡镇|街道|区县|县区)(人民政府|政府|管委会)?$")
GOV_END = re.compile(r"(局|委|办|厅|政府|部门|管委会|单位)$")
ENTERPRISE_END = re.compile(r"(公司|集团|银行|大学|学院|医院|协会|联合会|研究院|研究所|商会)$")
# Names that carry their own level or are not municipal bodies: no 市/省 is prefixed to them.
OWN_PREFIX = re.compile(
    r"^(省|市(?!场)|区(?!块)|县|镇|街道|各|中国|中共|国家|中央|广东|驻|全|有关|相关|团(?=[省市区县]委)|"
    r"[\u4e00-\u9fff]{2,4}?(?:省|市(?!场)|自治区|新区|开发区|区|县|州|盟))"
)
PLACE_NAMES = (
    "北京 上海 天津 重庆 广州 深圳 珠海 佛山 东莞 中山 江门 惠州 肇庆 汕头 湛江 茂名 韶关 清远 "
    "杭州 宁波 南京 苏州 无锡 成都 武汉 西安 长沙 郑州 济南 青岛 福州 厦门 合肥 南昌 昆明 贵阳 "
    "南宁 海口 沈阳 大连 长春 哈尔滨 石家庄 太原 呼和浩特 兰州 西宁 银川 乌鲁木齐 拉萨 香港 澳门 "
    "粤港澳 大湾区 南方 珠江 华南"
).split()
LEVEL_PREFIX = re.compile(r"^(?:([\u4e00-\u9fff]{2,3}(?:省|市))(?=[\u4e00-\u9fff]{2})|(省|市(?!场)|区|县))")
SUFFIX_SPLIT = re.compile(r"^(.{1,4}?)((?:新区|区|县|市|镇|街道).+)$")
JOINED_UNIT = re.compile(r"(各|市|省|区|县|州)")
# A development zone or park named as a unit (its 管委会 is meant): 立山经济开发区, 贵安新区.
ZONE = re.compile(
    r"[\u4e00-\u9fff]{2,8}(经济技术开发区|经济开发区|高新技术产业开发区|开发区|高新区|新区|工业园区|产业园区|保税区|综合保税区)"
)
# Names of bodies that do not end like one (telecom operators and the like).
OPERATOR = re.compile(r"^(中国|国网|南方电网|广电)|(移动|电信|联通|铁塔|广电网络)$")
SINGLE_UNITS = {"各区政府", "市直职能部门", "各区", "各县", "各镇", "各街道", "市直各部门", "各有关单位"}

# Compiled once here rather than looked up in ``re``'s cache on every call (the functions below
# run thousands of times a plan).
LEAD_MARK = re.compile(r"\((牵头|牵头单位|主责)\)")  # 市发展改革委(牵头)
INNER_PAREN = re.compile(r"\([^()]*\)")  # a parenthesis with none inside it
ETC_TAIL = re.compile(r"等([\u4e00-\u9fff]{0,6}(单位|部门|机构))?$")  # …等, …等有关单位
ETC_END = re.compile(r"等$")
LEAD_TAIL = re.compile(r"牵头(负责|落实)?$")
LEAD_END = re.compile(r"牵头$")
JOINING_WORD = re.compile(r"^(由|请|会同|联合)")  # 由市交通局牵头, 会同市公安局
# The last characters ROLE_TAIL and ETC_TAIL can end with: an item ending otherwise has neither.
ROLE_TAIL_LAST = frozenset("责实头合与助同")
ETC_TAIL_LAST = frozenset("等位门构")
GENERIC_BODY_END = re.compile(r"(部门|单位|机构|企业)$")  # 市直有关部门、单位
LEVEL_THEN_NAME = re.compile(r"^.{1,6}?(?:新区|开发区|区|县|市|州)(.{2,})$")  # 贵安新区数据管理部门
LEVEL_END = re.compile(r"(市|区|县|州)$")
NAME_BREAK = re.compile(r"[、,，;；:：()]")  # what ends the name before a label
COLON = re.compile(r"[:：]")
SEMICOLON = re.compile(r"[;；]")
COMMA = re.compile(r"[,，]")
GROUP_BREAK = re.compile(r"[,，;；]")
ITEM_BREAK = re.compile(r"[、,，]")
EACH_ZONE = re.compile(r"各(有关|相关)?(园区|开发区|功能区|产业园区)")
ASSIGNING_OPENING = re.compile(r"(由|市(?!场|民)|省|各)")  # 由市交通局牵头…, 市…牵头, 各区…


@dataclass
class Responsibility:
    lead_units: list[str] = field(default_factory=list)
    all_units: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)  # verbatim source spans

    def add(self, name: str, lead: bool) -> None:
        if not name:
            return
        if name not in self.all_units:
            self.all_units.append(name)
        if lead and name not in self.lead_units:
            self.lead_units.append(name)


_BRACKET = re.compile(r"[(〔)〕]")


def find_parentheses(work: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost balanced (…) spans within [start, end), as (open, close+1) offsets."""
    spans, depth, open_at = [], 0, 0
    for m in _BRACKET.finditer(work, start, end):  # only a bracket changes the depth
        i, ch = m.start(), m.group()
        if ch in "(〔":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch in ")〕" and depth:
            depth -= 1
            if depth == 0:
                spans.append((open_at, i + 1))
    return spans


def _split_items(group: str) -> list[str]:
    # Nested parentheses such as 市发展改革委(牵头) stay with their item.
    # 及/和/与 join two units when a unit's own level starts right after them
    # (市级各有关部门及各县市区政府); inside a name (市工业和信息化局) they do not.
    items, depth, cur = [], 0, []
    for i, ch in enumerate(group):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        joins = ch in "及和与" and depth == 0 and cur and JOINED_UNIT.match(group, i + 1)
        if (ch == "、" and depth == 0) or (joins and ORG_END.search("".join(cur).strip())):
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return [i.strip() for i in items if i.strip()]


def _clean(item: str) -> tuple[str, bool]:
    """An item without role words and 等; True when it is marked as leading."""
    lead = False
    kept = []
    if "(" in item:  # every pattern of this block starts with one
        if LEAD_MARK.search(item):
            lead = True
        kept = [(mm.group(0), f"\x00{i}\x00") for i, mm in enumerate(LEVEL_PAREN.finditer(item))]
        for text, mark in kept:
            item = item.replace(text, mark, 1)
        item = INNER_PAREN.sub("", item)
    item = item.strip()
    changed = True
    while changed:
        changed = False
        for pattern, last in ((ETC_TAIL, ETC_TAIL_LAST), (ROLE_TAIL, ROLE_TAIL_LAST)):
            if item[-1:] not in last:
                continue  # the pattern cannot match (item is stripped: $ is its end)
            new = pattern.sub("", item).strip()
            if new != item:
                if pattern is ROLE_TAIL and LEAD_TAIL.search(item):
                    lead = True
                item, changed = new, True
    item = JOINING_WORD.sub("", item)
    for text, mark in kept:
        item = item.replace(mark, text)
    return item.strip(" ,;:"), lead


def _has_own_prefix(name: str) -> bool:
    return (
        bool(OWN_PREFIX.match(name))
        or name.startswith(tuple(PLACE_NAMES))
        or bool(ENTERPRISE_END.search(name))
        or name.endswith("海关")  # a customs office is a central body named by its place: 黄埔海关
    )


def _is_bare(name: str) -> bool:
    short = LEVEL_PAREN.sub("", name)
    return (
        len(short) <= 4
        and not ORG_END.search(short)
        and name not in SINGLE_UNITS
        and not ZONE.fullmatch(short)
    )


def _distribute_each(items: list[str]) -> list[str]:
    """各区、县级市 → 各区, 各县级市; 各区、县级市政府 → 各区政府, 各县级市政府."""
    out = list(items)
    i = 0
    while i < len(out):
        m = EACH_LEVEL.match(out[i])
        j = i + 1
        while m and j < len(out) and BARE_LEVEL.match(out[j]):
            j += 1
        if m and j > i + 1:
            suffix = BARE_LEVEL.match(out[j - 1]).group(2) or ""
            out[i] = out[i] + suffix
            for k in range(i + 1, j):
                level, own = BARE_LEVEL.match(out[k]).groups()
                out[k] = m.group(1) + level + (own or suffix)
        i = max(j, i + 1)
    return out


def _expand_group(items: list[str], prefix: str | None) -> tuple[list[str], str | None]:
    """Apply suffix (backwards) and prefix (forwards) distribution to one 、-list."""
    # A bare 单位 after 市直有关部门 shares its qualifier: 市直有关部门、单位 → 市直有关单位.
    out = _distribute_each(list(items))
    for i in range(1, len(out)):
        head = GENERIC_BODY_END.search(out[i - 1])
        if out[i] in ("部门", "单位", "机构", "企业") and head and len(out[i - 1]) > len(head.group(1)):
            out[i] = out[i - 1][: head.start()] + out[i]
    # Suffix: 越秀、白云、南沙区政府 → 越秀区政府, 白云区政府, 南沙区政府.
    for i in range(len(out) - 1, -1, -1):
        if not _is_bare(out[i]) or EACH_LEVEL.match(out[i]):
            continue
        nxt = next((n for n in out[i + 1 :] if not _is_bare(n)), None)
        if nxt is None:
            continue
        m = SUFFIX_SPLIT.match(nxt)
        suffix = m.group(2) if m else nxt[len(out[i]) :]
        bare = LEVEL_PAREN.sub("", out[i])
        tail = LEVEL_THEN_NAME.match(nxt)
        if bare.startswith("各") and LEVEL_END.search(bare) and tail:
            suffix = tail.group(1)  # 各市(州)、贵安新区数据管理部门 → 各市(州)数据管理部门
        if suffix:
            out[i] = out[i] + suffix
    # Prefix: the level of the first item carries over the items that have none of their own.
    result = []
    for name in out:
        m = LEVEL_PREFIX.match(name)
        if m and not name.startswith("各"):
            prefix = m.group(1) or m.group(2)
        elif prefix and not _has_own_prefix(name) and name not in SINGLE_UNITS:
            name = prefix + name
        result.append(name)
    return result, prefix


def _labelled_segments(content: str) -> list[tuple[bool, str]]:
    """Split at every label (牵头单位：… 配合单位：…) and semicolon; True marks a lead segment."""
    out: list[tuple[bool, str]] = []

    # A label word without its colon inside a collective's name is part of the name: 各项目牵头单位.
    def in_name(m: re.Match) -> bool:
        before = NAME_BREAK.split(content[: m.start()])[-1]
        return not COLON.search(m.group(0)) and before.startswith("各")

    labels = [m for m in LABEL.finditer(content) if not in_name(m)]
    pieces = [(False, content[: labels[0].start()] if labels else content)]
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(content)
        pieces.append((m.group(1) in LEAD_LABELS, content[m.end() : end]))
    for lead, piece in pieces:
        out.extend((lead, part.strip()) for part in SEMICOLON.split(piece) if part.strip())
    return out


def _plausible_unit(name: str) -> bool:
    """A name that ends like a body (局, 委, 政府, 部门 …), or is a known collective or operator."""
    short = LEVEL_PAREN.sub("", name)
    return (
        bool(ORG_END.search(short))
        or short in SINGLE_UNITS
        or bool(OPERATOR.search(short))
        or (bool(DISTRICT.match(short)) and not NOT_DISTRICT.search(short))
        or bool(EACH_LEVEL.match(short))
        or bool(EACH_ZONE.fullmatch(short))
        or bool(ZONE.fullmatch(short))
    )


def _is_time_or_note(group: str) -> bool:
    """A time limit or a remark inside a responsibility parenthesis (2024年底前完成)."""
    return bool(TIME_OR_NOTE.search(group)) and not ORG_END.search(_clean(group)[0])


def parse_unit_list(content: str, script: str = "simplified") -> tuple[list[str], list[str]]:
    """(lead units, all units) named in the inside of a responsibility parenthesis."""
    resp = Responsibility()
    content = TIME_LABEL.split(content)[0]  # (责任单位:…;完成时限:2024年12月底前)
    content = content.translate(_BRACKETS)
    # A remark after the list, in a sentence of its own: (责任单位:…。除专门列出外,…不再重复)
    head, _, rest = content.partition("。")
    if rest and not LABEL.search(rest) and not ROLE_WORD.search(rest):
        content = head
    for seg_lead, segment in _labelled_segments(content):
        # Commas separate groups with their own role word (A牵头,B、C配合).
        for group in COMMA.split(segment):
            group = group.strip()
            if not group or _is_time_or_note(group):
                continue
            prefix: str | None = None  # a leading 市/省 distributes over a 、-list, not past a comma
            group_lead = seg_lead or bool(LEAD_TAIL.search(group))
            items = []
            leads = []
            for raw in _split_items(group):
                name, lead = _clean(raw)
                if name:
                    items.append(name)
                    leads.append(lead)
            names, prefix = _expand_group(items, prefix)
            for name, lead in zip(names, leads, strict=True):
                if _plausible_unit(name):  # not 下同, 为, 第一 … of a remark
                    resp.add(mainland(name, script), lead or group_lead)
    return resp.lead_units, resp.all_units


_BRACKETS = str.maketrans(
    {"〔": "(", "〕": ")", "［": "(", "］": ")", "（": "(", "）": ")", "：": ":", "；": ";"}
)


def _square_to_round(text: str) -> str:
    return text.replace("〔", "(").replace("〕", ")")


def _looks_like_unit_list(content: str) -> bool:
    if LABEL.search(content):
        return True
    body = INNER_PAREN.sub("", content).strip()
    if not body or len(body) > 400:
        return False
    groups = [g.strip() for g in GROUP_BREAK.split(body) if g.strip()]
    if ROLE_TAIL.search(groups[-1]) or any(LEAD_END.search(g) for g in groups):
        names = [_clean(i)[0] for g in groups for i in _split_items(g)]
        return any(ORG_END.search(n) or n in SINGLE_UNITS for n in names if n)
    return False


def _unmarked_unit_list(content: str) -> bool:
    """A bare (市发展改革委、市工业和信息化局) at a sentence end, with no role word."""
    names = [n.strip() for n in ITEM_BREAK.split(content) if n.strip()]
    if not names or any(len(n) > 20 for n in names):
        return False
    if not all(ORG_END.search(ETC_END.sub("", n)) or n in SINGLE_UNITS for n in names):
        return False
    return any(GOV_END.search(ETC_END.sub("", n)) for n in names) and any(_has_own_prefix(n) for n in names)


SENTENCE = re.compile(r"[^。;；!?！？\n]+")
ROLE_WORD = re.compile(r"(牵头|配合|负责)")


def _sentence_unit_list(sentence: str) -> bool:
    """A whole sentence that only assigns units, without parentheses: 由市交通局牵头，各区政府配合."""
    body = sentence.strip()
    if not body or len(body) > 80 or "(" in body or not ROLE_WORD.search(body):
        return False
    if not ASSIGNING_OPENING.match(body) or not _looks_like_unit_list(body):
        return False
    names = [_clean(i)[0] for g in COMMA.split(body) for i in _split_items(g)]
    return all(n and len(n) <= 20 and (ORG_END.search(n) or n in SINGLE_UNITS) for n in names)


RE_LABEL_LINE = re.compile(
    r"(牵头考核单位|责任单位|牵头单位|配合单位|协办单位|责任部门|牵头部门|配合部门)[:：]\s*"
    r"((?:[^()\n。]|\([^()\n]{1,12}\))+)"  # a short (…) inside a name: 各县(市、区)人民政府
)


def find_responsibilities(src: str, work: str, start: int, end: int, script: str) -> Responsibility:
    """Every responsibility statement within [start, end) of the text, in order."""
    resp = Responsibility()
    spans = find_parentheses(work, start, end)
    found: list[tuple[int, int, str]] = []
    for a, b in spans:
        content = _square_to_round(work[a + 1 : b - 1].replace(SOFT_BREAK, ""))
        after = work[b : b + 1]
        at_sentence_end = after in ("", "。", ";", "\n", ".") or b >= end
        if _looks_like_unit_list(content) or (at_sentence_end and _unmarked_unit_list(content)):
            found.append((a, b, content))
    # "责任单位:…" written outside parentheses, e.g. on a line of its own.
    inside = [(a, b) for a, b, _ in found] + spans
    for m in RE_LABEL_LINE.finditer(work, start, end):
        if any(a <= m.start() < b for a, b in inside):
            continue
        found.append((m.start(), m.end(), m.group(0)))
    # "由市交通局牵头，各区政府配合。" written as a sentence of its own.
    inside = [(a, b) for a, b, _ in found] + spans
    for m in SENTENCE.finditer(work, start, end):
        if any(a < m.end() and m.start() < b for a, b in inside):
            continue
        text = m.group(0).replace(SOFT_BREAK, "")
        if _sentence_unit_list(text):
            a, b = m.start(), m.end()
            while a < b and work[a].isspace():
                a += 1
            while b > a and work[b - 1].isspace():
                b -= 1
            found.append((a, b, work[a:b]))
    for a, b, content in sorted(found):
        content = content.replace(SOFT_BREAK, "")
        lead, units = parse_unit_list(content, script)
        if not units:
            continue  # a remark such as (第一责任单位为牵头单位,下同)
        for u in units:
            resp.add(u, u in lead)
        resp.raw.append(src[a:b])
    return resp
