"""Robustness: the parser never raises, and what it quotes is really in the source."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newinfra.parsing import parse_text

# Pieces plans are made of, so that generated text reaches deep into every stage.
PIECES = [
    "一、",
    "二、",
    "十二、",
    "(一)",
    "（二）",
    "第三章 ",
    "第5条",
    "1.",
    "2、",
    "（3）",
    "①",
    "\n",
    "。",
    "，",
    "、",
    "；",
    "：",
    "(",
    ")",
    "（",
    "）",
    "责任单位:",
    "牵头单位：",
    "配合单位:",
    "牵头",
    "配合",
    "按职责分工负责",
    "市发展改革委",
    "工业和信息化局",
    "越秀",
    "南沙区政府",
    "各区政府",
    "等",
    "到2022年",
    "2021年底前",
    "截至2020年",
    "累计建成",
    "超过",
    "约",
    "不低于",
    "以上",
    "左右",
    "平均每年新建",
    "3.89万个",
    "5G基站",
    "1—2家",
    "两项",
    "1200亿元",
    "250万千瓦",
    "300万次/天",
    "PUE",
    "1.3",
    "〔2020〕10号",
    "4K/8K",
    "IPv6",
    "110千伏",
    "1+N",
    "——",
    "網際網路",
    "套用",
    "智慧型",
    "區政府",
    "牽頭",
    "當前位置:",
    "发表于:",
    "关注",
    " ",
    "\u3000",
    "\t",
]
plan_like = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_never_raises_on_arbitrary_text(text):
    parse_text(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_like)
def test_quoted_fields_are_substrings_of_the_source(text):
    plan = parse_text(text).to_dict()
    src = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    for target in plan["targets"]:
        assert target["text"] in src
        assert target["text"].strip() == target["text"]
        assert target["comparator"] in {">=", ">", "<", "<=", "~", "="}
        assert target["value_max"] is None or target["value_max"] > target["value"]
    for task in plan["tasks"]:
        for raw in filter(None, task["responsibility_raw"].split(" | ")):
            assert raw in src
        assert set(task["lead_units"]) <= set(task["all_units"])
        assert len(set(task["all_units"])) == len(task["all_units"])
        assert all(u.strip() for u in task["all_units"])
