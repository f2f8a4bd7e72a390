"""Plans the parser was not developed on parse to their hand-made gold (tests/data/unseen).

Two corpora (docs/parsing.md lists the sources), each with a tuning and a held-out part:
excerpts of real plans (tests/data/unseen, tests/data/unseen/heldout), complete plans as
published (tests/data/unseen/complete, tests/data/unseen/complete/heldout) and the fresh
excerpts of rounds 4 and 5 (tests/data/unseen/round4, tests/data/unseen/round5 and their heldout/
folders). The rules were
developed against the tuning parts; each held-out part was scored once after the fixes. The
held-out tests guard a floor below the measured scores; they do not pretend the parser is exact
on plans it was not tuned on.
"""

import json
from pathlib import Path

import pytest

from newinfra.parsing import parse_text
from newinfra.parsing.scoring import KINDS, score, score_corpus

UNSEEN = Path(__file__).parent / "data" / "unseen"
TUNING = sorted(UNSEEN.glob("*.txt"))
HELDOUT = sorted((UNSEEN / "heldout").glob("*.txt"))
COMPLETE = sorted((UNSEEN / "complete").glob("*.txt"))
COMPLETE_HELDOUT = sorted((UNSEEN / "complete" / "heldout").glob("*.txt"))
ROUND4 = sorted((UNSEEN / "round4").glob("*.txt"))
ROUND4_HELDOUT = sorted((UNSEEN / "round4" / "heldout").glob("*.txt"))
ROUND5 = sorted((UNSEEN / "round5").glob("*.txt"))
ROUND5_HELDOUT = sorted((UNSEEN / "round5" / "heldout").glob("*.txt"))


def pair(doc: Path) -> tuple[dict, dict]:
    gold = json.loads((doc.parent / "gold" / (doc.stem + ".json")).read_text(encoding="utf-8"))
    return parse_text(doc.read_text(encoding="utf-8"), doc.name).to_dict(), gold


def test_corpus_present():
    assert len(TUNING) + len(HELDOUT) >= 15
    assert len(HELDOUT) * 3 >= len(TUNING) + len(HELDOUT) - 3  # a third of the real plans
    for d in TUNING + HELDOUT:
        gold = json.loads((d.parent / "gold" / (d.stem + ".json")).read_text(encoding="utf-8"))
        assert gold["doc"] == d.name
        for t in gold["targets"]:
            assert t["text"] in d.read_text(encoding="utf-8"), (d.name, t["text"])
    scripts = [
        json.loads((d.parent / "gold" / (d.stem + ".json")).read_text())["script"] for d in TUNING + HELDOUT
    ]
    assert scripts.count("traditional") >= 3


@pytest.mark.parametrize("doc", TUNING, ids=[d.stem for d in TUNING])
def test_tuning_plan_scores(doc):
    plan, gold = pair(doc)
    s = score(plan, gold)
    f1 = {k: round(s[k].f1, 3) for k in KINDS}
    msg = (
        f"{doc.name}: F1 {f1}, comparator+year accuracy {s['comparator_and_year_accuracy']:.2f}; "
        f"missed units {s['missed_units']}; extra units {s['extra_units']}; "
        f"missed targets {[t['text'] for t in s['missed_targets']]}; "
        f"extra targets {[(t['text'], t['value'], t['task_number']) for t in s['extra_targets']]}"
    )
    for k in KINDS:
        assert s[k].f1 >= 0.9, msg


def test_tuning_part_as_a_whole():
    total = score_corpus(pair(d) for d in TUNING)
    assert all(total[k].f1 >= 0.98 for k in KINDS), {k: total[k].f1 for k in KINDS}
    assert total["comparator_and_year_accuracy"] >= 0.95


def test_heldout_part_stays_above_its_floor():
    """The held-out part (round 3 in docs/parsing.md) was scored once, after the last fix:
    tasks 0.714, units 0.000, leads 0.000, targets 0.652, comparator+year 0.800. Floors sit
    below those figures so that a later change may not make the parser worse on texts nobody
    tuned it on. Its two units sit in one text whose item marker arrived as mojibake, so units
    and leads get no floor: there is nothing a floor could guard."""
    total = score_corpus(pair(d) for d in HELDOUT)
    assert total["tasks"].f1 >= 0.65, total["tasks"]
    assert total["targets"].f1 >= 0.6, total["targets"]
    assert total["comparator_and_year_accuracy"] >= 0.7


# ---- complete plans ---------------------------------------------------------------------------


def test_complete_corpus_present():
    docs = COMPLETE + COMPLETE_HELDOUT
    assert len(docs) >= 6
    assert len(COMPLETE_HELDOUT) * 3 >= len(docs)  # a third of the complete plans held out
    for d in docs:
        text = d.read_text(encoding="utf-8")
        gold = json.loads((d.parent / "gold" / (d.stem + ".json")).read_text(encoding="utf-8"))
        assert gold["doc"] == d.name
        assert len(text.encode("utf-8")) >= 10_000, d.name  # a whole plan, not an excerpt
        for t in gold["targets"]:
            assert t["text"] in text, (d.name, t["text"])
    assert (
        sum(len(json.loads((d.parent / "gold" / (d.stem + ".json")).read_text())["tasks"]) for d in docs)
        >= 150
    )


def explain(doc, s, units: int | None = None) -> str:
    """What a failing score missed and added, for the assertion message."""
    return (
        f"{doc.name}: F1 { {k: round(s[k].f1, 3) for k in KINDS} }; missed units {s['missed_units'][:units]}; "
        f"extra units {s['extra_units'][:units]}; missed targets {[t['text'] for t in s['missed_targets']]}; "
        f"extra targets {[(t['text'], t['value'], t['task_number']) for t in s['extra_targets']]}"
    )


