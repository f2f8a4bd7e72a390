"""Conventions of real plans of other cities (issue 14), one rule each.

Every case is written the way a plan office writes it; the expected output follows
../shared/plan-format.md.
"""

import pytest

from newinfra.parsing import parse_text
from newinfra.parsing.responsibilities import parse_unit_list

HEADING = "二、重点任务\n（一）加快网络建设\n"


def plan(text: str) -> dict:
    return parse_text(text).to_dict()


def item_targets(text: str) -> list[dict]:
    return plan("一、重点任务\n1.建设。" + text)["targets"]


# ---- numbering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1.", "2."),
        ("1．", "2．"),
        ("1﹒", "2﹒"),
        ("1 ﹒ ", "2 ﹒ "),
        ("1、", "2、"),
        ("1)", "2)"),
        ("1）", "2）"),
        ("（1）", "（2）"),
        ("①", "②"),
        ("一是", "二是"),
    ],
)
def test_every_item_numbering_gives_the_tasks(first, second):
    doc = plan(
        HEADING + f"{first}加快建设5G基站。新建基站100个。（责任单位：市工业和信息化局）\n"
        f"{second}推进千兆光网建设。（市通信管理局牵头，各区政府配合）\n"
    )
    tasks = doc["tasks"]
    assert [t["number"] for t in tasks] == ["1", "2"]
    assert tasks[0]["title"] == "加快建设5G基站"
    assert tasks[0]["all_units"] == ["市工业和信息化局"]
    assert tasks[1]["lead_units"] == ["市通信管理局"]
    assert tasks[1]["all_units"] == ["市通信管理局", "各区政府"]
    assert [(t["value"], t["task_number"]) for t in doc["targets"]] == [(100, "1")]


def test_a_single_yi_shi_paragraph_is_prose_not_a_task():
    doc = plan("一、发展现状\n一是电动汽车快速增长。全省电动汽车保有量持续提升。\n")
    assert doc["tasks"] == []


def test_yi_shi_does_not_compete_with_real_item_numbers():
    doc = plan(HEADING + "1.建设基站。一是新建宏站。\n二是新建微站。\n2.建设光网。\n")
    assert [t["number"] for t in doc["tasks"]] == ["1", "2"]


# ---- responsibility lines and parentheses --------------------------------------------------


@pytest.mark.parametrize(
    ("after_item", "lead", "units"),
    [
        ("责任单位：市发展改革委、市财政局", [], ["市发展改革委", "市财政局"]),
        (
            "牵头单位：市科技局；配合单位：市财政局、教育局",
            ["市科技局"],
            ["市科技局", "市财政局", "市教育局"],
        ),
        (
            "牵头单位：市发改委\n责任单位：市市场监管局、市财政局等市级相关单位，各区县政府\n完成时限：2024年6月底前",
            ["市发改委"],
            ["市发改委", "市市场监管局", "市财政局", "各区县政府"],
        ),
        ("牵头单位：市发改委\n配合单位：市财政局", ["市发改委"], ["市发改委", "市财政局"]),
        ("牵头考核单位：市审批服务局", ["市审批服务局"], ["市审批服务局"]),
    ],
)
def test_responsibility_lines_after_an_item(after_item, lead, units):
    doc = plan(HEADING + "1.优化审批服务。压缩审批时限。\n" + after_item + "\n2.加强监管。\n")
    task = doc["tasks"][0]
    assert (task["lead_units"], task["all_units"]) == (lead, units)
    assert doc["tasks"][1]["all_units"] == []


