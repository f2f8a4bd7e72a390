"""The rules of ../shared/plan-format.md, on text written in other plans' conventions."""

import pytest

from newinfra.parsing import parse_text
from newinfra.parsing.normalise import mainland
from newinfra.parsing.responsibilities import parse_unit_list


def one_task(body: str, heading: str = "二、主要任务\n（一）加快网络建设。\n") -> dict:
    plan = parse_text(heading + body).to_dict()
    assert len(plan["tasks"]) == 1, plan["tasks"]
    return plan


def targets(text: str) -> list[dict]:
    return parse_text("一、主要任务\n1.建设。" + text).to_dict()["targets"]


# ---- responsibilities ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "lead", "units"),
    [
        (
            "责任单位：市发展改革委、工业和信息化局，各区政府",
            [],
            ["市发展改革委", "市工业和信息化局", "各区政府"],
        ),
        (
            "牵头单位：市科技局；配合单位：市财政局、教育局",
            ["市科技局"],
            ["市科技局", "市财政局", "市教育局"],
        ),
        ("越秀、白云、南沙区政府按职责分工负责", [], ["越秀区政府", "白云区政府", "南沙区政府"]),
        ("省发展改革委、能源局等", [], ["省发展改革委", "省能源局"]),
        ("市发展改革委(牵头)、市财政局", ["市发展改革委"], ["市发展改革委", "市财政局"]),
        (
            "市教育局牵头，市科技局、人力资源社会保障局配合",
            ["市教育局"],
            ["市教育局", "市科技局", "市人力资源社会保障局"],
        ),
        ("市有关单位、各区政府按职责分工负责", [], ["市有关单位", "各区政府"]),
        ("市直职能部门", [], ["市直职能部门"]),
        ("市工业和信息化局、市场监管局", [], ["市工业和信息化局", "市市场监管局"]),
        ("广州市工业和信息化局、公安局", [], ["广州市工业和信息化局", "广州市公安局"]),
        (
            "市交通运输局、中国移动广州分公司、城市管理综合执法局",
            [],
            ["市交通运输局", "中国移动广州分公司", "市城市管理综合执法局"],
        ),
        ("天河、海珠区教育局", [], ["天河区教育局", "海珠区教育局"]),
        ("市能源局、发展改革委，南岭供电局按职责分工负责", [], ["市能源局", "市发展改革委", "南岭供电局"]),
    ],
)
def test_unit_lists(content, lead, units):
    assert parse_unit_list(content) == (lead, units)


def test_full_width_parenthesis_at_item_end():
    plan = one_task("1．推进5G建设。加快建设基站。（责任单位：市经济信息化委、市通信管理局，各区政府）\n")
    task = plan["tasks"][0]
    assert task["all_units"] == ["市经济信息化委", "市通信管理局", "各区政府"]
    assert task["responsibility_raw"] == "（责任单位：市经济信息化委、市通信管理局，各区政府）"


def test_several_parentheses_in_order_without_duplicates():
    plan = one_task(
        "1.优化环境。简化审批（责任单位：市政务服务数据管理局）。规范收费（责任单位：市发展改革委、"
        "市政务服务数据管理局）。\n"
    )
    task = plan["tasks"][0]
    assert task["all_units"] == ["市政务服务数据管理局", "市发展改革委"]
    assert task["responsibility_raw"].count(" | ") == 1


def test_other_parentheses_are_not_units():
    plan = one_task("1.建设站址。全市5G站址6.7万个（含储备站址），建设标识解析国家顶级节点（广州）。\n")
    assert plan["tasks"][0]["all_units"] == []


def test_responsibility_as_a_sentence_without_parentheses():
    plan = one_task("1.推进智慧交通。新建智能站牌。由市交通局牵头，各区政府配合。\n")
    task = plan["tasks"][0]
    assert (task["lead_units"], task["all_units"]) == (["市交通局"], ["市交通局", "各区政府"])
    assert task["responsibility_raw"] == "由市交通局牵头，各区政府配合"


def test_sentences_about_units_are_not_unit_lists():
    plan = one_task("1.加强协调。加强与省有关部门协同，市发展改革委负责统筹协调。\n")
    assert plan["tasks"][0]["all_units"] == []


def test_responsibility_on_a_line_of_its_own():
    plan = one_task("1.发展智慧商贸。建设智慧商圈。\n责任单位：市商务局、市工业和信息化局\n")
    assert plan["tasks"][0]["all_units"] == ["市商务局", "市工业和信息化局"]


