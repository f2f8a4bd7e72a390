"""Quantities: the planned quantitative targets of a stretch of plan text.

A target is a number with a magnitude and a measure word (3.89万个, 250万千瓦, 1200亿元, 两项),
or a bare ratio with a comparator (PUE低于1.3), read together with its comparator (超过 → >),
its deadline year (到2022年) and whether it is a yearly rate (平均每年新建3个). Numbers that are
not targets are skipped: dates, technology names (5G, 4K, IPv6, 110千伏), ordinals, document
numbers, formula names (1+N), eligibility thresholds (150万元以上的项目), subsidy amounts and
figures already achieved (截至…已建成…).
"""

from __future__ import annotations

import re

from .model import Target
from .normalise import SOFT_BREAK, mainland
from .numerals import chinese_to_int
from .records import dataclass

MAGNITUDE = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4, "千": 10**3, "百": 100}
UNITS = sorted(
    "平方公里 平方米 万千瓦 千瓦时 千瓦 兆瓦 公里 千米 次/天 个百分点 百分点 % PF PB TB EB Gbps Mbps GW MW kW km "
    "Tbps PFLOPS EFLOPS TFLOPS Flops ms 毫秒 微秒 兆 "
    "个 座 根 户 家 元 台 项 所 条 处 套 人 名 亩 吨 辆 架 艘 部 款 只 张 件 场 宗 栋 间 床 倍 米 路 批次 种 类 "
    "片 篇 支 颗 块 张 位 人次 万人次 次".split(),
    key=len,
    reverse=True,
)
CN_UNITS = "座台项家所条处套"
NUMBER = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)(?:%(?=\s*[—\-–~～－]+\s*\d))?"
    r"(?:\s*(?P<dash>[—\-–~～－]+|至|到)\s*(?P<num2>\d+(?:\.\d+)?))?"
    r"\s*(?P<mag>万亿|千万|百万|亿|万|千(?![瓦米伏兆克])|百(?!分))?"
    r"\s*(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")?"
    r"(?P<post>以上|以下|左右|以内|余|多)?"
)
# An amount in Chinese numerals with its magnitude after a comparator: 总量超过五千亿规模.
CN_AMOUNT = re.compile(r"(?P<num>[一二两三四五六七八九十百千]{1,4})(?P<mag>万亿|亿)(?P<unit>元)?(?![级多])")
CN_NUMBER = re.compile(
    r"(?P<num>[一二两三四五六七八九十百千]{1,4})(?:(?:至|到)(?P<num2>[一二两三四五六七八九十]{1,3}))?(?P<mag>万|亿)?(?P<unit>["
    + CN_UNITS
    + r"个])(?P<post>以上|左右)?"
)
PLAN_PARTS = re.compile(r"(重点任务|主要任务|具体任务|工作任务|重点工作|保障措施|政策措施|具体措施|工作措施)")
HAS_NUMBER = re.compile(r"[0-9一二两三四五六七八九十百千]")
CLAUSE_BREAK = re.compile(r"[,，;；:：!?！？]")
SENTENCE_BREAK = re.compile(r"[。;；!?！？\n]")
YEAR = re.compile(
    r"(?P<pre>到|至|截至|截止|在|于)?\s*(?P<year>20\d{2})\s*年(?P<post>底前|年底前|前|底|末|年底)?"
)
GOAL_DEADLINE = re.compile(r"(?:到|至)\s*(20\d{2})\s*年")
# The end of a five-year plan period is a deadline: 到“十四五”末 is the end of 2025.
PLAN_PERIOD_END = re.compile(r"[“\"]?十([一二三四五])五[”\"]?(?:时期|期)?末")
PLAN_PERIOD_YEAR = {"一": 2010, "二": 2015, "三": 2020, "四": 2025, "五": 2030}
ACHIEVED = re.compile(r"(截至|截止|已经|已建成|已累计|已有|现有|目前|当前|已达|已完成|已形成|已培育)")
SUBSIDY = re.compile(r"(给予|奖励|补助|补贴|资助|扶持资金|最高|不超过.*万元的)")
# Physical measures that can rate a thing another figure counts (2.5kW标准机架约30万个).
RATING_UNITS = frozenset(
    "平方公里 平方米 万千瓦 千瓦时 千瓦 兆瓦 公里 千米 米 吨 PF PB TB EB Gbps Mbps Tbps GW MW kW km "
    "PFLOPS EFLOPS TFLOPS Flops ms 毫秒 微秒 兆".split()
)
COUNT_UNITS = frozenset(
    "个 座 根 户 家 台 项 所 条 处 套 人 名 辆 架 艘 部 只 张 件 栋 间 床 片 块 位 支 颗".split()
)
# Counts of people and bodies: supported or funded, they are still planned quantities.
PEOPLE_OR_BODIES = ("名", "人", "人次", "家", "个", "项", "所", "支")
# 拥有3个以上的社区社会组织, 开发2万个以上的岗位: a count after a verb of having or making.
HAVE_OR_CREATE_END = re.compile(r"(拥有|开发|建设|建成|新建|培育|引进|新增|打造|设立|建立|发展|组建)$")
ITEM_NAME_END = re.compile(r"(项目|工程|计划|行动|梯队)$")
CREATION_VERB = re.compile(
    r"(建成|建设|新建|打造|培育|形成|集聚|孵化|创建|布局|引进|建立|部署|推动建设|新增|发展|实现|完成)"
)
# Before a Chinese numeral, these make it a division or a conversion, not a count (分成三个阶段).
NOT_A_COUNT_BEFORE = re.compile(r"(分成|变成|组成|构成|合成|当成|看成|换成|折成)$")
# A Chinese-numeral count with 个 straight after a comparator is a target (达到两万个).
CN_COUNT_CUE = re.compile(r"(达到|达|超过|突破|不少于|不低于|至少|约|近)$")
QUOTE_OPEN = '“「『"‘'
VERB_WORDS = [
    "平均每年",
    "每年",
    "年均",
    "累计",
    "力争",
    "争取",
    "推动",
    "带动",
    "新建",
    "建成",
    "建设",
    "打造",
    "培育",
    "形成",
    "集聚",
    "孵化",
    "接入",
    "部署",
    "运营",
    "完成",
    "实现",
    "达到",
    "超过",
    "突破",
    "引进",
    "创建",
    "布局",
    "新增",
    "发展",
    "吸引",
    "开通",
    "认定",
    "建立",
    "引导",
    "支持",
    "扶持",
    "达",
    "超",
    "约",
    "近",
    "不低于",
    "不少于",
    "不超过",
    "不高于",
    "不大于",
    "压缩至",
    "压缩到",
    "缩短至",
    "缩短到",
    "降低至",
    "降低到",
    "降至",
    "降到",
    "控制在",
    "稳定在",
    "保持在",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "增加到",
    "增加至",
    "增长到",
    "增长至",
    "扩大到",
    "扩大至",
    "下降到",
    "下降至",
    "大于",
    "小于",
    "低于",
    "高于",
    "和",
    "再",
    "新",
]
NEW_AS_NOUN = re.compile(r"新(型|能源|一代|兴|基建|材料)")
# A number with neither unit nor magnitude is a target only after one of these (PUE低于1.3).
BARE_RATIO_CUE = re.compile(
    r"(低于|小于|大于|高于|超过|不低于|不超过|达到|达|约|降至|降到|降低到|降低至|下降到|下降至|提高到|提高至|提升到|提升至|控制在)$"
)
LEADING_REMARK = re.compile(r"^\([^()]*\)")
MONEY_NOUN = re.compile(r"(基金|投资|资金|产值|营业收入|营收|收入|销售额|规模|融资|税收|增加值)")
LEADING_NOISE = re.compile(
    r"^(?:到|至)?\s*(?:20\d{2}\s*年(?:底|末)?(?:前)?)?[,，]?\s*(?:全市|全省|全区|全国|我市|本市)?"
    r"(?:力争实现|力争|争取|预计|计划)?"
)

