"""Deadlines as written and as dates; flags where the parser is unsure; flags first in the ledger."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from newinfra.parsing import parse_text
from newinfra.parsing.deadlines import deadline_date, find_deadline
from newinfra.parsing.writers import render_markdown


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2024年底前", "2024-12-31"),
        ("2024年年底前", "2024-12-31"),
        ("2024年末", "2024-12-31"),
        ("2025年9月底前", "2025-09-30"),
        ("2024年2月底前", "2024-02-29"),  # a leap year
        ("2023年6月", "2023-06-30"),
        ("2024年6月15日前", "2024-06-15"),
        ("2024年上半年", "2024-06-30"),
        ("2024年下半年", "2024-12-31"),
        ("2025年一季度", "2025-03-31"),
        ("2025年第三季度", "2025-09-30"),
        ("2025年", "2025-12-31"),
        ("2023—2025年", "2025-12-31"),
        ("2024年十月底前", "2024-10-31"),
        ("２０２４年底前", "2024-12-31"),
        ("2023年底前完成试点，2025年底前全面推广", "2025-12-31"),
        ("持续推进", None),
        ("2023年起持续推进", None),  # a start, not a limit
        ("2023年开始试点，2025年底前完成", "2025-12-31"),
        ("长期", None),
        ("", None),
        ("6月底前", None),  # no year and none given
    ],
)
def test_deadline_date_is_the_last_day_of_the_period(written, date):
    assert deadline_date(written) == date


def test_a_time_limit_without_its_year_takes_the_plans_year():
    assert deadline_date("6月底前", 2024) == "2024-06-30"
    assert deadline_date("三季度", 2024) == "2024-09-30"


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("(市工业和信息化局牵头,2024年底前完成)", "2024年底前"),
        ("到2025年,建成5G基站8万座。", "2025年"),
        ("2022年实现主要政务场所全覆盖。", "2022年"),
        ("从2020年至2022年底,分三个阶段推进。", "2022年底"),
        ("截至2023年底,已建成5G基站3万座。", None),  # a figure already achieved
        ("2020年以来,累计建成基站2万座。", None),
        ("持续推进网络建设。", None),  # a verb in running text
    ],
)
def test_time_limit_of_running_text(text, deadline):
    assert find_deadline(text, ongoing=False) == deadline


def test_ongoing_time_limit_in_a_responsibility_statement():
    assert find_deadline("(市审批服务局牵头,持续推进)") == "持续推进"


def task(plan, n="1"):
    return next(t for t in plan["tasks"] if t["number"] == n)


PLAN = "\n".join(
    [
        "一、主要任务",
        "1.加快5G网络建设。到2025年,新建5G基站1.2万个。(市工业和信息化局牵头,市发展改革委配合;2024年底前完成)",
        "2.推进千兆光网覆盖。新建10G-PON端口2000个。",
        "3.建设算力调度平台。(市数据资源管理局牵头,2025年6月底前完成)",
        "4.提升数据中心能效。(市发展改革委牵头,确保取得明显成效)",
        "5.优化网络时延。骨干网络时延不超过10ms,城域网出口带宽达到40Tbps。(市工业和信息化局负责)",
    ]
)


def test_a_time_limit_in_the_responsibility_parenthesis_is_the_tasks():
    plan = parse_text(PLAN).to_dict()
    t = task(plan, "1")
    assert (t["deadline"], t["deadline_date"]) == ("2024年底前", "2024-12-31")
    assert t["lead_units"] == ["市工业和信息化局"]
    t = task(plan, "3")
    assert (t["deadline"], t["deadline_date"]) == ("2025年6月底前", "2025-06-30")


def kinds(item) -> list[str]:
    return [f["kind"] for f in item["flags"]]


def test_a_task_without_units_is_flagged():
    plan = parse_text(PLAN).to_dict()
    assert kinds(task(plan, "2"))[:1] == ["no_units"]
    assert "no_units" not in kinds(task(plan, "1"))


def test_an_unknown_unit_is_flagged_with_the_nearest_known_name():
    plan = parse_text(PLAN).to_dict()
    flags = [f for f in task(plan, "3")["flags"] if f["kind"] == "unknown_unit"]
    assert [f["span"] for f in flags] == ["市数据资源管理局"]
    assert "最接近的是“市政务服务数据管理局”" in flags[0]["message"]
    assert "unknown_unit" not in kinds(task(plan, "1"))  # both units are in the table


OTHER_CITY = (
    "一、主要任务\n1.加快5G网络建设。(区发改局牵头,区财政局、立山经济开发区、税务局配合)\n"
    "2.推进数据共享。(市数据资源管理局牵头,市府办配合)\n"
)


def test_a_unit_of_another_city_written_as_a_unit_is_only_a_note():
    """The organisation table holds the registered cities' units: a well-formed name of another
    city's bureau is unknown but not doubtful, so its flag is for reference only."""
    plan = parse_text(OTHER_CITY).to_dict()
    flags = [f for f in task(plan, "1")["flags"] if f["kind"] == "unknown_unit"]
    assert [(f["span"], f["severity"]) for f in flags] == [
        ("区发改局", "info"),
        ("区财政局", "info"),  # not offered 市财政局: another level
        ("立山经济开发区", "info"),
        ("区税务局", "info"),  # the leading 区 distributes over the list
    ]
    assert all("最接近" not in f["message"] for f in flags)