def test_traditional_units_come_out_simplified_with_mainland_vocabulary():
    plan = one_task(
        "1.智慧交通。建設捷運雲平台。(市交通運輸局,廣州捷運集團按職責分工負責)\n", heading="二、主要任務\n"
    )
    assert plan["script"] == "traditional"
    assert plan["tasks"][0]["all_units"] == ["市交通运输局", "广州地铁集团"]
    assert plan["tasks"][0]["title"] == "智慧交通"


def test_taiwan_information_vocabulary():
    plan = one_task("1.發展資訊服務業。建設新聞資訊平台。(市經濟局負責)\n", heading="二、主要任務\n")
    assert plan["tasks"][0]["title"] == "发展信息服务业"
    assert mainland("新聞資訊與資訊科技", "traditional") == "新闻资讯与信息技术"
    (t,) = parse_text("二、主要任務\n1.建設。新增智慧型公車站牌兩千個。\n").to_dict()["targets"]
    assert t["indicator"] == "智能公交站牌" and t["text"] == "新增智慧型公車站牌兩千個"


# ---- structure ----------------------------------------------------------------------------


def test_chapters_articles_and_title():
    text = (
        "首页 > 政策文件\n某市数字经济发展规划\n（2021—2025年）\n第一章 总体要求\n第一条 加强统筹。到2025年建成"
        "数据中心10个。（责任单位：市发展改革委）\n第二章 保障措施\n第二条 加强资金保障。（市财政局牵头）\n"
    )
    plan = parse_text(text).to_dict()
    assert plan["title"] == "某市数字经济发展规划（2021—2025年）"
    assert plan["period"] == {"start": 2021, "end": 2025}
    assert [s["number"] for s in plan["sections"]] == ["第1章", "第2章"]
    assert [(t["number"], t["section"]) for t in plan["tasks"]] == [
        ("1", "第1章 总体要求"),
        ("2", "第2章 保障措施"),
    ]
    assert plan["tasks"][1]["lead_units"] == ["市财政局"]


def test_items_numbered_with_dun_and_parenthesised_subitems():
    text = (
        "三、重点任务\n（一）网络设施。\n1、建设5G网络。（1）加快建站。（2）推进共享。（责任单位：市工信局）\n"
        "2、建设千兆光网。（责任单位：市通信管理局）\n"
    )
    plan = parse_text(text).to_dict()
    assert [t["number"] for t in plan["tasks"]] == ["1", "2"]
    assert plan["tasks"][0]["section"] == "三、重点任务/(一)网络设施"
    assert plan["sections"][1] == {"number": "(一)", "title": "网络设施", "parent": "三", "level": 2}


def test_parenthesised_items_are_tasks_when_there_are_no_others():
    text = "二、主要任务\n（1）建设5G网络。（市工信局牵头）\n（2）建设数据中心。（市发改委牵头）\n"
    plan = parse_text(text).to_dict()
    assert [(t["number"], t["lead_units"]) for t in plan["tasks"]] == [
        ("1", ["市工信局"]),
        ("2", ["市发改委"]),
    ]


def test_web_page_debris_is_ignored():
    text = "当前位置: 首页 > 政策\n某区智慧城市建设行动计划\n发表于:2021-01-01 关注\n一、主要任务\n1.建设。\n"
    plan = parse_text(text).to_dict()
    assert plan["title"] == "某区智慧城市建设行动计划"
    assert len(plan["tasks"]) == 1


def test_unstructured_text_gives_an_empty_plan():
    plan = parse_text("这是一段没有任何编号的文字。").to_dict()
    assert plan["tasks"] == [] and plan["sections"] == []


# ---- quantities ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator", "year"),
    [
        ("到2025年，全省5G基站达到10万个以上。", 100000, "个", ">=", 2025),
        ("到2023年底，新能源汽车保有量超过50万辆。", 500000, "辆", ">", 2023),
        ("到2022年，新建数据中心PUE值不超过1.25。", 1.25, "", "<=", 2022),
        ("2021年底前，重点区域5G覆盖率达到95%。", 95, "%", ">=", 2021),
        ("到2025年，建成充电桩约2万个。", 20000, "个", "~", 2025),
        ("打造3个左右产业集群。", 3, "个", "~", None),
        ("到2022年，数字经济核心产业增加值突破1.2万亿元。", 1.2e12, "元", ">", 2022),
        ("新增装机容量150万千瓦。", 1500000, "千瓦", "=", None),
        ("建设两座数据中心。", 2, "座", "=", None),
        ("行政审批平均时限压缩至3个工作日以内。", 3, "个", "<=", None),
        ("2025年底建成10座。", 10, "座", ">=", 2025),
    ],
)
def test_target_values(text, value, unit, comparator, year):
    (t,) = targets(text)
    assert (t["value"], t["unit"], t["comparator"], t["year"]) == (value, unit, comparator, year)
    assert t["task_number"] == "1"


