"""Loading a parsed plan into the database: one transaction, idempotent, with a change report."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from newinfra.orgs.models import KIND_BY_LABEL, Organization, OrganizationAlias
from newinfra.parsing.orgs import guess_kind, unit_info

from .models import (
    Indicator,
    IndicatorAlias,
    Origin,
    Plan,
    PlanStatus,
    Responsibility,
    Section,
    Target,
    Task,
)


@dataclass
class LoadReport:
    plan: Plan
    status: str  # created | updated | unchanged
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deactivated: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)

    def count(self, bucket: str, kind: str) -> None:
        d = getattr(self, bucket)
        d[kind] = d.get(kind, 0) + 1

    def summary(self) -> str:
        if self.status == "unchanged":
            return f"{self.plan.title}: unchanged (same file already loaded)"
        parts = []
        for bucket in ("created", "updated", "deactivated"):
            d = getattr(self, bucket)
            if d:
                parts.append(bucket + " " + ", ".join(f"{n} {k}" for k, n in sorted(d.items())))
        return f"{self.plan.title}: {self.status}" + (
            f" ({'; '.join(parts)})" if parts else " (no differences)"
        )


@cache
def _indicator_aliases() -> dict[str, str]:
    data = json.loads((Path(__file__).parent / "data" / "indicator_aliases.json").read_text(encoding="utf-8"))
    return {alias: name for name, aliases in data.items() if not name.startswith("_") for alias in aliases}


def _norm_indicator(name: str) -> str:
    return re.sub(r"[\s“”\"'‘’]", "", name or "").strip("的,，、")


def resolve_indicator(name: str, unit: str) -> Indicator:
    name = _norm_indicator(name) or "未命名指标"
    canonical = _indicator_aliases().get(name, name)
    ind = Indicator.objects.filter(name=canonical).first()
    if ind:
        return ind
    alias = IndicatorAlias.objects.select_related("indicator").filter(name=name).first()
    if alias:
        return alias.indicator
    ind = Indicator.objects.create(name=canonical, unit=unit or "")
    if canonical != name:
        IndicatorAlias.objects.get_or_create(name=name, defaults={"indicator": ind})
    return ind


def resolve_organization(name: str) -> Organization:
    org = Organization.objects.resolve(name)
    if org:
        return org
    info = unit_info(name)
    canonical = info["name"] if info else name
    kind = KIND_BY_LABEL.get(info["kind"] if info else guess_kind(name), "other")
    org, _ = Organization.objects.get_or_create(name=canonical, defaults={"kind": kind})
    if canonical != name:
        OrganizationAlias.objects.get_or_create(name=name, defaults={"organization": org})
    return org


def _publish_fields(plan: Plan) -> None:
    plan.status = PlanStatus.PUBLISHED
    plan.status_reason = ""
    plan.published_at = plan.published_at or timezone.now()


def plan_key(document: dict, source_name: str) -> str:
    return document.get("title") or Path(source_name).stem


def _set(obj, values: dict) -> bool:
    """Assign the values that differ; True when anything changed (so history records only changes)."""
    changed = False
    for k, v in values.items():
        field = obj._meta.get_field(k)
        current = getattr(obj, field.attname) if field.is_relation else getattr(obj, k)
        wanted = (v.pk if v is not None else None) if field.is_relation else v
        if current != wanted:
            setattr(obj, k, v)
            changed = True
    return changed


def _date(v) -> dt.date | None:
    """An ISO date from the parser (deadline_date); anything else is no date."""
    if not v:
        return None
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _decimal(v) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def with_title(document: dict, title: str | None) -> dict:
    """The title typed at upload fills a missing title only; it never overrides the document's."""
    if title and not document.get("title"):
        return {**document, "title": title}
    return document


