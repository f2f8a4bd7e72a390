"""Scores a parse against a hand-made gold parse: task, unit and target F1.

Matching rules, so that scores mean the same thing every time:
- a task matches a gold task with the same number (the n-th occurrence of a number matches the
  n-th, for plans that restart numbering per section);
- a unit is a (task, unit name) pair; names compare without spaces and punctuation;
- a target matches a gold target of the same task with the same value and upper bound whose
  text overlaps it (one contains the other, or they share most characters); each gold target is
  matched at most once. Comparator and year are then checked on the matched pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PUNCT = re.compile(r"[\s,，、。;；:：()（）“”\"'‘’《》〈〉\[\]【】—\-·]")


def _norm(s: str) -> str:
    return _PUNCT.sub("", s or "")


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _task_keys(tasks: list[dict]) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    keys = []
    for t in tasks:
        n = str(t["number"])
        seen[n] = seen.get(n, 0) + 1
        keys.append((n, seen[n]))
    return keys


def _overlap(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    common = sum(1 for ch in set(a) if ch in b)
    return common / max(1, min(len(set(a)), len(set(b)))) >= 0.6


def _same_value(x, y) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return abs(float(x) - float(y)) <= 1e-9 * max(1.0, abs(float(y)))


def score(pred: dict, gold: dict) -> dict:
    pk = dict(zip(_task_keys(pred["tasks"]), pred["tasks"], strict=True))
    gk = dict(zip(_task_keys(gold["tasks"]), gold["tasks"], strict=True))
    tasks = Score(len(pk.keys() & gk.keys()), len(pk.keys() - gk.keys()), len(gk.keys() - pk.keys()))

    def unit_pairs(keyed: dict) -> set:
        return {(k, _norm(u)) for k, t in keyed.items() for u in t.get("all_units", [])}

    def lead_pairs(keyed: dict) -> set:
        return {(k, _norm(u)) for k, t in keyed.items() for u in t.get("lead_units", [])}

    pu, gu = unit_pairs(pk), unit_pairs(gk)
    units = Score(len(pu & gu), len(pu - gu), len(gu - pu))
    pl, gl = lead_pairs(pk), lead_pairs(gk)
    leads = Score(len(pl & gl), len(pl - gl), len(gl - pl))

    unmatched = list(gold["targets"])
    matched: list[tuple[dict, dict]] = []
    extra: list[dict] = []
    for t in pred["targets"]:
        hit = next(
            (
                g
                for g in unmatched
                if str(g.get("task_number")) == str(t.get("task_number"))
                and _same_value(t["value"], g["value"])
                and _same_value(t.get("value_max"), g.get("value_max"))
                and _overlap(t["text"], g["text"])
            ),
            None,
        )
        if hit is None:
            extra.append(t)
        else:
            unmatched.remove(hit)
            matched.append((t, hit))
    targets = Score(len(matched), len(extra), len(unmatched))
    comparator_ok = sum(1 for t, g in matched if t["comparator"] == g["comparator"])
    year_ok = sum(1 for t, g in matched if t.get("year") == g.get("year"))
    both_ok = sum(
        1 for t, g in matched if t["comparator"] == g["comparator"] and t.get("year") == g.get("year")
    )
    n = len(matched)

    def share(ok: int) -> float:
        return ok / n if n else 1.0  # nothing matched: nothing to get wrong

    return {
        "tasks": tasks,
        "units": units,
        "leads": leads,
        "targets": targets,
        "comparator_accuracy": share(comparator_ok),
        "year_accuracy": share(year_ok),
        "comparator_and_year_accuracy": share(both_ok),
        "missed_targets": unmatched,
        "extra_targets": extra,
        "wrong_attributes": [
            (t, g) for t, g in matched if t["comparator"] != g["comparator"] or t.get("year") != g.get("year")
        ],
        "missed_units": sorted(gu - pu),
        "extra_units": sorted(pu - gu),
    }


KINDS = ("tasks", "units", "leads", "targets")


def score_corpus(pairs) -> dict:
    """Micro-averaged scores over (parse, gold) pairs: every task, unit and target of every plan
    counts once, so a long plan weighs more than a short one."""
    total = {k: Score(0, 0, 0) for k in KINDS}
    matched = comparator_and_year = 0
    for pred, gold in pairs:
        s = score(pred, gold)
        for k in KINDS:
            total[k] = Score(total[k].tp + s[k].tp, total[k].fp + s[k].fp, total[k].fn + s[k].fn)
        matched += s["targets"].tp
        comparator_and_year += round(s["comparator_and_year_accuracy"] * s["targets"].tp)
    total["comparator_and_year_accuracy"] = comparator_and_year / matched if matched else 1.0
    return total


def score_directory(directory) -> tuple[list[tuple[str, dict]], dict]:
    """Parse every ``*.txt`` of ``directory`` and score it against ``directory/gold/<stem>.json``:
    (per-plan scores, corpus scores)."""
    import json
    from pathlib import Path

    from .pipeline import parse_text

    per_plan, pairs = [], []
    for doc in sorted(Path(directory).glob("*.txt")):
        gold = json.loads((doc.parent / "gold" / (doc.stem + ".json")).read_text(encoding="utf-8"))
        pred = parse_text(doc.read_text(encoding="utf-8"), doc.name).to_dict()
        per_plan.append((doc.stem, score(pred, gold)))
        pairs.append((pred, gold))
    return per_plan, score_corpus(pairs)


def main(argv=None) -> int:
    """``python -m newinfra.parsing.scoring DIR…``: F1 per plan and for each directory."""
    import sys

    for directory in argv if argv is not None else sys.argv[1:]:
        per_plan, total = score_directory(directory)
        for stem, s in per_plan:
            print(f"{stem:32} " + " ".join(f"{k}={s[k].f1:.2f}" for k in KINDS))
        print(
            f"{str(directory):32} "
            + " ".join(f"{k}={total[k].f1:.3f}" for k in KINDS)
            + f" comparator+year={total['comparator_and_year_accuracy']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