# Compiled once here rather than looked up in ``re``'s cache on every call (_mentions,
# _comparator and find_targets run for every figure of a plan).
TECH_BEFORE = re.compile(r"[A-Za-z0-9./+]")  # 5G, IPv6, T3: a number inside a name
TECH_AFTER = re.compile(r"[A-Za-z+/]")  # 2G/3G, 1+N
LATIN_LETTER = re.compile(r"[A-Za-z]")
PLUS_SIGN = re.compile(r"[+＋]")
DATE_OR_ORDINAL_AFTER = re.compile(r"\s*(年|月|日|号|季度|周|小时|分钟|天|时|大|级|代|期|类|〕|\])")
TIME_OR_VOLTAGE_AFTER = re.compile(r"\s*(年|月|日|号|季度|周|小时|分钟|天|千伏|伏|大)")
SLOGAN_BREAK = re.compile(r"[、,，”」]")  # “一套材料、一表登记”
NUMERAL_OR_QUOTE = re.compile(r"[一二两三四五六七八九十百千“「『\"]")
APPROX_END = re.compile(r"(约|大约|近|接近)$")
AT_MOST_END = re.compile(
    r"(不超过|不高于|不大于|控制在|降低到|降低至|下降到|下降至|降到|降至|压减到|压减至)$"
)
MORE_END = re.compile(r"(超过|突破|大于|多于|高于|超)$")
NOT_MORE_END = re.compile(r"不(超过|高于|大于)$")
LESS_END = re.compile(r"(低于|小于|少于|不足|不到)$")
NOT_LESS_END = re.compile(r"不(低于|少于)$")
AT_LEAST_END = re.compile(
    r"(不低于|不少于|至少|至少有|达到|达|提高到|提高至|提升到|提升至|增长到|增长至|增加到|增加至|扩大到|扩大至)$"
)
AT_LEAST_SHARE_END = re.compile(r"(不低于|不少于)[^,，;；]*的$")  # 不低于…收入的60%
REACHED_IN = re.compile(r"(建成|建有|累计|达到)")
COMMA = re.compile(r"[,，]")
GOAL_END = re.compile(r"目标(是|为)?$")
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
PRICE_END = re.compile(r"价(格)?(确定为|定为|为|按)$")  # 出让起始价确定为36万元/亩
FROM_IN_CLAUSE = re.compile(r"由[^,，]*$")  # 由9600元以下提高到…
CHANGED_TO = re.compile(r"[^,，]{0,12}?(提高|提升|增加|增长|扩大|降低|下降|减少|压缩|缩短)(到|至)\s*\d")
THRESHOLD_OF = re.compile(r"[\u4e00-\u9fff]{1,4}?(以上|以下)的")  # 1万名老人以上的街(镇)
OF_NEXT = re.compile(r"\s*的")
BOUND_END = re.compile(r"(以上|以下|小于|大于|低于|高于|不低于|不超过|超过)$")
ETC_END = re.compile(r"等$")
NEXT_COUNT = re.compile(r"(和|与|及|以及|、)\s*(?=[\d一二两三四五六七八九十]+\s*[万亿千百]?[^\s]{0,2})")
MEASURE_TAIL = re.compile(r"[\u4e00-\u9fff]{1,4}?(以内|以下|以上|左右)")  # 3个工作日以内
LIST_JOIN = re.compile(r"(、|和|与|及|以及)")
SCALE_WORD = re.compile(r"元?的?规模")
COUNTER_START = re.compile(r"^(的|个|家|项)")
PER_YEAR = re.compile(r"(每年|年均|平均每年|每年度)")


