"""Comparing what the parser read with what the plan now says.

The parser's output stays on the plan (``Plan.document``); the database holds the tasks and targets
as the office corrected them. A correction is therefore a difference between the two, field by
field, and needs no bookkeeping of its own: the proofreading page lists them, and a revision keeps
them (see ``revisions``). Everything here reads; nothing writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from newinfra.orgs.models import Organization, OrganizationAlias

from .models import IndicatorAlias, Origin, Plan, Target, Task

COMPARATOR_LABELS = {">=": "不低于", ">": "超过", "<": "低于", "<=": "不超过", "~": "约", "=": "等于"}
TASK_FIELDS = {
    "title": "任务名称",
    "lead": "牵头单位",
    "co": "配合单位",
    "deadline": "完成时限",
    "deadline_date": "完成日期",
    "active": "保留",
}
TARGET_FIELDS = {
    "indicator": "指标",
    "value": "目标值",
    "value_max": "上限",
    "unit": "单位",
    "comparator": "比较",
    "year": "年份",
    "active": "保留",
}


class Names:
    """Canonical organisation and indicator names, read in two queries each (not one per name)."""

    def __init__(self):
        self.orgs = dict(Organization.objects.values_list("name", "name"))
        self.orgs.update(OrganizationAlias.objects.values_list("name", "organization__name"))
        from .models import Indicator

        self.indicators = dict(Indicator.objects.values_list("name", "name"))
        self.indicators.update(IndicatorAlias.objects.values_list("name", "indicator__name"))

    def org(self, name: str) -> str:
        from newinfra.parsing.orgs import canonical_unit

        name = (name or "").strip()
        return self.orgs.get(name) or self.orgs.get(canonical_unit(name)) or canonical_unit(name) or name

    def indicator(self, name: str) -> str:
        from .loader import _indicator_aliases, _norm_indicator

        name = _norm_indicator(name) or "未命名指标"
        canonical = _indicator_aliases().get(name, name)
        return self.indicators.get(canonical) or self.indicators.get(name) or canonical


def _dec(v) -> Decimal | None:
    return None if v is None or v == "" else Decimal(str(v))


def parsed_task(t: dict, names: Names) -> dict:
    lead = [names.org(u) for u in t.get("lead_units", [])]
    co = [u for u in dict.fromkeys(names.org(u) for u in t.get("all_units", [])) if u not in lead]
    return {
        "title": t.get("title", ""),
        "lead": tuple(dict.fromkeys(lead)),
        "co": tuple(co),
        "deadline": t.get("deadline") or "",
        "deadline_date": (t.get("deadline_date") or None) and str(t["deadline_date"])[:10],
        "active": t.get("is_active", True),
    }


def current_task(task: Task) -> dict:
    rs = sorted(
        (r for r in task.responsibilities.all() if r.is_active), key=lambda r: (r.order, r.pk)
    )  # prefetched
    return {
        "title": task.title,
        "lead": tuple(r.organization.name for r in rs if r.is_lead),
        "co": tuple(r.organization.name for r in rs if not r.is_lead),
        "deadline": task.deadline or "",
        "deadline_date": task.deadline_date.isoformat() if task.deadline_date else None,
        "active": task.is_active,
    }


def same(field: str, a, b) -> bool:
    if field in ("lead", "co"):
        return set(a or ()) == set(b or ())
    return a == b


def parsed_target(g: dict, names: Names) -> dict:
    return {
        "indicator": names.indicator(g.get("indicator", "")),
        "value": _dec(g.get("value")),
        "value_max": _dec(g.get("value_max")),
        "unit": g.get("unit", ""),
        "comparator": g.get("comparator", "="),
        "year": g.get("year"),
        "active": g.get("is_active", True),
    }


def current_target(t: Target) -> dict:
    return {
        "indicator": t.indicator.name,
        "value": t.value,
        "value_max": t.value_max,
        "unit": t.unit,
        "comparator": t.comparator,
        "year": t.year,
        "active": t.is_active,
    }


def task_key(t: dict) -> tuple[str, str]:
    return (t.get("section") or "", t["number"])


def db_task_key(task: Task) -> tuple[str, str]:
    return (task.section.path if task.section_id else "", task.number)


def target_keys(items, task_number, indicator) -> list[tuple]:
    from .loader import _target_keys

    return _target_keys(items, task_number, indicator)


def doc_target_keys(targets: list[dict]) -> list[tuple]:
    from .loader import _as_written

    return target_keys(targets, lambda g: g.get("task_number"), lambda g: _as_written(g)[:200])


def db_target_keys(targets: list[Target]) -> list[tuple]:
    return target_keys(
        targets, lambda t: t.task.number if t.task_id else None, lambda t: t.indicator_as_written
    )


def show(field: str, v) -> str:
    """A field's value as the pages show it."""
    if v is None or v == "" or v == ():
        return "（无）"
    if field == "comparator":
        return COMPARATOR_LABELS.get(v, v)
    if isinstance(v, tuple):
        return "、".join(v)
    if isinstance(v, bool):
        return "是" if v else "否（已删除）"
    if isinstance(v, Decimal):
        from newinfra.parsing.display import format_quantity

        return format_quantity(v, "", "=", None, False)
    return str(v)


@dataclass
class Correction:
    field: str
    label: str
    parsed: object
    current: object

    @property
    def parsed_text(self) -> str:
        return show(self.field, self.parsed)

    @property
    def current_text(self) -> str:
        return show(self.field, self.current)