@transaction.atomic
def load_document(
    document: dict,
    source_bytes: bytes,
    source_name: str,
    user=None,
    title: str | None = None,
    *,
    publish: bool = False,
    source_text: str | None = None,
    parsed: dict | None = None,
    plan: Plan | None = None,
) -> LoadReport:
    """Load one parsed plan (``PlanDocument.to_dict()``). Everything or nothing is written.

    A new plan is a draft unless ``publish`` (the command line and the demo publish at once).
    ``document`` may be the parser's output with the office's corrections laid over it (a
    revision being applied); ``parsed`` is then what the parser read, kept on the plan so that
    corrections stay visible as differences from it. ``plan`` loads into that plan whatever the
    document's title (a revised file of it)."""
    document = with_title(document, title)
    parsed = with_title(parsed, title) if parsed is not None else document
    if not document.get("tasks"):
        raise ValueError("The document has no tasks; is it a plan?")
    sha = hashlib.sha256(source_bytes).hexdigest()
    key = plan.key if plan else plan_key(document, source_name)
    period = document.get("period") or {}
    plan = plan or Plan.objects.filter(key=key).first()
    if plan and plan.source_sha256 == sha and plan.is_active and parsed is document:
        if publish and plan.status != PlanStatus.PUBLISHED:
            _publish_fields(plan)
            plan.save()
        return LoadReport(plan, "unchanged")
    status = "updated" if plan else "created"
    plan = plan or Plan(key=key)
    values = {
        "title": document.get("title") or plan.title or key,
        "script": document.get("script", "simplified"),
        "period_start": period.get("start"),
        "period_end": period.get("end"),
        "source_name": source_name,
        "source_sha256": sha,
        "document": parsed,
        "is_active": True,
    }
    if source_text is not None:
        values["source_text"] = source_text
    _set(plan, values)
    if publish and plan.status != PlanStatus.PUBLISHED:
        _publish_fields(plan)
    plan.loaded_by = user
    plan.save()
    report = LoadReport(plan, status)

    sections: dict[str, Section] = {s.path: s for s in plan.sections.all()}
    path_of: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for order, s in enumerate(document.get("sections", [])):
        level = s.get("level") or (2 if s.get("parent") else 1)
        stack = [(lv, p) for lv, p in stack if lv < level]
        label = f"{s['number']}{'' if s['number'].startswith(('(', '第')) else '、'}{s['title']}"
        if s["number"].startswith("第"):
            label = f"{s['number']} {s['title']}"
        path = "/".join([p.split("/")[-1] for _, p in stack] + [label])
        parent = sections.get(stack[-1][1]) if stack else None
        stack.append((level, path))
        sec = sections.get(path) or Section(plan=plan, path=path)
        new = sec.pk is None
        if (
            _set(
                sec,
                {
                    "parent": parent,
                    "number": s["number"],
                    "title": s["title"],
                    "level": level,
                    "order": order,
                },
            )
            or new
        ):
            sec.save()
            report.count("created" if new else "updated", "sections")
        sections[path] = sec
        path_of[label] = path

    existing_tasks = {
        (t.section.path if t.section else "", t.number): t for t in plan.tasks.select_related("section")
    }
    seen_tasks = set()
    targets_by_task: dict[str | None, Task] = {}
    for order, t in enumerate(document["tasks"]):
        section = sections.get(t["section"])
        key_t = (t["section"], t["number"])
        seen_tasks.add(key_t)
        task = existing_tasks.get(key_t) or Task(plan=plan, number=t["number"])
        new = task.pk is None
        values = {
            "section": section,
            "title": t["title"],
            "text": t.get("text", ""),
            "responsibility_raw": t.get("responsibility_raw", ""),
            "deadline": (t.get("deadline") or "")[:40],
            "deadline_date": _date(t.get("deadline_date")),
            "flags": list(t.get("flags") or []),
            "order": order,
            "is_active": t.get("is_active", True),
        }
        if new:
            _set(task, values)
            task.save()
            report.count("created", "tasks")
        else:
            before = {
                k: getattr(task, k)
                for k in ("title", "text", "responsibility_raw", "deadline", "deadline_date", "is_active")
            }
            if _set(task, values):
                task.save()
                if any(before[k] != getattr(task, k) for k in before):
                    report.count("updated", "tasks")
                    report.changes.append(
                        f"task {t['number']} {t['title']}: text, responsibilities or deadline changed"
                    )
        targets_by_task[t["number"]] = task
        _load_responsibilities(task, t, report)
    for key_t, task in existing_tasks.items():
        if key_t not in seen_tasks and task.is_active and task.origin == Origin.PARSER:
            task.is_active = False
            task.save()
            report.count("deactivated", "tasks")
            report.changes.append(f"task {task.number} {task.title}: no longer in the plan")

    _load_targets(plan, document.get("targets", []), targets_by_task, report)
    return report