def test_ranges_and_per_year_rates():
    (r,) = targets("培育3—5家龙头企业。")
    assert (r["value"], r["value_max"], r["unit"]) == (3, 5, "家")
    (p,) = targets("到2025年平均每年新建10个加氢站。")
    assert p["per_year"] is True and p["value"] == 10 and p["year"] == 2025


@pytest.mark.parametrize(
    "text",
    [
        "截至2020年底，已建成5G基站4.8万座。",
        "对设备投资额500万元以上的技改项目给予奖励。",
        "按〔2020〕10号文件执行。",
        "发展4K/8K超高清视频和5G应用。",
        "推进IPv6规模部署，建设110千伏变电站。",
        "实施“1+N”工程，打造十大产业园区。",
        "免费提供2年节目试看服务。",
        "分三个阶段推进，第二代燃气表。",
        "给予最高500万元补助。",
        "优先支持PUE值小于1.3的数据中心。",
    ],
)
def test_numbers_that_are_not_targets(text):
    assert targets(text) == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator", "year"),
    [
        ("到2025年底，建成智能应用场景两万个。", 20000, "个", ">=", 2025),
        ("培育数字化转型标杆企业十个以上。", 10, "个", ">=", None),
        ("新增智能公交站牌两千个。", 2000, "个", "=", None),
        ("2024年底前完成十条公交线路数字化改造。", 10, "条", "=", 2024),
        ("完成三座变电站改造。", 3, "座", "=", None),
        ("全市5G基站数量达到两万个。", 20000, "个", ">=", None),
    ],
)
def test_chinese_numeral_counts(text, value, unit, comparator, year):
    (t,) = targets(text)
    assert (t["value"], t["unit"], t["comparator"], t["year"]) == (value, unit, comparator, year)


@pytest.mark.parametrize(
    "text",
    [
        "推进一体化建设，落实十四五规划。",
        "实现“两个一百年”奋斗目标。",
        "实现两个一百年奋斗目标。",
        "建成一批项目，引进第三方机构。",
        "发布三年行动计划，分成三个阶段推进。",
        "提供一条龙服务，建立一家一档。",
        "形成一个良性循环。",
        "完善“一个中心、三个平台”体系。",
    ],
)
def test_words_with_chinese_numerals_are_not_targets(text):
    assert targets(text) == []


def test_a_list_of_noun_number_pairs_gives_one_target_each():
    got = [
        (t["text"], t["indicator"], t["value"], t["unit"])
        for t in targets("全市建成公共充电桩1.2万根、换电站50座。")
    ]
    assert got == [("建成公共充电桩1.2万根", "公共充电桩", 12000, "根"), ("换电站50座", "换电站", 50, "座")]


def test_goal_section_year_carries_over_its_bullets():
    text = "二、发展目标\n到2025年，数字基础设施全面领先。\n——网络领先。累计建成5G基站8万座。\n三、主要任务\n1.建设。\n"
    (t,) = parse_text(text).to_dict()["targets"]
    assert (t["value"], t["year"], t["task_number"], t["section"]) == (80000, 2025, None, "二、发展目标")


def test_labels_on_one_line_without_semicolons():
    assert parse_unit_list("牵头单位：市发展改革委  配合单位：市财政局、市科技局") == (
        ["市发展改革委"],
        ["市发展改革委", "市财政局", "市科技局"],
    )


@pytest.mark.parametrize(
    ("text", "value", "comparator"),
    [
        ("到2025年，政务数据共享率提高到90%。", 90, ">="),
        ("到2025年，数据中心平均PUE降至1.3。", 1.3, "<="),
        ("培育百家以上骨干企业。", 100, ">="),
    ],
)
def test_more_comparators_and_numerals(text, value, comparator):
    (t,) = targets(text)
    assert (t["value"], t["comparator"]) == (value, comparator)


def test_vague_counts_are_not_targets():
    assert targets("培育数十家企业，建设几个平台。") == []