@pytest.mark.parametrize(
    ("content", "lead", "units"),
    [
        ("市发展改革委牵头，市财政局配合；2024年底前完成", ["市发展改革委"], ["市发展改革委", "市财政局"]),
        ("5月底取得明显成效并持续推进，牵头考核单位：市审批服务局", ["市审批服务局"], ["市审批服务局"]),
        ("责任单位：市工业和信息化局；完成时限：2025年12月底前", [], ["市工业和信息化局"]),
        (
            "市政务服务数据管理局牵头，各区政府负责；持续推进",
            ["市政务服务数据管理局"],
            ["市政务服务数据管理局", "各区政府"],
        ),
        (
            "责任单位：省大数据局、省工业和信息化厅。除专门列出外，以下任务均涉及各市数据管理部门，不再重复",
            [],
            ["省大数据局", "省工业和信息化厅"],
        ),
        ("责任单位：市财政局等市直有关单位", [], ["市财政局"]),
    ],
)
def test_time_limits_and_remarks_are_not_units(content, lead, units):
    assert parse_unit_list(content) == (lead, units)


def test_a_time_limit_beside_the_units_in_an_item():
    doc = plan(
        HEADING + "1.推进数据共享。建成共享平台。（市政务服务数据管理局牵头，市公安局配合；2024年底前完成）\n"
    )
    task = doc["tasks"][0]
    assert task["lead_units"] == ["市政务服务数据管理局"]
    assert task["all_units"] == ["市政务服务数据管理局", "市公安局"]


@pytest.mark.parametrize(
    ("parenthesis", "units"),
    [
        ("（市发改局、各县（市、区）人民政府按职责分工负责）", ["市发改局", "各县(市、区)人民政府"]),
        ("（责任单位：区政府有关部门，各街道（功能区））", ["区政府有关部门", "各街道(功能区)"]),
        (
            "（责任单位：省大数据局，各市〔州〕、贵安新区数据管理部门）",
            ["省大数据局", "各市(州)数据管理部门", "贵安新区数据管理部门"],
        ),
        (
            "〔市工信局牵头，市科技局、各县（市、区）人民政府按职责分工负责〕",
            ["市工信局", "市科技局", "各县(市、区)人民政府"],
        ),
    ],
)
def test_collective_units_are_kept_whole(parenthesis, units):
    doc = plan(HEADING + "1.发展电子信息产业。培育龙头企业。" + parenthesis + "\n")
    assert doc["tasks"][0]["all_units"] == units


# ---- targets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("互联网省际出口带宽达到98Tbps。", 98, "Tbps", ">="),
        ("骨干网络带宽达到400Gbps。", 400, "Gbps", ">="),
        ("高性能计算峰值算力超过300PFLOPS。", 300, "PFLOPS", ">"),
        ("数据中心网络时延低于20ms。", 20, "ms", "<"),
        ("城区网络时延控制在5毫秒以内。", 5, "毫秒", "<="),
        ("家庭宽带接入速率达到1000兆。", 1000, "兆", ">="),
        ("建成公共充电桩500台。", 500, "台", ">="),  # 建成 counts as at least
        ("推广应急通信装备20套。", 20, "套", "="),
        ("实施数字化改造项目30项。", 30, "项", "="),
        ("开展数字技能培训5000人次。", 5000, "人次", "="),
        ("开展数字技能培训1.2万人次以上。", 12000, "人次", ">="),
    ],
)
def test_measure_words(text, value, unit, comparator):
    got = item_targets(text)
    assert [(t["value"], t["unit"], t["comparator"]) for t in got] == [(value, unit, comparator)]


def test_a_goal_sentence_governs_the_figures_after_it_in_its_paragraph():
    doc = plan(
        "一、总体要求和工作目标\n坚持适度超前、按需部署。\n"
        "到2025年，全省新型基础设施建设取得突破性进展。全省每万人拥有5G基站30个，"
        "高性能计算峰值算力超300PFLOPS，打造“城区1ms、中心城市间5ms”超低时延圈。\n"
    )
    got = [(t["value"], t["unit"], t["year"]) for t in doc["targets"]]
    assert got == [(30, "个", 2025), (300, "PFLOPS", 2025), (1, "ms", 2025), (5, "ms", 2025)]


def test_a_goal_sentence_ending_in_a_colon_governs_the_list_below_it():
    doc = plan(
        "三、重点任务\n（一）网络建设\n到2025年，实现以下目标：\n新建5G基站1万个；\n建成千兆光网小区200个。\n"
    )
    assert [(t["value"], t["year"]) for t in doc["targets"]] == [(10000, 2025), (200, 2025)]


