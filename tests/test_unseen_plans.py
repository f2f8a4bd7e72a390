"""Plans the parser was not developed on parse to their hand-made gold (tests/data/unseen)."""

import json
from pathlib import Path

import pytest

from newinfra.parsing import parse_text
from newinfra.parsing.scoring import score

UNSEEN = Path(__file__).parent / "data" / "unseen"
DOCS = sorted(UNSEEN.glob("*.txt"))


@pytest.fixture(params=DOCS, ids=[d.stem for d in DOCS])
def doc(request) -> Path:
    return request.param


def test_corpus_present():
    assert len(DOCS) >= 3
    for d in DOCS:
        assert (UNSEEN / "gold" / (d.stem + ".json")).exists(), d.name


def test_unseen_plan_scores(doc):
    gold = json.loads((UNSEEN / "gold" / (doc.stem + ".json")).read_text(encoding="utf-8"))
    plan = parse_text(doc.read_text(encoding="utf-8"), doc.name).to_dict()
    s = score(plan, gold)
    f1 = {k: round(s[k].f1, 3) for k in ("tasks", "units", "leads", "targets")}
    msg = (
        f"{doc.name}: F1 {f1}, comparator+year accuracy {s['comparator_and_year_accuracy']:.2f}; "
        f"missed units {s['missed_units']}; extra units {s['extra_units']}; "
        f"missed targets {[t['text'] for t in s['missed_targets']]}; "
        f"extra targets {[(t['text'], t['value'], t['task_number']) for t in s['extra_targets']]}"
    )
    assert s["tasks"].f1 >= 0.9, msg
    assert s["units"].f1 >= 0.9, msg
    assert s["targets"].f1 >= 0.9, msg