@pytest.mark.parametrize("doc", COMPLETE, ids=[d.stem for d in COMPLETE])
def test_complete_tuning_plan_scores(doc):
    plan, gold = pair(doc)
    s = score(plan, gold)
    msg = explain(doc, s, units=10)
    for k in KINDS:
        assert s[k].f1 >= 0.95, msg


def test_complete_tuning_part_as_a_whole():
    """Measured at f6308ce: tasks, units and leads 1.000, targets 0.986, comparator+year 0.965
    (before the complete-plan rules, at 7a22c8f: 0.879, 0.744, 0.848, 0.700, 0.739)."""
    total = score_corpus(pair(d) for d in COMPLETE)
    assert all(total[k].f1 >= 0.98 for k in KINDS), {k: total[k].f1 for k in KINDS}
    assert total["comparator_and_year_accuracy"] >= 0.95


def test_complete_heldout_part_stays_above_its_floor():
    """The complete held-out part was scored once, at f6308ce, after the last parser change:
    tasks, units and leads 1.000, targets 0.828, comparator+year 0.750 (at 7a22c8f: 1.000, 1.000,
    1.000, 0.500, 0.833). Floors sit below those figures."""
    total = score_corpus(pair(d) for d in COMPLETE_HELDOUT)
    for k in ("tasks", "units", "leads"):
        assert total[k].f1 >= 0.95, (k, total[k])
    assert total["targets"].f1 >= 0.75, total["targets"]
    assert total["comparator_and_year_accuracy"] >= 0.65


# ---- rounds 4 and 5: fresh real plans of other provinces, cities and counties -----------------

# Rounds of fresh excerpts: (tuning texts, held-out texts, least Traditional texts, notes required)
ROUNDS = {
    "round4": (ROUND4, ROUND4_HELDOUT, 2, False),
    "round5": (ROUND5, ROUND5_HELDOUT, 3, True),
}


@pytest.mark.parametrize("name", ROUNDS)
def test_round_corpus_present(name):
    tuning, heldout, traditional, notes = ROUNDS[name]
    docs = tuning + heldout
    assert len(docs) >= 8
    assert len(heldout) * 3 >= len(docs)  # a third held out
    scripts = []
    for d in docs:
        text = d.read_text(encoding="utf-8")
        gold = json.loads((d.parent / "gold" / (d.stem + ".json")).read_text(encoding="utf-8"))
        assert gold["doc"] == d.name and gold["source"]
        assert gold.get("notes") or not notes, d.name
        for t in gold["targets"]:
            assert t["text"] in text, (d.name, t["text"])
        for t in gold["tasks"]:
            assert t["responsibility_raw"] in text, (d.name, t["responsibility_raw"])
        scripts.append(gold["script"])
    assert scripts.count("traditional") >= traditional


@pytest.mark.parametrize("doc", ROUND4 + ROUND5, ids=[f"{d.parent.name}/{d.stem}" for d in ROUND4 + ROUND5])
def test_round_tuning_plan_scores(doc):
    plan, gold = pair(doc)
    s = score(plan, gold)
    msg = explain(doc, s)
    for k in KINDS:
        assert s[k].f1 >= 0.9, msg


def test_round4_tuning_part_as_a_whole():
    """Before the round-4 rules (at deb4867): tasks 1.000, units 0.848, leads 1.000, targets
    0.920, comparator+year 0.957; after them 1.000 on every kind."""
    total = score_corpus(pair(d) for d in ROUND4)
    assert all(total[k].f1 >= 0.98 for k in KINDS), {k: total[k].f1 for k in KINDS}
    assert total["comparator_and_year_accuracy"] >= 0.95


def test_round4_heldout_part_stays_above_its_floor():
    """The round-4 held-out part was scored before any change (deb4867) and once at the end:
    tasks, units and leads 1.000, targets 0.905, comparator+year 1.000 both times (its one unit
    list has no lead). Floors sit below those figures."""
    total = score_corpus(pair(d) for d in ROUND4_HELDOUT)
    for k in ("tasks", "units"):
        assert total[k].f1 >= 0.95, (k, total[k])
    assert total["targets"].f1 >= 0.85, total["targets"]
    assert total["comparator_and_year_accuracy"] >= 0.9


# ---- round 5: fresh real plans of other places ------------------------------------------------


def test_round5_tuning_part_as_a_whole():
    """First scoring (at fafc4fb, before any round-5 rule): tasks 0.933, units 0.987, leads
    1.000, targets 1.000, comparator+year 1.000 (an image file name read as item 640; 宁波海关 not
    read as a unit). After the round-5 rules 1.000 on every kind."""
    total = score_corpus(pair(d) for d in ROUND5)
    assert all(total[k].f1 >= 0.98 for k in KINDS), {k: total[k].f1 for k in KINDS}
    assert total["comparator_and_year_accuracy"] >= 0.95


def test_round5_heldout_part_stays_above_its_floor():
    """The round-5 held-out part was scored before any change (fafc4fb) and once at the end
    (eb5724e): tasks 1.000, units 0.800, leads 1.000 (it has no lead unit), targets 1.000,
    comparator+year 1.000 both times. Floors sit below those figures."""
    total = score_corpus(pair(d) for d in ROUND5_HELDOUT)
    msg = "; ".join(explain(d, score(*pair(d))) for d in ROUND5_HELDOUT)
    assert total["tasks"].f1 >= 0.95, msg
    assert total["units"].f1 >= 0.75, msg
    assert total["targets"].f1 >= 0.95, msg
    assert total["comparator_and_year_accuracy"] >= 0.95, msg