def test_a_year_does_not_run_on_into_the_next_paragraph():
    got = item_targets("到2025年，全市建成5G基站3万个。\n新建公共充电桩1000个。\n")
    assert [(t["value"], t["year"]) for t in got] == [(30000, 2025), (1000, None)]


def test_a_goal_paragraph_above_the_first_heading_holds_targets():
    doc = plan(
        "山东省电动汽车充电基础设施发展规划\n为贯彻落实国家战略，制定本规划。\n"
        "总体发展目标，到2025年，充换电站保有量达到8000座以上。其中，公共充换电站达到5000座左右。\n"
        "第一章 发展基础\n一、发展现状\n截至2020年底，全省累计建成充换电站4210座。其中，公共充电站3101座，占比73%。\n"
    )
    got = [(t["value"], t["unit"], t["comparator"], t["year"]) for t in doc["targets"]]
    assert got == [(8000, "座", ">=", 2025), (5000, "座", "~", 2025)]


@pytest.mark.parametrize(
    "text",
    [
        "实行“一套材料、一表登记、一窗受理”的服务模式。",
        "截至2023年底，全市建成充电站386处。其中，公共充电站200处。",
    ],
)
def test_slogans_and_breakdowns_of_achieved_figures_are_not_targets(text):
    assert item_targets(text) == []


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("2024年肇庆市数字经济工作要点", {"start": 2024, "end": 2024}),
        ("数智贵州建设2026年工作要点", {"start": 2026, "end": 2026}),
        ("盐城市数字经济发展三年行动计划(2022—2024年)", {"start": 2022, "end": 2024}),
    ],
)
def test_a_plan_for_one_year_has_that_year_as_its_period(title, period):
    assert plan(title + "\n为实现“十五五”良好开局，制定本要点。\n")["period"] == period


def test_short_role_labels():
    assert parse_unit_list("牵头：市发展改革委；配合：市财政局、市统计局") == (
        ["市发展改革委"],
        ["市发展改革委", "市财政局", "市统计局"],
    )


def test_a_collective_unit_on_a_label_line():
    doc = plan(
        HEADING
        + "1.建设基站。新建基站100个。\n牵头单位：市工信局\n责任单位：市发改局，各县（市、区）人民政府\n"
        "完成时限：2024年底前\n2.建设光网。\n"
    )
    task = doc["tasks"][0]
    assert task["all_units"] == ["市工信局", "市发改局", "各县(市、区)人民政府"]
    assert task["responsibility_raw"] == "牵头单位：市工信局 | 责任单位：市发改局，各县（市、区）人民政府"


def test_a_year_opening_a_sentence_is_its_year_without_a_plan_period():
    doc = plan("一、工作目标\n坚持稳中求进。\n2024年，全市新建5G基站3000个。\n")
    assert [(t["value"], t["year"]) for t in doc["targets"]] == [(3000, 2024)]


def test_a_time_limit_before_the_units_in_a_parenthesis():
    doc = plan(HEADING + "1.完成规划编制。（2024年6月底前，市工信局牵头，市发改局配合）\n")
    task = doc["tasks"][0]
    assert (task["lead_units"], task["all_units"]) == (["市工信局"], ["市工信局", "市发改局"])


@pytest.mark.parametrize(
    ("content", "units"),
    [
        (
            "市政府办公室牵头，市级各有关部门及各县市区政府按职责分工负责",
            ["市政府办公室", "市级各有关部门", "各县市区政府"],
        ),
        ("市商务局和市场监管局按职责分工负责", ["市商务局", "市市场监管局"]),
        ("市工业和信息化局、市住房和城乡建设局", ["市工业和信息化局", "市住房和城乡建设局"]),
    ],
)
def test_units_joined_by_ji_or_he(content, units):
    assert parse_unit_list(content)[1] == units