def _load_responsibilities(task: Task, t: dict, report: LoadReport) -> None:
    current = {r.organization_id: r for r in task.responsibilities.all()}
    wanted = set()
    for order, name in enumerate(t.get("all_units", [])):
        org = resolve_organization(name)
        wanted.add(org.pk)
        r = current.get(org.pk) or Responsibility(task=task, organization=org)
        new = r.pk is None
        if (
            _set(
                r,
                {
                    "is_lead": name in t.get("lead_units", []),
                    "name_as_written": name,
                    "order": order,
                    "is_active": True,
                },
            )
            or new
        ):
            r.save()
            report.count("created" if new else "updated", "responsibilities")
    for org_id, r in current.items():
        if org_id not in wanted and r.is_active:
            r.is_active = False
            r.save()
            report.count("deactivated", "responsibilities")


def _target_keys(items, task_number, indicator) -> list[tuple]:
    """A target's identity across versions of a plan: its task, its indicator as written, and
    which occurrence of that pair it is. A revised value is then a change, with history."""
    seen: dict[tuple, int] = {}
    keys = []
    for item in items:
        base = (task_number(item), indicator(item))
        seen[base] = seen.get(base, 0) + 1
        keys.append((*base, seen[base]))
    return keys


def _as_written(g: dict) -> str:
    """The indicator as the parser read it: a target's identity even after the office renamed it."""
    return g.get("indicator_as_written") or g.get("indicator", "")


def _load_targets(plan: Plan, targets: list[dict], tasks: dict, report: LoadReport) -> None:
    current = list(plan.targets.filter(origin=Origin.PARSER).select_related("task").order_by("order", "pk"))
    existing = dict(
        zip(
            _target_keys(
                current, lambda t: t.task.number if t.task else None, lambda t: t.indicator_as_written
            ),
            current,
            strict=True,
        )
    )
    keys = _target_keys(targets, lambda g: g.get("task_number"), lambda g: _as_written(g)[:200])
    for order, (key, g) in enumerate(zip(keys, targets, strict=True)):
        target = existing.get(key) or Target(plan=plan)
        new = target.pk is None
        values = {
            "task": tasks.get(g.get("task_number")) if g.get("task_number") else None,
            "indicator": resolve_indicator(g.get("indicator", ""), g.get("unit", "")),
            "text": g["text"][:500],
            "indicator_as_written": _as_written(g)[:200],
            "value": _decimal(g["value"]),
            "value_max": _decimal(g.get("value_max")),
            "unit": g.get("unit", ""),
            "comparator": g.get("comparator", "="),
            "year": g.get("year"),
            "per_year": bool(g.get("per_year")),
            "section_path": g.get("section") or "",
            "flags": g.get("flags") or [],
            "order": order,
            "is_active": g.get("is_active", True),
        }
        before = (
            None if new else (target.value, target.value_max, target.comparator, target.year, target.text)
        )
        if _set(target, values) or new:
            target.save()
            report.count("created" if new else "updated", "targets")
            if before and before != (
                target.value,
                target.value_max,
                target.comparator,
                target.year,
                target.text,
            ):
                report.changes.append(f"target {target.indicator_as_written}: {before[4]} → {target.text}")
    kept = set(keys)
    for key, target in existing.items():
        if key not in kept and target.is_active:
            target.is_active = False
            target.save()
            report.count("deactivated", "targets")
