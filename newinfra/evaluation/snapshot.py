"""What a frozen evaluation records: targets, tasks, the project library, unit and district scorecards.

Everything is as it stood on the evaluation's 基准日, read from the history every record keeps
(django-simple-history), not as it stands when the office freezes:

- **reports** — indicator values, task progress, 销号 and monthly dispatch reports count as they
  were recorded by the reporting deadline of the 基准日's period (the 基准日 + ``REPORTING_DAYS``,
  the default 报送期限): a Q4 value approved on 10 January counts for 31 December; one entered,
  approved or corrected later does not, and neither does a later correction of an earlier one;
- **projects** — the library is the projects admitted (入库日期) on or before the 基准日, each with
  its investment, stage and domain as recorded at the end of that day; a project removed (调出)
  by then is not in it; its completed investment is the sum of its dispatch reports of months up
  to the 基准日;
- **units** — the collective placeholders (各区政府, 市直职能部门) are not scored: a task or target
  they lead counts for every unit they stand for (every district government, every municipal
  department).

Unit scorecard (shown with the rule on the pages): 50 points for tasks (share of the unit's lead
tasks 已完成 or 已销号, 推进中 counting half) + 50 points for targets (share of the unit's targets
green, amber counting half), minus 2 points per overdue report (at most 20), floored at 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from newinfra.indicators.attainment import RULE_TEXT, STATUS_LABELS
from newinfra.indicators.queries import attainment_rows, domain_of
from newinfra.orgs.models import Organization, OrgKind
from newinfra.orgs.permissions import COLLECTIVE_UNITS
from newinfra.plans.models import Responsibility, Task, with_plan
from newinfra.projects.models import DispatchReport, Domain, Project, Stage, Status
from newinfra.supervision.models import ProgressReport, TaskState, TaskStatus

REPORTING_DAYS = 15

SCORE_RULE = (
    "单位得分 = 任务分（50分 × 牵头任务中已完成或已销号的比例，推进中按一半计）"
    "+ 指标分（50分 × 负责指标中状态为绿的比例，黄按一半计）− 逾期未报次数 × 2分（最多扣20分），最低0分。"
)
DOMAIN_LABELS = dict(Domain.choices)


def _num(x):
    return None if x is None else round(float(x), 4)


def end_of(day: dt.date) -> dt.datetime:
    """The last moment of a local day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def known_by(as_of: dt.date) -> dt.datetime:
    """When the reports of the 基准日's period were due: what was recorded by then counts."""
    return end_of(as_of + dt.timedelta(days=REPORTING_DAYS))


def states_on(model, moment: dt.datetime, **filters) -> list:
    """Each record of ``model`` as its history had it at ``moment`` (records not yet created, or
    deleted by then, left out), kept when that state matches ``filters``."""
    history = model.history.filter(history_date__lte=moment)
    candidates = history.filter(**filters).values("id") if filters else None
    rows = history.filter(id__in=candidates) if filters else history
    latest: dict[int, int] = {}
    for pk, hid, kind in rows.order_by("id", "history_date", "history_id").values_list(
        "id", "history_id", "history_type"
    ):
        latest[pk] = hid if kind != "-" else None
    chosen = [hid for hid in latest.values() if hid is not None]
    out = []
    for i in range(0, len(chosen), 5000):  # the state at that moment must itself match
        out += list(model.history.filter(history_id__in=chosen[i : i + 5000], **filters))
    return sorted(out, key=lambda h: h.id)


class Members:
    """Who a collective placeholder stands for: 各区政府 → every district government,
    市直职能部门 → every municipal department."""

    def __init__(self):
        self.by_kind = {
            kind: list(
                Organization.objects.filter(kind=kind, is_active=True)
                .exclude(name__in=list(COLLECTIVE_UNITS))
                .order_by("code", "name")
            )
            for kind in set(COLLECTIVE_UNITS.values())
        }

    def of(self, org: Organization) -> list[Organization]:
        if org.name in COLLECTIVE_UNITS:
            return self.by_kind[COLLECTIVE_UNITS[org.name]]
        return [org]