def test_a_remark_in_parentheses_gives_no_units():
    doc = plan(
        HEADING + "1.推进PPP项目建设。\n责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）\n"
    )
    assert doc["tasks"][0]["all_units"] == ["市发改委", "市财政局"]
    assert "下同" not in doc["tasks"][0]["responsibility_raw"]


@pytest.mark.parametrize(
    "note",
    ["（第一责任单位为牵头单位，下同）", "（列第一位的为牵头单位）", "（排在第一位的为牵头部门）"],
)
def test_the_first_listed_unit_leads_where_the_plan_says_so(note):
    doc = plan(
        HEADING
        + f"1.推进PPP项目建设。\n责任单位：市发改委、市财政局{note}\n2.落实招投标政策。\n责任单位：市建设局、市财政局\n"
    )
    assert [t["lead_units"] for t in doc["tasks"]] == [["市发改委"], ["市建设局"]]


def test_without_that_note_units_do_not_lead():
    doc = plan(HEADING + "1.推进PPP项目建设。\n责任单位：市发改委、市财政局\n")
    assert doc["tasks"][0]["lead_units"] == []


@pytest.mark.parametrize("heading", ["一、发展基础和形势", "一、发展现状", "一、“十三五”发展成效"])
def test_figures_in_a_review_of_what_was_achieved_are_not_targets(heading):
    doc = plan(
        f"{heading}\n（一）发展基础\n1.信息基础设施加快建设。累计建设5G基站1444个，固定宽带接入能力达到1Gbps。\n"
        "二、发展目标\n到2025年，累计建成5G基站5000个。\n"
    )
    assert [(t["value"], t["year"]) for t in doc["targets"]] == [(5000, 2025)]


def test_a_section_on_basic_research_is_not_a_review():
    doc = plan("三、重点任务\n（一）基础研究能力提升\n建成重点实验室10个。\n")
    assert [t["value"] for t in doc["targets"]] == [10]


@pytest.mark.parametrize(
    ("content", "lead", "units"),
    [
        (
            "责任单位：市发展改革委、市财政局，各县（市、区）人民政府；列第一位者为牵头单位",
            [],
            ["市发展改革委", "市财政局", "各县(市、区)人民政府"],
        ),
        ("市发展改革委（市能源局）、市财政局", [], ["市发展改革委", "市财政局"]),
        (
            "市工信局牵头，中国移动分公司、中国铁塔分公司配合",
            ["市工信局"],
            ["市工信局", "中国移动分公司", "中国铁塔分公司"],
        ),
    ],
)
def test_unit_lists_written_with_full_width_punctuation(content, lead, units):
    assert parse_unit_list(content) == (lead, units)


def test_a_plan_flattened_onto_one_line_gets_its_headings_and_items_back():
    text = (
        "某市智慧城市三年行动计划(2020-2022年)\n为加快建设智慧城市，结合我市实际，制定本行动计划。 一、建设目标 "
        "(一)总体目标。 到2022年，全市智慧城市架构体系基本完善，数据要素高效流转，智能设施广泛覆盖，"
        "城市智慧治理水平明显提升，基本实现政务服务一网通办。 (二)分项目标。 1.基础设施更智能。聚焦泛在互联，"
        "建成5G基站3000个。 2.政务服务更高效。聚焦全生命周期服务。 3.城乡治理更精细。聚焦管人、管物、管事。"
    )
    doc = plan(text)
    assert [s["number"] for s in doc["sections"]] == ["一", "(一)", "(二)"]
    assert [(t["number"], t["title"]) for t in doc["tasks"]] == [
        ("1", "基础设施更智能"),
        ("2", "政务服务更高效"),
        ("3", "城乡治理更精细"),
    ]
    assert [(t["value"], t["task_number"]) for t in doc["targets"]] == [(3000, "1")]


def test_a_long_paragraph_with_an_enumeration_stays_one_paragraph():
    text = "一、重点任务\n（一）网络建设\n" + "推进5G网络建设，" * 30 + "主要包括 一、基站 二、光网。\n"
    assert [s["number"] for s in plan(text)["sections"]] == ["一", "(一)"]


