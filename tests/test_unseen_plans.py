"""Plans the parser was not developed on parse to their hand-made gold (tests/data/unseen).

Two parts (docs/parsing.md lists the sources): the tuning part in tests/data/unseen, which the
rules were developed against, and the held-out part in tests/data/unseen/heldout, which was
scored once after the fixes. The held-out test guards a floor below the measured scores; it
does not pretend the parser is exact on plans it was not tuned on.
"""

import json
from pathlib import Path

import pytest

from newinfra.parsing import parse_text
from newinfra.parsing.scoring import KINDS, score, score_corpus

UNSEEN = Path(__file__).parent / "data" / "unseen"
TUNING = sorted(UNSEEN.glob("*.txt"))
HELDOUT = sorted((UNSEEN / "heldout").glob("*.txt"))


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