@dataclass
class Mention:
    start: int
    end: int  # after unit and post-comparator
    value: float | int
    value_max: float | int | None
    unit: str
    post: str
    had_magnitude: bool


def _num(s: str) -> float | int:
    v = float(s)
    return int(v) if v.is_integer() else v


def _scale(v: float | int, mag: str | None) -> float | int:
    if not mag:
        return v
    r = round(v * MAGNITUDE[mag], 6)
    return int(r) if float(r).is_integer() else r


def _mentions(work: str, start: int, end: int) -> list[Mention]:
    out: list[Mention] = []
    for m in NUMBER.finditer(work, start, end):
        a, b = m.start(), m.end()
        before = work[max(0, a - 1) : a]
        after = work[m.end("num2") if m.group("num2") else m.end("num") :][:1]
        unit, mag, post = m.group("unit") or "", m.group("mag"), m.group("post") or ""
        tail = work[b : b + 3]
        # Technology names, versions and formulas: 5G, IPv6, T3, 1+N, 2G/3G.
        if TECH_BEFORE.match(before) or (not unit and TECH_AFTER.match(after)):
            continue
        if unit and LATIN_LETTER.match(unit[-1]) and LATIN_LETTER.match(work[b : b + 1]):
            continue  # 10GPon: letters run on past what looked like a unit
        if PLUS_SIGN.match(work[b : b + 1]) or before in ("第", "〔", "[", "+"):
            continue
        if not mag and not unit and DATE_OR_ORDINAL_AFTER.match(tail):
            continue
        if TIME_OR_VOLTAGE_AFTER.match(work[m.end("num") : m.end("num") + 3]) and not mag:
            continue
        value = _scale(_num(m.group("num")), mag)
        vmax = _scale(_num(m.group("num2")), mag) if m.group("num2") else None
        if vmax is not None and vmax <= value:
            continue  # 2020-2022 and other non-ranges
        if unit in ("个百分点", "百分点"):
            unit = "百分点"
        out.append(Mention(a, b, value, vmax, unit, post, bool(mag)))
    for m in CN_NUMBER.finditer(work, start, end):
        a, b = m.start(), m.end()
        if (
            work[a - 1 : a] in ("第", "每", "一", "这", "那", "某", "数", "几", "上", "(", "（")
            or work[b : b + 1] in ("大", "级", "龙")
            or NOT_A_COUNT_BEFORE.search(work[max(start, a - 2) : a])
        ):
            continue  # 第三条, 十大, 一条龙, 分成三个
        if m.group("num") == "一" and (
            work[b : b + 1] == "一" or (work[a - 1 : a] == "成" and work[a - 2 : a] != "建成")
        ):
            continue  # 一家一档; 形成一个良性循环 (but 建成一个…中心 is a count)
        if work[a - 1 : a] in QUOTE_OPEN or (
            m.group("num") == "一" and SLOGAN_BREAK.match(work[b + 2 : b + 3])
        ):
            continue  # “一套材料、一表登记”: a slogan, not a count
        value = chinese_to_int(m.group("num"))
        if value is None:
            continue
        if m.group("unit") == "个" and not _is_cn_count(work, start, a, b):
            continue
        vmax = chinese_to_int(m.group("num2")) if m.group("num2") else None
        if vmax is not None and vmax <= value:
            continue
        out.append(
            Mention(
                a,
                m.end(),
                _scale(value, m.group("mag")),
                _scale(vmax, m.group("mag")) if vmax is not None else None,
                m.group("unit"),
                m.group("post") or "",
                False,
            )
        )
    for m in CN_AMOUNT.finditer(work, start, end):
        value = chinese_to_int(m.group("num"))
        if value is None or not CN_COUNT_CUE.search(work[max(start, m.start() - 4) : m.start()]):
            continue
        out.append(
            Mention(m.start(), m.end(), _scale(value, m.group("mag")), None, m.group("unit") or "", "", True)
        )
    return sorted(out, key=lambda x: x.start)