def test_a_bare_generic_unit_shares_the_qualifier_before_it():
    assert parse_unit_list("责任单位：市直有关部门、单位，各区市政府")[1] == [
        "市直有关部门",
        "市直有关单位",
        "各区市政府",
    ]


def test_a_year_opening_a_goal_clause_is_the_year_of_its_figures():
    doc = plan(
        "一、目标\n《方案》提出，2020年5G通信网络建设工作目标是，全省建设开通5G基站2万个以上，实现14个市5G网络覆盖。\n"
    )
    assert [(t["value"], t["year"]) for t in doc["targets"]] == [(20000, 2020), (14, 2020)]


def test_a_plan_counting_its_own_tasks_and_measures_states_no_target():
    doc = plan(
        "《行动方案》明确了四大工程16项重点任务、6项保障措施。\n一、重点任务\n1.建设基站。新建基站100个。\n"
    )
    assert [t["value"] for t in doc["targets"]] == [100]


# ---- complete plans (tests/data/unseen/complete) ----------------------------------------------


def test_an_item_whose_title_starts_with_digits_is_still_the_next_item():
    doc = plan(
        "一、重点项目\n10.羊城学者项目。设立50个特聘岗位。（牵头单位：市委组织部）\n"
        "11.121人才梯队项目。重点培养不少于10名院士后备人才。（牵头单位：市人力资源和社会保障局）\n"
        "12.博士后培养项目。（牵头单位：市人力资源和社会保障局）\n"
    )
    assert [t["number"] for t in doc["tasks"]] == ["10", "11", "12"]
    assert doc["tasks"][1]["title"] == "121人才梯队项目"
    assert [(t["value"], t["task_number"]) for t in doc["targets"]] == [(50, "10"), (10, "11")]


def test_a_decimal_at_the_start_of_a_line_is_not_an_item():
    doc = plan("一、重点任务\n1.推进建设。\n2.5万个基站年内开通。\n2.加快应用。\n")
    assert [t["number"] for t in doc["tasks"]] == ["1", "2"]
    assert doc["tasks"][1]["title"] == "加快应用"


@pytest.mark.parametrize(
    ("content", "lead", "units"),
    [
        (
            "牵头单位:市发展改革委,配合单位:市委组织部,各区、县级市",
            ["市发展改革委"],
            ["市发展改革委", "市委组织部", "各区", "各县级市"],
        ),
        (
            "牵头单位:市农业局,配合单位:市科协,各有关区、县级市",
            ["市农业局"],
            ["市农业局", "市科协", "各有关区", "各有关县级市"],
        ),
        (
            "牵头单位:市教育局,配合单位:各区、县级市政府",
            ["市教育局"],
            ["市教育局", "各区政府", "各县级市政府"],
        ),
        (
            "牵头单位:市民政局,配合单位:市公安消防局,各有关区、县级市政府",
            ["市民政局"],
            ["市民政局", "市公安消防局", "各有关区政府", "各有关县级市政府"],
        ),
    ],
)
def test_each_distributes_over_a_list_of_levels(content, lead, units):
    assert parse_unit_list(content) == (lead, units)


@pytest.mark.parametrize(
    ("content", "units"),
    [
        (
            "牵头单位:市人力资源和社会保障局,配合单位:市工商局、市金融办、团市委",
            ["市人力资源和社会保障局", "市工商局", "市金融办", "团市委"],
        ),
        ("牵头单位:市总工会、团市委、市妇联", ["市总工会", "团市委", "市妇联"]),
        (
            "牵头单位:市经贸委,配合单位:市人力资源和社会保障局、市工商联",
            ["市经贸委", "市人力资源和社会保障局", "市工商联"],
        ),
        ("牵头单位:市科协,配合单位:市发展改革委", ["市科协", "市发展改革委"]),
        ("牵头单位:市委组织部,配合单位:市财政局、越秀区", ["市委组织部", "市财政局", "越秀区"]),
        ("牵头单位:市科技和信息化局,配合单位:市质监局、各园区", ["市科技和信息化局", "市质监局", "各园区"]),
        ("牵头单位:市委组织部,配合单位:各项目牵头单位,各区", ["市委组织部", "各项目牵头单位", "各区"]),
    ],
)
def test_bodies_that_end_unlike_a_bureau_are_units(content, units):
    assert parse_unit_list(content)[1] == units