def build(as_of: dt.date) -> dict:
    moment = known_by(as_of)
    rows = attainment_rows(as_of=as_of, use_cache=False, known_by=moment)
    members = Members()
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
                "target_value": _num(t.value),
                "unit": t.unit,
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
        for unit in members.of(responsible) if responsible else []:
            card = by_org.setdefault(unit.pk, _card(unit))
            card["targets"] += 1
            card[a.status] += 1
            card["overdue"] += len(r.overdue)
    states = task_states_on(as_of, moment)
    tasks = []
    for task in with_plan(Task.objects.live()).order_by("plan_id", "order"):
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
        leads = {u.pk: u for x in resp if x.is_lead for u in members.of(x.organization)}
        for unit in leads.values():
            card = by_org.setdefault(unit.pk, _card(unit))
            card["tasks"] += 1
            card["tasks_" + status] += 1
    for card in by_org.values():
        card["score"] = score(card)
    library = library_on(as_of, moment)
    districts = _district_cards(library, as_of, moment, members)
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


def task_states_on(as_of: dt.date, moment: dt.datetime | None = None) -> dict[int, str]:
    """Each task's status on the evaluation date: the last progress reported for a quarter up to
    that date (as recorded by ``moment``), or 已销号 when the office had closed it by then."""
    moment = moment or known_by(as_of)
    states: dict[int, str] = {}
    reports = sorted(
        (h.task_id, h.period, h.history_date, h.status)
        for h in states_on(ProgressReport, moment, period__lte=as_of)
    )
    for task_id, _period, _at, status in reports:
        states[task_id] = status  # the latest wins
    for task_id in TaskState.objects.filter(status=TaskStatus.CLOSED, closed_at__lte=moment).values_list(
        "task_id", flat=True
    ):
        states[task_id] = TaskStatus.CLOSED  # 销号 is final: its date is when it happened
    return states


def library_on(as_of: dt.date, moment: dt.datetime) -> dict:
    """The project library on the 基准日: admitted by then, as recorded at the end of that day."""
    day_end = end_of(as_of)
    projects = [
        h
        for h in states_on(Project, day_end, admitted_on__lte=as_of)
        if h.is_active and h.status == Status.ADMITTED and h.stage != Stage.REMOVED
    ]
    ids = {h.id for h in projects}
    invested: dict[int, Decimal] = {}
    for h in states_on(DispatchReport, moment, month__lte=as_of):
        if h.project_id in ids:
            invested[h.project_id] = invested.get(h.project_id, Decimal(0)) + (h.invested_month or 0)
    zero = Decimal(0)
    by_domain = {d.value: {"n": 0, "investment": zero} for d in Domain}
    by_stage = {st.value: {"n": 0, "investment": zero} for st in Stage}
    for h in projects:
        for group, key in ((by_domain, h.domain), (by_stage, h.stage)):
            cell = group.setdefault(key, {"n": 0, "investment": zero})
            cell["n"] += 1
            cell["investment"] += h.total_investment or zero
    return {
        "projects": projects,
        "invested": invested,
        "totals": {
            "n": len(projects),
            "investment": sum((h.total_investment or zero for h in projects), zero),
            "invested": sum(invested.values(), zero),
        },
        "by_domain": [{"label": d.label, **by_domain[d.value]} for d in Domain],
        "by_stage": [{"label": st.label, **by_stage[st.value]} for st in Stage],
    }


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


def _district_cards(library: dict, as_of: dt.date, moment: dt.datetime, members: Members) -> list[dict]:
    """Per district: the library's projects in it, and its tasks (named, or through 各区政府) with
    progress reported by the 基准日."""
    current_keys = dict(
        Project.objects.filter(pk__in=[h.id for h in library["projects"]]).values_list("pk", "districts_key")
    )
    collective = set(
        Responsibility.objects.live()
        .filter(organization__name__in=list(COLLECTIVE_UNITS))
        .filter(organization__kind=OrgKind.DISTRICT)
        .values_list("task_id", flat=True)
    )
    reported_by: dict[int, set] = {}
    for h in states_on(ProgressReport, moment, period__lte=as_of):
        reported_by.setdefault(h.organization_id, set()).add(h.task_id)
    out = []
    for org in members.by_kind[OrgKind.DISTRICT]:
        mine = [
            h
            for h in library["projects"]
            if f",{org.pk}," in (current_keys.get(h.id) or h.districts_key or "")
        ]
        named = set(Responsibility.objects.live().filter(organization=org).values_list("task_id", flat=True))
        own = named | collective
        out.append(
            {
                "name": org.name.removesuffix("政府"),
                "code": org.code,
                "projects": len(mine),
                "investment": _num(sum((h.total_investment or 0 for h in mine), Decimal(0))),
                "invested": _num(sum((library["invested"].get(h.id, 0) for h in mine), Decimal(0))),
                "tasks": len(own),
                "tasks_reported": len(own & reported_by.get(org.pk, set())),
            }
        )
    return out