def _is_cn_count(work: str, start: int, a: int, b: int) -> bool:
    """Whether the Chinese-numeral count with 个 at work[a:b] is a planned quantity.

    一个中心, 成熟一个, “四个出新出彩”, 两个一百年 are names and slogans; a count is a target when
    it follows a creation verb or a comparator closely (建设两个中心, 达到两万个), or when a creation
    verb opens its clause and the count closes it (建成智能应用场景两万个, 培育标杆企业十个以上).
    """
    if work[a - 1 : a] in QUOTE_OPEN or NUMERAL_OR_QUOTE.match(work[b : b + 1]):
        return False
    near = work[max(start, a - 4) : a]
    if CREATION_VERB.search(near) or CN_COUNT_CUE.search(near):
        return True
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(work, start, a)), default=start)
    closes = b >= len(work) or bool(CLAUSE_BREAK.match(work, b)) or bool(SENTENCE_BREAK.match(work, b))
    return closes and bool(CREATION_VERB.search(work[clause_start:a]))


def _comparator(prefix: str, near: str, post: str, after: str) -> str:
    if APPROX_END.search(near) or post == "左右" or after.startswith("级"):
        return "~"
    if AT_MOST_END.search(near) or post in ("以内", "以下"):
        return "<="
    if MORE_END.search(near) and not NOT_MORE_END.search(near):
        return ">"
    if LESS_END.search(near) and not NOT_LESS_END.search(near):
        return "<"
    if post in ("以上", "余", "多") or AT_LEAST_END.search(near):
        return ">="
    if AT_LEAST_SHARE_END.search(near):
        return ">="  # 不低于…收入的60%: the share of a reference figure
    if REACHED_IN.search(prefix):
        return ">="
    return "="


def _strip_verbs_end(text: str) -> str:
    """``text`` without the verbs and comparator words at its end."""
    changed = True
    while changed and text:
        changed = False
        for w in VERB_WORDS:
            if text.endswith(w):
                text = text[: -len(w)]
                changed = True
                break
    return text