@pytest.mark.parametrize("zone", ["示范区", "先行区", "自贸区", "集聚区"])
def test_a_kind_of_zone_is_not_a_district(zone):
    assert parse_unit_list(f"牵头单位:市发展改革委,配合单位:{zone}")[1] == ["市发展改革委"]


def test_a_label_word_inside_a_collective_does_not_make_it_lead():
    lead, _ = parse_unit_list("牵头单位:市委组织部,配合单位:各项目牵头单位,各区")
    assert lead == ["市委组织部"]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("5年内重点评选资助200名技能突出人才。", 200, "名"),
        ("每年选拔资助不少于100名青年科技人员。", 100, "名"),
        ("每年为困难老年人提供1次定点免费体检。", 1, "次"),
        ("年均开发2万个以上的公益性公共服务岗位。", 20000, "个"),
        ("每个城镇社区拥有3个以上的社区社会组织。", 3, "个"),
        ("50%以上的专利由企业申请。", 50, "%"),
    ],
)
def test_counts_of_people_supported_and_shares_are_targets(text, value, unit):
    assert [(t["value"], t["unit"]) for t in item_targets(text)] == [(value, unit)]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("培育5家以上年销售收入过百亿元、2家以上年销售收入达500亿元的高新技术企业。", [5, 2]),
        ("各区至少有1所200张床位以上的省二级以上养老机构。", [1]),
        ("市、区和1万名老人以上的街（镇）各建有1个综合性居家养老服务示范中心。", [1]),
        ("将收入线标准由家庭年人均可支配收入9600元以下提高到15600元以下。", [15600]),
        ("按照每3至10万居民规划设置社区卫生服务中心。", []),
        ("城乡三项基本医疗保险参保率达到95%以上。", [95]),
        ("加强“五个一”工程建设（一个家庭综合服务中心、一个文化活动中心）。", []),
        ("最高给予5000万元资助。", []),
    ],
)
def test_thresholds_baselines_and_names_are_not_targets(text, values):
    assert [t["value"] for t in item_targets(text)] == values


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit"),
    [
        ("坚持每年确定一至两项重要工作开展专题视察。", 1, 2, "项"),
        ("按园区陆地面积5%－10%的比例设置儿童户外公共活动场地。", 5, 10, "%"),
        ("建成1~2所国家示范性高等职业院校。", 1, 2, "所"),
        ("建成一个具有国际领先水平的国家级超级计算中心。", 1, None, "个"),
    ],
)
def test_ranges_and_chinese_counts(text, value, value_max, unit):
    got = item_targets(text)
    assert [(t["value"], t["value_max"], t["unit"]) for t in got] == [(value, value_max, unit)]


@pytest.mark.parametrize(
    ("text", "comparator"),
    [
        ("各区（县级市）建有1所公办职业技能培训学校。", ">="),
        ("准入标准不低于我市上年度城镇家庭年人均可支配收入的60%。", ">="),
        ("各区至少有1所三级甲等综合医院。", ">="),
    ],
)
def test_comparators_of_complete_plans(text, comparator):
    assert [t["comparator"] for t in item_targets(text)] == [comparator]


def test_a_goal_item_carries_its_deadline_to_the_goal_paragraphs_below_it():
    doc = plan(
        "一、发展目标\n1.实施创新驱动战略。打造华南科技创新中心，到2015年将广州建设成为国家创新型城市。\n"
        "创新型企业集群发展壮大。大中型工业企业设立研发机构的比例达35%。\n"
        "二、主要任务\n2.建设重大创新平台。建设15家以上国家级科技企业孵化器。（牵头单位：市科技和信息化局）\n"
    )
    assert [(t["value"], t["year"], t["task_number"]) for t in doc["targets"]] == [
        (35, 2015, "1"),
        (15, None, "2"),
    ]