def test_headings_are_tasks_when_a_plan_has_no_numbered_items():
    text = (
        "某市新型基础设施建设实施方案\n二、重点任务\n（一）加快5G网络建设。到2025年累计建成5G基站2万个。"
        "（责任单位：市工业和信息化局、市通信管理局）\n（二）推进数据中心建设。（牵头单位：市发展改革委；"
        "配合单位：市工业和信息化局）\n"
    )
    plan = parse_text(text).to_dict()
    assert [(t["number"], t["title"], t["section"]) for t in plan["tasks"]] == [
        ("(一)", "加快5G网络建设", "二、重点任务"),
        ("(二)", "推进数据中心建设", "二、重点任务"),
    ]
    assert plan["tasks"][0]["deadline"] == "2025年"
    assert plan["tasks"][1]["lead_units"] == ["市发展改革委"]
    assert plan["targets"][0]["task_number"] == "(一)"


def _hard_wrap(text: str, width: int) -> str:
    out = []
    for line in text.split("\n"):
        line = line.strip()
        out.extend(line[i : i + width] for i in range(0, len(line), width)) if line else out.append("")
    return "\n".join(out)


@pytest.mark.parametrize("width", [28, 35])
def test_hard_wrapped_text_parses_like_the_original(seed, width):
    """Text extracted from a PDF is wrapped at a fixed width; the parse must not change."""
    original = parse_text(seed.read_text(encoding="utf-8")).to_dict()
    wrapped_src = _hard_wrap(seed.read_text(encoding="utf-8"), width)
    wrapped = parse_text(wrapped_src).to_dict()
    key = ("number", "title", "section", "lead_units", "all_units")
    assert [[t[k] for k in key] for t in wrapped["tasks"]] == [[t[k] for k in key] for t in original["tasks"]]
    fields = ("value", "value_max", "unit", "comparator", "year", "task_number")
    assert [[t[f] for f in fields] for t in wrapped["targets"]] == [
        [t[f] for f in fields] for t in original["targets"]
    ]
    assert all(t["text"] in wrapped_src for t in wrapped["targets"])


def test_indicator_table_rows_are_targets():
    text = (
        "二、发展目标\n到2025年，数字基础设施全面领先。\n"
        "序号\t指标\t单位\t2020年\t2025年\t属性\n"
        "1\t5G基站数\t万个\t4.8\t10\t预期性\n"
        "2\t数据中心PUE\t\t1.4\t<1.3\t约束性\n"
        "3\t千兆光网覆盖率\t%\t60\t95以上\t预期性\n"
        "三、主要任务\n1.建设。\n"
    )
    got = [
        (t["indicator"], t["value"], t["unit"], t["comparator"], t["year"])
        for t in parse_text(text).to_dict()["targets"]
    ]
    assert got == [
        ("5G基站数", 100000, "个", "=", 2025),
        ("数据中心PUE", 1.3, "", "<", 2025),
        ("千兆光网覆盖率", 95, "%", ">=", 2025),
    ]


# ---- round 5 (tests/data/unseen/round5, docs/parsing.md) ------------------------------------


@pytest.mark.parametrize(
    ("content", "units"),
    [
        (
            "配合单位：市住建局等市级有关部门，宁波海关，宁波市税务局",
            ["市住建局", "宁波海关", "宁波市税务局"],
        ),
        # a customs office is a central body named by its place: no 市 goes before it
        ("责任单位：市商务局、黄埔海关、市口岸办", ["市商务局", "黄埔海关", "市口岸办"]),
    ],
)
def test_customs_offices_are_units(content, units):
    assert parse_unit_list(content) == ([], units)


@pytest.mark.parametrize("image", ["640.webp.jpg", "banner_01.PNG", "1.png"])
def test_an_image_file_name_left_by_a_page_is_not_an_item(image):
    text = (
        f"某市2025年重点工作任务分解清单\n{image}\n2025年是收官之年。\n一、市长牵头重点工作\n"
        "1.地区生产总值增长5.5%以上。\n牵头单位：市发改委\n"
    )
    plan = parse_text(text).to_dict()
    assert [(t["number"], t["lead_units"]) for t in plan["tasks"]] == [("1", ["市发改委"])]
    assert [t["value"] for t in plan["targets"]] == [5.5]


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("工业增加值占GDP比重提高到33%左右。", "工业增加值占GDP比重"),
        ("规上工业企业数量力争增加到3000户。", "规上工业企业数量"),
        ("制造业增加值占全市生产总值的比重稳定在30%以上。", "制造业增加值占全市生产总值的比重"),
        ("确保满足3万辆(标车)电动汽车充电服务需求。", "电动汽车充电服务需求"),
    ],
)
def test_an_indicator_is_named_without_the_verb_or_remark_around_its_figure(text, indicator):
    assert [t["indicator"] for t in targets(text)] == [indicator]