def plan_tasks(plan: Plan) -> list[Task]:
    return list(
        plan.tasks.select_related("section")
        .prefetch_related("responsibilities__organization")
        .order_by("order", "pk")
    )


def plan_targets(plan: Plan) -> list[Target]:
    return list(plan.targets.select_related("task", "indicator").order_by("order", "pk"))


def corrections(plan: Plan, tasks: list[Task], targets: list[Target], names: Names | None = None):
    """({task pk: [Correction]}, {target pk: [Correction]}) of what the office changed."""
    names = names or Names()
    doc = plan.document or {}
    parsed = {task_key(t): parsed_task(t, names) for t in doc.get("tasks", [])}
    by_task = {}
    for task in tasks:
        if task.origin == Origin.OFFICE:
            by_task[task.pk] = [Correction("added", "新增任务", None, task.title)]
            continue
        p = parsed.get(db_task_key(task))
        if p is None:
            continue
        c = current_task(task)
        diffs = [Correction(f, TASK_FIELDS[f], p[f], c[f]) for f in TASK_FIELDS if not same(f, p[f], c[f])]
        if diffs:
            by_task[task.pk] = diffs
    doc_targets = doc.get("targets", [])
    parsed_t = dict(zip(doc_target_keys(doc_targets), doc_targets, strict=True))
    parser_rows = [t for t in targets if t.origin == Origin.PARSER]
    by_target = {}
    for key, target in zip(db_target_keys(parser_rows), parser_rows, strict=True):
        g = parsed_t.get(key)
        if g is None:
            continue
        p, c = parsed_target(g, names), current_target(target)
        diffs = [
            Correction(f, TARGET_FIELDS[f], p[f], c[f]) for f in TARGET_FIELDS if not same(f, p[f], c[f])
        ]
        if diffs:
            by_target[target.pk] = diffs
    for target in targets:
        if target.origin == Origin.OFFICE:
            by_target[target.pk] = [Correction("added", "新增目标", None, target.text)]
    return by_task, by_target


# --- where each task, unit and target was read in the source ------------------------------------


@dataclass
class Mark:
    start: int
    end: int
    kind: str  # task | units | target
    ref: str  # the element id on the page it belongs to


def locate(source: str, tasks: list[Task], targets: list[Target]) -> list[Mark]:
    """Where the verbatim ``text``/``responsibility_raw``/target ``text`` stand in the source, each
    looked for after the previous task so that repeated phrases land in the right item."""
    marks: list[Mark] = []
    cursor = 0
    span_of: dict[int, tuple[int, int]] = {}
    for task in tasks:
        if not task.text or task.origin == Origin.OFFICE:
            continue
        i = source.find(task.text, cursor)
        if i < 0:
            i = source.find(task.text)
        if i < 0:
            head = task.text[:30]
            i = source.find(head, cursor) if head else -1
            if i < 0:
                continue
            end = i + len(head)
        else:
            end = i + len(task.text)
        cursor = end
        span_of[task.pk] = (i, end)
        marks.append(Mark(i, end, "task", f"task-{task.pk}"))
        # several parentheses are kept joined by " | "; each is marked where it stands
        at = i
        for raw in filter(None, (task.responsibility_raw or "").split(" | ")):
            j = source.find(raw, at, end + len(raw) + 2)
            if j >= 0:
                marks.append(Mark(j, j + len(raw), "units", f"task-{task.pk}"))
                at = j + len(raw)
    for target in targets:
        if not target.text or target.origin == Origin.OFFICE:
            continue
        lo, hi = span_of.get(target.task_id, (0, len(source))) if target.task_id else (0, len(source))
        k = source.find(target.text, lo, hi + len(target.text))
        if k < 0:
            k = source.find(target.text)
        if k >= 0:
            marks.append(Mark(k, k + len(target.text), "target", f"target-{target.pk}"))
    return marks


def highlighted(source: str, marks: list[Mark]) -> list[tuple[str, list[Mark]]]:
    """The source cut into pieces, each with the marks covering it (nested marks allowed)."""
    cuts = sorted({0, len(source), *(m.start for m in marks), *(m.end for m in marks)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in marks if m.start <= a and b <= m.end]
        pieces.append((source[a:b], covering))
    return pieces


@cache
def flag_labels() -> dict[str, str]:
    return {
        "no_units": "未识别出责任单位",
        "unknown_unit": "单位不在名录中",
        "partial_units": "责任分工只读出一部分",
        "no_year": "目标没有年份",
        "unit_left_out": "数字旁的计量单位未读出",
        "no_deadline": "未识别出完成时限",
    }


def task_flags(task: Task, names: Names) -> list[dict]:
    """The parser's flags, plus what the platform itself sees doubtful: a task without units, or
    with a unit the registry does not know (a parser without flags still gets proofread)."""
    flags = [f if isinstance(f, dict) else {"kind": str(f), "message": str(f)} for f in task.flags or []]
    kinds = {f.get("kind") for f in flags}
    c = current_task(task)
    if not c["lead"] and not c["co"] and "no_units" not in kinds:
        flags.append({"kind": "no_units", "message": "未识别出责任单位"})
    return flags


def target_flags(target: Target) -> list[dict]:
    flags = [f if isinstance(f, dict) else {"kind": str(f), "message": str(f)} for f in target.flags or []]
    if target.year is None and "no_year" not in {f.get("kind") for f in flags}:
        flags.append({"kind": "no_year", "message": "目标没有年份"})
    return flags
