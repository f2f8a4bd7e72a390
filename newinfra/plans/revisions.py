"""A revised file of a plan against the plan as it stands: what changes, and what conflicts.

Three versions of every field meet: what the parser read in the old file (``Plan.document``), what
the plan says now (the office's corrections included), and what the parser read in the new file.
Where the office did not correct a field, the new text wins. Where it did and the new text says
the same as the old, the correction is kept. Where both changed differently, it is a conflict the
office decides (``"office"`` keeps the correction, ``"revision"`` takes the new text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Origin, PlanRevision
from .proofreading import (
    TARGET_FIELDS,
    TASK_FIELDS,
    Names,
    current_target,
    current_task,
    db_target_keys,
    db_task_key,
    doc_target_keys,
    parsed_target,
    parsed_task,
    plan_targets,
    plan_tasks,
    same,
    show,
    task_key,
)


@dataclass
class Change:
    kind: str  # task | target
    action: str  # added | removed | changed
    label: str  # which task or target, as the page names it
    field: str = ""
    field_label: str = ""
    old: object = None
    new: object = None

    @property
    def old_text(self) -> str:
        return show(self.field, self.old)

    @property
    def new_text(self) -> str:
        return show(self.field, self.new)


@dataclass
class Conflict:
    key: str
    label: str
    field_label: str
    field: str
    office: object
    revision: object
    parsed_before: object

    @property
    def office_text(self) -> str:
        return show(self.field, self.office)

    @property
    def revision_text(self) -> str:
        return show(self.field, self.revision)


@dataclass
class RevisionPlan:
    document: dict
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)  # the office's corrections the new text leaves alone


def _merge(
    fields: dict, before: dict | None, now: dict | None, new: dict, key: str, label: str, decisions, out
):
    """The merged value of every field, appending changes (against ``now``) and conflicts."""
    merged = {}
    for f, flabel in fields.items():
        v2 = new[f]
        if now is None or before is None:
            merged[f] = v2
            continue
        v1, vc = before[f], now[f]
        if same(f, vc, v1) or same(f, v2, vc):
            result = v2
        elif same(f, v2, v1):
            result = vc  # the office's correction, and the new text did not touch the field
            out.kept.append(Change(key.split(":")[0], "kept", label, f, flabel, v1, vc))
        else:
            ckey = f"{key}:{f}"
            out.conflicts.append(Conflict(ckey, label, flabel, f, vc, v2, v1))
            result = v2 if decisions.get(ckey) == "revision" else vc
        merged[f] = result
        if not same(f, result, vc):
            out.changes.append(Change(key.split(":")[0], "changed", label, f, flabel, vc, result))
    return merged


def plan_revision(revision: PlanRevision, decisions: dict | None = None) -> RevisionPlan:
    decisions = decisions or {}
    plan = revision.plan
    names = Names()
    old_doc, new_doc = plan.document or {}, revision.document or {}
    out = RevisionPlan(document={**new_doc, "tasks": [], "targets": []})

    tasks = plan_tasks(plan)
    now_tasks = {db_task_key(t): t for t in tasks if t.origin == Origin.PARSER}
    old_tasks = {task_key(t): t for t in old_doc.get("tasks", [])}
    new_keys = set()
    for t2 in new_doc.get("tasks", []):
        k = task_key(t2)
        new_keys.add(k)
        label = f"任务 {t2['number']}. {t2.get('title', '')}"
        task = now_tasks.get(k)
        t1 = old_tasks.get(k)
        if task is None or not (task.is_active or t1 is not None):
            out.changes.append(Change("task", "added", label))
        now = current_task(task) if task is not None else None
        before = parsed_task(t1, names) if t1 is not None else None
        if task is not None and t1 is None:  # a task the old file did not have: the plan's is "before"
            before = now
        m = _merge(
            TASK_FIELDS, before, now, parsed_task(t2, names), f"task:{k[0]}:{k[1]}", label, decisions, out
        )
        out.document["tasks"].append(
            {
                **t2,
                "title": m["title"],
                "lead_units": list(m["lead"]),
                "all_units": list(dict.fromkeys([*m["lead"], *m["co"]])),
                "deadline": m["deadline"],
                "deadline_date": m["deadline_date"],
                "is_active": m["active"],
            }
        )
    for k, task in now_tasks.items():
        if k not in new_keys and task.is_active:
            out.changes.append(Change("task", "removed", f"任务 {task.number}. {task.title}"))

    targets = plan_targets(plan)
    parser_rows = [t for t in targets if t.origin == Origin.PARSER]
    now_targets = dict(zip(db_target_keys(parser_rows), parser_rows, strict=True))
    old_targets = dict(
        zip(doc_target_keys(old_doc.get("targets", [])), old_doc.get("targets", []), strict=True)
    )
    new_list = new_doc.get("targets", [])
    new_tkeys = doc_target_keys(new_list)
    for k, g2 in zip(new_tkeys, new_list, strict=True):
        label = f"目标 {g2.get('text', '')}"
        target = now_targets.get(k)
        g1 = old_targets.get(k)
        if target is None:
            out.changes.append(Change("target", "added", label))
        now = current_target(target) if target is not None else None
        before = parsed_target(g1, names) if g1 is not None else now
        m = _merge(
            TARGET_FIELDS,
            before,
            now,
            parsed_target(g2, names),
            f"target:{k[0]}:{k[1]}:{k[2]}",
            label,
            decisions,
            out,
        )
        out.document["targets"].append(
            {
                **g2,
                "indicator_as_written": g2.get("indicator", ""),
                "indicator": m["indicator"],
                "value": m["value"],
                "value_max": m["value_max"],
                "unit": m["unit"],
                "comparator": m["comparator"],
                "year": m["year"],
                "is_active": m["active"],
            }
        )
    kept = set(new_tkeys)
    for k, target in now_targets.items():
        if k not in kept and target.is_active:
            out.changes.append(Change("target", "removed", f"目标 {target.text}"))
    return out