def test_a_number_opening_an_item_named_as_a_project_is_its_name():
    doc = plan("一、重点项目\n1.人才引进项目。\n2.121人才梯队项目。培养不少于10名后备人才。\n")
    assert [(t["value"], t["task_number"]) for t in doc["targets"]] == [(10, "2")]


# ---- round 4 (docs/parsing.md): conventions of plans of other provinces and cities ----------


def test_the_rating_of_what_a_figure_counts_is_part_of_its_target():
    got = item_targets("新增上线投运2.5kW标准机架约30万个，建设100Gbps骨干网络2条，新增光伏装机200万千瓦。")
    assert [(t["text"], t["value"], t["unit"]) for t in got] == [
        ("新增上线投运2.5kW标准机架约30万个", 300000, "个"),
        ("建设100Gbps骨干网络2条", 2, "条"),
        ("新增光伏装机200万千瓦", 2000000, "千瓦"),
    ]


@pytest.mark.parametrize(
    ("deadline", "year"),
    [("到“十四五”末", 2025), ("到十四五期末", 2025), ("“十三五”末", 2020), ("到“十五五”时期末", 2030)],
)
def test_the_end_of_a_five_year_plan_is_a_deadline(deadline, year):
    got = item_targets(f"确保{deadline}，新增数据中心机架1万个。")
    assert [(t["value"], t["year"]) for t in got] == [(10000, year)]


def test_the_five_year_plan_period_itself_is_no_deadline():
    assert [t["year"] for t in item_targets("“十四五”时期，新增数据中心机架1万个。")] == [None]


def test_an_amount_in_chinese_numerals_after_a_comparator_is_a_target():
    got = item_targets("力争实现全市8大重点产业集群总量超过五千亿规模，培育形成2个千亿级产业集群。")
    assert [(t["value"], t["comparator"]) for t in got] == [(500_000_000_000, ">"), (2, "=")]
    assert "五千亿" in got[0]["text"] and "8大" in got[0]["text"]


def test_a_price_the_plan_sets_is_not_a_target():
    assert item_targets("产业园区土地出让起始价确定为36万元/亩左右。") == []


@pytest.mark.parametrize(
    ("content", "units"),
    [
        ("责任单位:立山经济开发区,全区经济运行各专班", ["立山经济开发区", "全区经济运行各专班"]),
        ("牵头单位:市发展改革委,配合单位:南沙新区、各区政府", ["市发展改革委", "南沙新区", "各区政府"]),
        (
            "牵头单位:区财政局,配合单位:高新技术产业开发区、综合保税区",
            ["区财政局", "高新技术产业开发区", "综合保税区"],
        ),
    ],
)
def test_development_zones_and_task_forces_named_as_units(content, units):
    assert parse_unit_list(content)[1] == units


def test_unit_lines_of_a_task_allocation_list_read_zones_and_task_forces():
    doc = plan(
        "一、主要预期目标\n\n1.努力实现地区生产总值增长6.2%左右。\n\n牵头单位:区发改局\n\n"
        "责任单位:立山经济开发区,全区经济运行各专班\n\n2.固定资产投资增长15%左右。\n\n牵头单位:区发改局\n\n"
        "责任单位:立山经济开发区,各街道、区直各部门\n"
    )
    assert [(t["lead_units"], t["all_units"]) for t in doc["tasks"]] == [
        (["区发改局"], ["区发改局", "立山经济开发区", "全区经济运行各专班"]),
        (["区发改局"], ["区发改局", "立山经济开发区", "各街道", "区直各部门"]),
    ]
    assert not [f for t in doc["tasks"] for f in t["flags"] if f["kind"] == "partial_responsibility"]
