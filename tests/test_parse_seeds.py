"""Both Guangzhou plans parse to their hand-made gold."""

from conftest import gold_for

from newinfra.parsing import parse_text
from newinfra.parsing.scoring import score


def parsed(seed):
    return parse_text(seed.read_text(encoding="utf-8"), seed.name).to_dict()


def test_scores_meet_the_bar(seed):
    s = score(parsed(seed), gold_for(seed))
    assert s["tasks"].f1 >= 0.98
    assert s["units"].f1 >= 0.95
    assert s["targets"].f1 >= 0.92
    assert s["comparator_and_year_accuracy"] >= 0.90


def test_tasks_equal_gold(seed):
    gold = gold_for(seed)
    plan = parsed(seed)
    fields = ("number", "title", "section", "lead_units", "all_units", "responsibility_raw")
    fields += ("deadline", "deadline_date")
    got = [tuple(t[f] for f in fields) for t in plan["tasks"]]
    want = [tuple(t[f] for f in fields) for t in gold["tasks"]]
    assert got == want


def test_targets_equal_gold(seed):
    gold = gold_for(seed)
    plan = parsed(seed)
    fields = ("value", "value_max", "unit", "comparator", "year", "per_year", "task_number")
    got = [tuple(t[f] for f in fields) for t in plan["targets"]]
    want = [tuple(t[f] for f in fields) for t in gold["targets"]]
    assert got == want
    # Where a span starts is partly taste (the gold itself varies: 推动建设1个… / 推动形成50个…),
    # so a span must hold the gold span or lie within it, and differ by a few characters at most.
    for t, g in zip(plan["targets"], gold["targets"], strict=True):
        assert g["text"] in t["text"] or t["text"] in g["text"], (t["text"], g["text"])
        assert abs(len(t["text"]) - len(g["text"])) <= 16, (t["text"], g["text"])


def test_sections_equal_gold(seed):
    gold = gold_for(seed)
    plan = parsed(seed)
    assert [(s["number"], s["title"], s["parent"]) for s in plan["sections"]] == [
        (s["number"], s["title"], s.get("parent")) for s in gold["sections"]
    ]


def test_script_title_and_period(seed):
    gold = gold_for(seed)
    plan = parsed(seed)
    assert plan["script"] == gold["script"]
    assert plan["title"] == gold["title"]


def test_every_output_name_is_simplified_mainland(seed):
    plan = parsed(seed)
    names = [u for t in plan["tasks"] for u in t["all_units"]] + [t["title"] for t in plan["tasks"]]
    names += [t["indicator"] for t in plan["targets"]]
    text = "".join(names)
    for taiwan in ("網", "區", "套用", "智慧型", "最佳化", "捷運", "捷运", "网际网路", "伺服器", "数位"):
        assert taiwan not in text


def test_source_script_kept_in_verbatim_fields(seed):
    src = seed.read_text(encoding="utf-8")
    plan = parsed(seed)
    for t in plan["targets"]:
        assert t["text"] in src
    for t in plan["tasks"]:
        for raw in filter(None, t["responsibility_raw"].split(" | ")):
            assert raw in src
        assert t["text"] in src