def test_a_name_close_to_a_known_unit_of_its_level_stays_a_warning():
    plan = parse_text(OTHER_CITY).to_dict()
    flags = {f["span"]: f for f in task(plan, "2")["flags"] if f["kind"] == "unknown_unit"}
    assert flags["市数据资源管理局"]["severity"] == "warning"
    assert "最接近的是“市政务服务数据管理局”" in flags["市数据资源管理局"]["message"]
    assert all(f["severity"] in ("warning", "info") for t in plan["tasks"] for f in t["flags"])


def test_markdown_lists_notes_after_the_doubts():
    md = render_markdown([parse_text(OTHER_CITY, "p.txt").to_dict()])
    assert md.index("## 待核实") < md.index("## 仅供参考") < md.index("| 序号")
    doubts = md[md.index("## 待核实") : md.index("## 仅供参考")]
    assert "市数据资源管理局" in doubts and "区发改局" not in doubts


def test_a_partly_read_responsibility_statement_is_flagged():
    plan = parse_text(PLAN).to_dict()
    flags = [f for f in task(plan, "4")["flags"] if f["kind"] == "partial_responsibility"]
    assert len(flags) == 1 and "确保取得明显成效" in flags[0]["message"]
    assert flags[0]["span"] == "(市发展改革委牵头,确保取得明显成效)"
    assert "partial_responsibility" not in kinds(task(plan, "5"))  # read whole
    # A time limit taken for a unit is said to be doubtful.
    for t in plan["tasks"]:
        for unit in t["all_units"]:
            if unit.endswith("完成"):
                assert any(unit in f["message"] for f in t["flags"] if f["kind"] == "partial_responsibility")


def test_a_target_without_a_year_is_flagged():
    plan = parse_text(PLAN).to_dict()
    by_value = {t["value"]: t for t in plan["targets"]}
    assert kinds(by_value[12000]) == []
    assert kinds(by_value[2000]) == ["no_year"]


def test_a_figure_left_out_is_flagged_and_one_taken_is_not():
    text = "一、主要任务\n1.优化网络。城域网出口带宽达到40Tbps,建成数据中心3个。(市工业和信息化局负责)"
    plan = parse_text(text).to_dict()
    taken = {t["text"] for t in plan["targets"]}
    left = [f["span"] for f in task(plan)["flags"] if f["kind"] == "figure_left_out"]
    for span in left:
        assert not any(span in t for t in taken)
    if not any("40Tbps" in t for t in taken):
        assert "40Tbps" in left
    assert "3个" not in left


def test_achieved_figures_are_not_flagged():
    text = "一、发展基础\n截至2023年底,已建成5G基站3万座。\n二、主要任务\n1.加快建设。(市工业和信息化局负责)"
    plan = parse_text(text).to_dict()
    assert plan["flags"] == []
    assert plan["targets"] == []


def test_markdown_lists_the_flags_first():
    plan = parse_text(PLAN, "p.txt").to_dict()
    md = render_markdown([plan])
    assert "## 待核实" in md
    assert md.index("## 待核实") < md.index("| 序号")
    assert "- 任务 2「推进千兆光网覆盖」：没有找到这项任务的责任单位" in md


def test_every_task_and_target_of_the_seeds_carries_the_new_fields():
    for seed in SEEDS:
        plan = parse_text(seed.read_text(encoding="utf-8")).to_dict()
        for t in plan["tasks"]:
            assert t["deadline_date"] == deadline_date(t["deadline"])
            assert isinstance(t["flags"], list)
        for t in plan["targets"]:
            assert all(set(f) == {"kind", "message", "span", "severity"} for f in t["flags"])
            assert ("no_year" in kinds(t)) == (t["year"] is None)


def test_the_count_of_a_list_just_named_is_not_a_figure_left_out():
    text = "一、主要任务\n1.提升实验室水平。提升甲实验室、乙实验室等4家省实验室科研水平。(市科技局负责)"
    plan = parse_text(text).to_dict()
    assert "figure_left_out" not in kinds(task(plan))


@pytest.mark.parametrize(
    ("raw", "residue"),
    [
        ("(市工业和信息化局牵头,市发展改革委配合;2024年底前完成)", []),
        ("(越秀、白云、南沙区政府按职责分工负责)", []),
        ("〔市大数据局牵头,各市〔州〕人民政府负责〕", []),
        ("(以下任务均涉及各市〔州〕,除专门列出外不再重复)", []),  # a remark about the list
        ("(市发展改革委牵头,确保取得明显成效)", ["确保取得明显成效"]),
        ("(市审批服务局牵头,5月底取得明显成效并持续推进)", []),  # a time limit with its wording
    ],
)
def test_responsibility_residue(raw, residue):
    from newinfra.parsing.flags import responsibility_residue

    assert responsibility_residue(raw, "simplified") == residue