def _strip_verbs_start(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for w in VERB_WORDS:
            if w == "新" and NEW_AS_NOUN.match(text):
                continue  # 新型储能, 新能源汽车: 新 is part of the noun
            if text.startswith(w) and len(text) > len(w):
                text = text[len(w) :]
                changed = True
                break
    return text


def _deadline_years(sentence: str, base: int, period_start: int | None) -> list[tuple[int, int]]:
    """(offset, year) of the deadline expressions in a sentence."""
    out = []
    for m in YEAR.finditer(sentence):
        pre, post, year = m.group("pre"), m.group("post"), int(m.group("year"))
        if pre in ("截至", "截止"):
            continue
        # 2024年，全市新建…: a year that opens the sentence, set off by a comma, is its year; so is
        # a year opening a clause that names the goal (《方案》提出，2020年…工作目标是，…).
        clause_start = max(sentence.rfind(",", 0, m.start()), sentence.rfind("，", 0, m.start())) + 1
        clause = COMMA.split(sentence[m.end() :], maxsplit=1)[0]
        opens = (m.start() <= 2 and sentence[m.end() : m.end() + 1] in (",", "，")) or (
            m.start() - clause_start <= 1 and GOAL_END.search(clause) is not None
        )
        if pre in ("到", "至") or post or opens or (period_start and year >= period_start):
            # 从2020年至2022年底: the span's end is the deadline, its start is not.
            if sentence[m.end() : m.end() + 1] in ("至", "到", "—", "-"):
                continue
            out.append((base + m.start(), year))
    for m in PLAN_PERIOD_END.finditer(sentence):
        out.append((base + m.start(), PLAN_PERIOD_YEAR[m.group(1)]))
    return sorted(out)


def find_targets(
    src: str,
    work: str,
    start: int,
    end: int,
    script: str,
    task_number: str | None,
    section: str | None,
    period_start: int | None = None,
    inherit_year: bool = False,
) -> list[Target]:
    targets: list[Target] = []
    text = work[start:end]
    # Sentences, with the offsets of their first character.
    sentences, pos = [], start
    for part in SENTENCE_BREAK.split(text):
        sentences.append((pos, pos + len(part)))
        pos += len(part) + 1
    default_year = None
    if inherit_year:  # a goal section that opens with 到2022年 sets the year of what follows
        first = work[sentences[0][0] : sentences[0][1]] if sentences else ""
        ys = _deadline_years(first[:20], 0, period_start)
        default_year = ys[0][1] if ys else None
        if default_year is None:
            # 1.实施创新驱动战略…，到2015年将广州建设成为国家创新型城市。 and goal paragraphs below:
            # the deadline the goal's opening line states is the year of the figures that follow.
            line = work[start : work.find("\n", start) if "\n" in work[start:end] else end]
            m = GOAL_DEADLINE.search(line)
            default_year = int(m.group(1)) if m else None
    # A sentence that opens with its deadline (到2025年，…) governs the figures of the sentences
    # after it in the same paragraph; ending with a colon, it governs the list of lines below it
    # (up to a blank line).
    para_year: int | None = None
    list_year: int | None = None
    prev_achieved = False
    for s_start, s_end in sentences:
        line_end = work[s_end : s_end + 1] == "\n"
        if work[s_start:s_end].strip() == "":
            if line_end and "\n" in work[max(start, s_start - 1) : s_start]:
                list_year = None  # a blank line closes a list
            if line_end:
                para_year = None
            continue
        year_here = para_year if para_year is not None else list_year
        if line_end:
            para_year = None
        if work.count("\t", s_start, s_end) >= 2:
            continue  # a table row: tables.py reads those
        if not HAS_NUMBER.search(work, s_start, s_end):
            prev_achieved = bool(ACHIEVED.search(work, s_start, s_end))
            continue  # no figure and no year: nothing to read or to carry
        # Analyse the sentence without soft line breaks and stray spaces; idx maps back.
        w, idx = _compact(work, s_start, s_end)
        leading = [y for off, y in _deadline_years(w[:24], 0, period_start) if off <= 12]
        if leading:
            year_here = leading[0]
            if w.rstrip().endswith((":", "：")):
                list_year = leading[0]
            elif not line_end:
                para_year = leading[0]
        # 其中… after a sentence of figures already achieved breaks those figures down.
        achieved_here = prev_achieved and w.lstrip().startswith("其中")
        prev_achieved = bool(ACHIEVED.search(w)) or achieved_here

        def source(a: int, b: int, idx=idx) -> str:
            return src[idx[a] : idx[b - 1] + 1] if b > a else ""

        sentence = w
        # The heading sentence of an item that names a project (121人才梯队项目).
        title_name = (
            task_number is not None
            and s_start == start
            and len(w) <= 24
            and bool(ITEM_NAME_END.search(w.strip()))
        )
        mentions = _mentions(w, 0, len(w))
        if not mentions:
            continue
        years = _deadline_years(sentence, 0, period_start)
        year_spans = [(y.start(), y.end()) for y in YEAR.finditer(w)]
        prev_end = 0
        for men in mentions:
            if any(y0 <= men.start < y1 for y0, y1 in year_spans):
                continue  # the year of a date
            # The clause around the number.
            c_start = max((m.end() for m in CLAUSE_BREAK.finditer(w, 0, men.start)), default=0)
            c_end = next((m.start() for m in CLAUSE_BREAK.finditer(w, men.end, len(w))), len(w))
            prefix = w[c_start : men.start]
            had_prev_in_clause = prev_end > c_start
            near_start = max(c_start, prev_end)
            near = w[near_start : men.start].rstrip()
            after_full = w[men.end : c_end]
            if (
                men.unit in RATING_UNITS
                and not men.post
                and CJK_CHAR.match(after_full)
                and any(men.end < o.start < c_end and o.unit in COUNT_UNITS for o in mentions)
            ):
                continue  # 2.5kW标准机架约30万个: the rating of what the next figure counts
            prev_end = men.end
            if achieved_here or ACHIEVED.search(w[0 : men.start]):
                continue
            if w[men.end : men.end + 1] == "/" and PRICE_END.search(near):
                continue  # 出让起始价确定为36万元/亩: a price the plan sets, not a quantity to reach
            if w[men.start - 1 : men.start] == "每":
                continue  # 每3至10万居民: the basis of a ratio, not a planned quantity
            if not w[men.start : men.start + 1].isdigit() and any(
                men.end <= o.start < c_end and w[o.start : o.start + 1].isdigit() for o in mentions
            ):
                continue  # 城乡三项基本医疗保险参保率达到95%: the count is part of the indicator
            if FROM_IN_CLAUSE.search(w[c_start : men.start]) and CHANGED_TO.match(after_full):
                continue  # 由9600元以下提高到15600元以下: the figure it starts from
            if THRESHOLD_OF.match(after_full) and not men.post:
                continue  # 1万名老人以上的街(镇): a threshold of what is counted
            if had_prev_in_clause and men.post in ("以上", "以下") and OF_NEXT.match(after_full):
                continue  # 1所200张床位以上的养老机构
            if (
                SUBSIDY.search(prefix) or SUBSIDY.search(after_full[:6])
            ) and men.unit not in PEOPLE_OR_BODIES:
                continue  # an amount granted; 资助200名人才 counts the people supported
            if had_prev_in_clause and OF_NEXT.match(after_full) and men.unit in ("元", ""):
                continue  # 2家以上年销售收入达500亿元的企业: the amount describes what is counted
            if title_name and men.start < 2:
                continue  # 11.121人才梯队项目: the number is part of the item's name
            share_opens_clause = men.unit == "%" and not w[c_start : men.start].strip()
            counted = men.unit not in ("元", "") and bool(HAVE_OR_CREATE_END.search(near))
            if (
                OF_NEXT.match(after_full)
                and not share_opens_clause
                and not counted
                and (men.post or BOUND_END.search(near))
            ):
                continue  # an eligibility criterion: 150万元以上的项目
            if ETC_END.search(near) and not CREATION_VERB.search(w[c_start : c_start + 6]):
                continue  # 提升…等4家省实验室: existing things being enumerated
            if not men.unit and not men.had_magnitude and not BARE_RATIO_CUE.search(near):
                continue
            if PLAN_PARTS.match(w, men.end):
                continue  # 16项重点任务、6项保障措施: the plan counting its own parts
            # The noun phrase after the number, up to the clause end or the next count (…和36个).
            nxt = NEXT_COUNT.search(after_full)
            np_end = men.end + (nxt.start() if nxt else len(after_full))
            np_after = w[men.end : np_end].strip()
            post, measure_end = men.post, men.end
            measure_tail = MEASURE_TAIL.fullmatch(after_full)
            if measure_tail and not post:
                # 压缩至3个工作日以内: the measure noun and its comparator close the clause.
                post, measure_end, np_after = measure_tail.group(1), c_end, ""
            elif LIST_JOIN.match(np_after):
                np_after = ""  # 充电桩1.2万根、换电站50座: a list of noun-number pairs
            elif SCALE_WORD.fullmatch(np_after):
                np_after = ""  # 总量超过五千亿规模: 规模 is the measure, the indicator comes before
            elif np_after.startswith("(") and np_after.endswith(")"):
                np_after = ""
            elif np_after[:1] in '”」』’"':
                np_after = ""  # “城区1ms、中心城市间5ms”: the number closes a quoted phrase
            elif len(np_after) > 4 and np_after.endswith("建设"):  # 三座智能变电站建设
                np_end -= 2
                np_after = np_after[:-2]
            pre_noun = LEADING_NOISE.sub("", near)
            if "等" in pre_noun[:-1]:  # 中心城区、城市副中心等公用充电设施: the noun follows 等
                pre_noun = pre_noun[pre_noun.rindex("等", 0, len(pre_noun) - 1) + 1 :]
            core = _strip_verbs_end(pre_noun)
            verb_len = len(pre_noun) - len(core)
            if np_after:
                # Verb-number-noun: 累计建成3.89万个5G基站.
                span_start = men.start - verb_len
                span_end = np_end
                indicator_src = (span_end - len(np_after), span_end)
            else:
                # Noun-comparator-number: 充换电设施数量突破5万个.
                noun = _strip_verbs_start(core)
                span_start = men.start - len(pre_noun)
                span_end = measure_end
                noun_start = men.start - verb_len - len(noun)
                indicator_src = (noun_start, noun_start + len(noun))
                if not noun.strip():
                    indicator_src = (men.end, np_end)
                    span_end = np_end if np_after else men.end
            span_start, span_end = _trim(w, span_start, span_end)
            ind = mainland(source(*indicator_src), script).strip("的,，、 ")
            ind = COUNTER_START.sub("", ind)
            ind = LEADING_REMARK.sub("", ind)  # 3万辆(标车)电动汽车充电服务需求: a note on the measure
            # The deadline: the nearest one before the number in the sentence, else one after it.
            before_years = [y for off, y in years if off < men.start]
            after_years = [y for off, y in years if men.start < off < c_end]  # same clause
            fallback = year_here if year_here is not None else default_year
            year = before_years[-1] if before_years else (after_years[0] if after_years else fallback)
            per_year = bool(PER_YEAR.search(prefix))
            comparator = _comparator(prefix, near, post, w[men.end : men.end + 1])
            unit = men.unit
            if not unit and men.had_magnitude and MONEY_NOUN.search(ind + w[men.end : np_end]):
                unit = "元"  # 1000亿级基金群: an amount of money with its 元 left implicit
            targets.append(
                Target(
                    text=source(span_start, span_end),
                    indicator=ind,
                    value=men.value,
                    value_max=men.value_max,
                    unit=unit,
                    comparator=comparator,
                    year=year,
                    per_year=per_year,
                    task_number=task_number,
                    section=section,
                )
            )
    return targets


_LOOSE = re.compile("[ \t\u3000" + SOFT_BREAK + "]")  # what _compact may leave out


def _compact(work: str, a: int, b: int) -> tuple[str, list[int]]:
    """work[a:b] without soft line breaks and without spaces beside Chinese characters, with
    the offset in ``work`` of every character kept."""
    if not _LOOSE.search(work, a, b):  # most sentences: nothing to leave out
        return work[a:b], list(range(a, b))
    chars, idx = [], []
    for i in range(a, b):
        ch = work[i]
        if ch == SOFT_BREAK:
            continue
        if ch in " \t\u3000":
            left = work[i - 1] if i > a else ""
            right = work[i + 1] if i + 1 < b else ""
            if not (left.isascii() and left.isalnum() and right.isascii() and right.isalnum()):
                continue
        chars.append(ch)
        idx.append(i)
    return "".join(chars), idx


def _trim(work: str, a: int, b: int) -> tuple[int, int]:
    def junk(ch: str) -> bool:
        return ch.isspace() or ch in ",，、。;；:：" or ch == SOFT_BREAK

    while a < b and (junk(work[a]) or (work[a] in "和及与" and b - a > 2)):
        a += 1
    while b > a and junk(work[b - 1]):
        b -= 1
    return a, b
