"""What a frozen evaluation records: targets, tasks, the project library, unit and district scorecards.

Only what stood on the evaluation date counts: indicator values of periods up to that date
(approved by the time of freezing), each task's status as last reported by then, and the project
library as it stands when frozen.

Unit scorecard (shown with the rule on the pages): 50 points for tasks (share of the unit's lead
tasks 已完成 or 已销号, 推进中 counting half) + 50 points for targets (share of the unit's targets
green, amber counting half), minus 2 points per overdue report (at most 20), floored at 0.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from newinfra.indicators.attainment import RULE_TEXT, STATUS_LABELS
from newinfra.indicators.queries import attainment_rows, domain_of
from newinfra.orgs.models import Organization, OrgKind
from newinfra.plans.models import Responsibility, Task
from newinfra.projects.models import Domain, Project, Status
from newinfra.projects.queries import statistics
from newinfra.supervision.models import ProgressReport, TaskState, TaskStatus

SCORE_RULE = (
    "单位得分 = 任务分（50分 × 牵头任务中已完成或已销号的比例，推进中按一半计）"
    "+ 指标分（50分 × 负责指标中状态为绿的比例，黄按一半计）− 逾期未报次数 × 2分（最多扣20分），最低0分。"
)
DOMAIN_LABELS = dict(Domain.choices)


def _num(x):
    return None if x is None else round(float(x), 4)


def build(as_of: dt.date) -> dict:
    rows = attainment_rows(as_of=as_of, use_cache=False)
    targets = []
    by_org: dict[int, dict] = {}
    for r in rows:
        t, a = r.target, r.attainment
        responsible = r.profile.responsible if r.profile and r.profile.responsible_id else None
        if responsible is None and t.task_id:
            lead = next(
                (
                    x.organization
                    for x in t.task.responsibilities.filter(is_active=True, is_lead=True).select_related(
                        "organization"
                    )
                ),
                None,
            )
            responsible = lead
        targets.append(
            {
                "plan": t.plan.title,
                "task": f"{t.task.number}. {t.task.title}" if t.task_id else "总体目标",
                "indicator": t.indicator.name,
                "domain": DOMAIN_LABELS.get(domain_of(t.indicator.name, r.profile), "其他"),
                "target": t.display_value,
                "year": t.year,
                "current": _num(a.current),
                "progress": _num(a.progress),
                "elapsed": _num(a.elapsed),
                "forecast": _num(a.forecast),
                "status": a.status,
                "status_label": STATUS_LABELS[a.status],
                "explanation": a.explanation,
                "responsible": responsible.name if responsible else "",
                "overdue": len(r.overdue),
            }
        )
        if responsible:
            card = by_org.setdefault(responsible.pk, _card(responsible))
            card["targets"] += 1
            card[a.status] += 1
            card["overdue"] += len(r.overdue)
    states = task_states_on(as_of)
    tasks = []
    for task in Task.objects.live().select_related("plan").order_by("plan_id", "order"):
        resp = list(task.responsibilities.filter(is_active=True).select_related("organization"))
        status = states.get(task.pk, TaskStatus.NOT_STARTED)
        tasks.append(
            {
                "plan": task.plan.title,
                "number": task.number,
                "title": task.title,
                "lead": "、".join(x.organization.name for x in resp if x.is_lead),
                "units": "、".join(x.organization.name for x in resp),
                "status": status,
                "status_label": TaskStatus(status).label,
            }
        )
        for x in resp:
            if not x.is_lead:
                continue
            card = by_org.setdefault(x.organization_id, _card(x.organization))
            card["tasks"] += 1
            card["tasks_" + status] += 1
    for card in by_org.values():
        card["score"] = score(card)
    library = statistics(Project.objects.active().exclude(status=Status.DRAFT))
    districts = _district_cards(library)
    return {
        "as_of": as_of.isoformat(),
        "rule": RULE_TEXT,
        "score_rule": SCORE_RULE,
        "targets": targets,
        "target_counts": {s: sum(1 for t in targets if t["status"] == s) for s in STATUS_LABELS},
        "tasks": tasks,
        "task_counts": {s: sum(1 for t in tasks if t["status"] == s) for s in TaskStatus.values},
        "library": {
            "n": library["totals"]["n"],
            "investment": _num(library["totals"]["investment"]),
            "invested": _num(library["totals"]["invested"]),
            "by_domain": [
                {"label": d["label"], "n": d["n"], "investment": _num(d["investment"])}
                for d in library["by_domain"]
            ],
            "by_stage": [
                {"label": d["label"], "n": d["n"], "investment": _num(d["investment"])}
                for d in library["by_stage"]
            ],
        },
        "units": sorted(by_org.values(), key=lambda c: (-c["score"], c["name"])),
        "districts": districts,
    }


def task_states_on(as_of: dt.date) -> dict[int, str]:
    """Each task's status on the evaluation date: the last progress reported for a quarter up to
    that date, or 已销号 when the office closed it by then."""
    states: dict[int, str] = {}
    for task_id, status in (
        ProgressReport.objects.filter(period__lte=as_of)
        .order_by("task_id", "period", "posted_at")
        .values_list("task_id", "status")
    ):
        states[task_id] = status  # the latest wins
    for task_id, closed_at in TaskState.objects.filter(
        status=TaskStatus.CLOSED, closed_at__isnull=False
    ).values_list("task_id", "closed_at"):
        if closed_at.date() <= as_of:
            states[task_id] = TaskStatus.CLOSED
    return states


def _card(org: Organization) -> dict:
    card = {"name": org.name, "kind": org.get_kind_display(), "tasks": 0, "targets": 0, "overdue": 0}
    card.update({s: 0 for s in STATUS_LABELS})
    card.update({"tasks_" + s: 0 for s in TaskStatus.values})
    return card


def score(card: dict) -> float:
    task_part = (
        (card["tasks_done"] + card["tasks_closed"] + 0.5 * card["tasks_in_progress"]) / card["tasks"]
        if card["tasks"]
        else 1.0
    )
    target_part = (card["green"] + 0.5 * card["amber"]) / card["targets"] if card["targets"] else 1.0
    return round(max(0.0, 50 * task_part + 50 * target_part - min(20, 2 * card["overdue"])), 1)


def _district_cards(library: dict) -> list[dict]:
    by_pk = {r["organization_id"]: r for r in library["by_district"]}
    collective = (
        Responsibility.objects.live().filter(organization__name="各区政府").values_list("task_id", flat=True)
    )
    out = []
    for org in Organization.objects.filter(kind=OrgKind.DISTRICT).exclude(name="各区政府").order_by("code"):
        row = by_pk.get(org.pk, {"n": 0, "investment": 0})
        named = Responsibility.objects.live().filter(organization=org).values_list("task_id", flat=True)
        reported = set(org.progress_reports.values_list("task_id", flat=True))
        own = set(named) | set(collective)
        invested = (
            Project.objects.active()
            .filter(status=Status.ADMITTED, districts=org)
            .aggregate(s=Sum("invested_to_date"))["s"]
            or 0
        )
        out.append(
            {
                "name": org.name.removesuffix("政府"),
                "code": org.code,
                "projects": row["n"],
                "investment": _num(row["investment"]),
                "invested": _num(invested),
                "tasks": len(own),
                "tasks_reported": len(own & reported),
            }
        )
    return out
