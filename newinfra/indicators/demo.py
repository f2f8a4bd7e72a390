"""Demo monitoring data for `make run`: reporting settings for every indicator of both plans,
quarterly values 2020–2022 (some on track, some slipping, a few never reported), task progress,
a supervision order and a frozen mid-term evaluation. Values and reports are marked 演示数据."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from newinfra.orgs.models import Organization, OrgKind
from newinfra.orgs.permissions import COLLECTIVE_UNITS
from newinfra.plans.models import Indicator, Target, Task
from newinfra.projects.demo import dated, recorded_at

from .models import DataValue, Frequency, IndicatorProfile, Kind, ValueStatus, period_end
from .queries import bump_values, district_orgs, domain_of

DEFAULT_UNITS = {
    "5g": "市工业和信息化局",
    "iiot": "市工业和信息化局",
    "datacenter": "市发展改革委",
    "ai": "市科技局",
    "energy": "市发展改革委",
    "transport": "市交通运输局",
    "city": "市工业和信息化局",
    "other": "市发展改革委",
}
BREAKDOWN = ("5G基站", "充电桩", "智慧灯杆")
# District shares of a city total (centre heavier), summing to 1.
DISTRICT_WEIGHTS = [0.07, 0.09, 0.1, 0.16, 0.12, 0.12, 0.11, 0.06, 0.08, 0.04, 0.05]


def _roll(name: str) -> float:
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def quarter_ends(first_year=2020, last_year=2022) -> list[dt.date]:
    return [
        period_end(dt.date(y, m, 1), Frequency.QUARTER)
        for y in range(first_year, last_year + 1)
        for m in (3, 6, 9, 12)
    ]


def _lead_unit(target: Target) -> Organization | None:
    if target.task_id:
        # A named department: the placeholder 市直职能部门 reports nothing itself.
        named = target.task.responsibilities.filter(is_active=True, organization__kind=OrgKind.CITY).exclude(
            organization__name__in=list(COLLECTIVE_UNITS)
        )
        r = named.filter(is_lead=True).first() or named.first()
        if r:
            return r.organization
    return None


@transaction.atomic
def seed_demo_monitoring() -> int:
    if DataValue.objects.filter(is_demo=True).exists():
        return 0
    User = get_user_model()
    office = User.objects.filter(username="office").first()
    orgs = {o.name: o for o in Organization.objects.all()}
    districts = district_orgs()
    values = []
    for indicator in Indicator.objects.filter(targets__in=Target.objects.live()).distinct():
        targets = list(indicator.targets.live().select_related("plan", "task"))
        main = max(targets, key=lambda t: t.value)
        domain = domain_of(indicator.name)
        ceiling = main.comparator in ("<", "<=")
        kind = (
            Kind.RADIUS
            if "半径" in indicator.name
            else Kind.RATIO
            if ceiling or "PUE" in indicator.name
            else Kind.STOCK
        )
        responsible = _lead_unit(main) or orgs.get(DEFAULT_UNITS.get(domain, "市发展改革委"))
        goal = float(main.value)
        baseline = goal * 1.3 if ceiling else goal * 0.25 if not main.per_year else 0.0
        profile, _ = IndicatorProfile.objects.update_or_create(
            indicator=indicator,
            defaults={
                "kind": kind,
                "frequency": Frequency.QUARTER,
                "responsible": responsible,
                "district_breakdown": any(b in indicator.name for b in BREAKDOWN),
                "baseline": Decimal(str(round(baseline, 4))),
                "baseline_year": 2019,
                "min_value": Decimal("1.0") if "PUE" in indicator.name else None,
                "max_value": Decimal("3.0") if "PUE" in indicator.name else None,
                "domain": domain if domain != "other" else "",
            },
        )
        if kind == Kind.RADIUS:
            continue  # read from the map's coverage analysis
        roll = _roll(indicator.name)
        if roll < 0.08:
            continue  # never reported: 暂无数据
        # Where the indicator ends up by 2022 Q4, as a share of the way from baseline to goal, and
        # from which quarter it moves: on track, a late start that catches up (amber in 2021),
        # or short of the goal by a little, a lot, or half.
        reach, start_q = (
            (1.08, 0)
            if roll < 0.45
            else (1.04, 3)
            if roll < 0.6
            else (0.92, 0)
            if roll < 0.72
            else (0.75, 0)
            if roll < 0.88
            else (0.5, 0)
        )
        quarters = quarter_ends()
        n = len(quarters)
        if main.per_year:
            stock = [goal * (i + 1) / 4 * (1 if reach >= 1 or i < 4 else 0.8) for i in range(n)]
        else:
            stock = [
                baseline + (goal - baseline) * reach * max(0, (i + 1 - start_q) / (n - start_q))
                for i in range(n)
            ]
        for end, v in zip(quarters, stock, strict=True):
            fractional = kind == Kind.RATIO or (indicator.unit or main.unit) in ("", "%", "PF", "PB")
            value = Decimal(str(round(v, 2 if fractional else 0)))
            values.append(
                dated(
                    DataValue(
                        indicator=indicator,
                        period=end,
                        value=value,
                        status=ValueStatus.APPROVED,
                        reporting_org=responsible,
                        reported_by=office,
                        submitted_at=recorded_at(end, 8),
                        approved_by=office,
                        approved_at=recorded_at(end),
                        is_demo=True,
                        note="演示数据",
                    ),
                    recorded_at(end),
                )
            )
            if profile.district_breakdown:
                parts = [Decimal(str(round(float(value) * w, 0))) for w in DISTRICT_WEIGHTS]
                parts[-1] = value - sum(parts[:-1])  # the breakdown adds up to the city total exactly
                for d, part in zip(districts, parts, strict=True):
                    values.append(
                        dated(
                            DataValue(
                                indicator=indicator,
                                period=end,
                                district=d,
                                value=part,
                                status=ValueStatus.APPROVED,
                                reporting_org=d,
                                reported_by=office,
                                submitted_at=recorded_at(end, 8),
                                approved_by=office,
                                approved_at=recorded_at(end),
                                is_demo=True,
                                note="演示数据",
                            ),
                            recorded_at(end),
                        )
                    )
    bulk_create_with_history(
        values, DataValue, batch_size=1000, default_user=office, default_change_reason="演示数据"
    )
    _seed_tasks(office)
    bump_values()
    return len(values)


def _seed_tasks(office) -> None:
    from newinfra.supervision.models import Feedback, ProgressReport, SupervisionOrder, TaskState, TaskStatus
    from newinfra.supervision.overdue import bump_reports

    reports, states = [], []
    for task in Task.objects.live().prefetch_related("responsibilities__organization"):
        roll = _roll(f"task{task.plan_id}-{task.number}-{task.title}")
        status = (
            TaskStatus.DONE
            if roll < 0.4
            else TaskStatus.IN_PROGRESS
            if roll < 0.7
            else TaskStatus.LAGGING
            if roll < 0.85
            else TaskStatus.CLOSED
            if roll < 0.95
            else TaskStatus.NOT_STARTED
        )
        states.append(
            TaskState(
                task=task,
                status=status,
                closed_at=recorded_at(dt.date(2022, 12, 31), 5) if status == TaskStatus.CLOSED else None,
            )
        )
        leads = [
            r.organization
            for r in task.responsibilities.all()
            if r.is_lead and r.organization.kind == OrgKind.CITY
        ]
        if status == TaskStatus.NOT_STARTED or not leads:
            continue
        for q, end in enumerate(quarter_ends(2021, 2022)):
            posted = TaskStatus.IN_PROGRESS if q < 7 or status == TaskStatus.CLOSED else status
            reports.append(
                dated(
                    ProgressReport(
                        task=task,
                        organization=leads[0],
                        period=end,
                        status=posted,
                        posted_by=office,
                        is_demo=True,
                        text=f"（演示数据）{end.year}年第{(end.month - 1) // 3 + 1}季度：按计划推进{task.title}相关工作。",
                    ),
                    recorded_at(end),
                )
            )
    TaskState.objects.bulk_create(states, batch_size=500, ignore_conflicts=True)
    bulk_create_with_history(
        reports, ProgressReport, batch_size=500, default_user=office, default_change_reason="演示数据"
    )
    bump_reports()  # the bulk writes send no signals
    lagging = TaskState.objects.filter(status=TaskStatus.LAGGING).select_related("task").first()
    if lagging and office:
        lead = (
            lagging.task.responsibilities.filter(is_active=True, is_lead=True).first()
            or lagging.task.responsibilities.first()
        )
        order = SupervisionOrder.objects.create(
            task=lagging.task,
            organization=lead.organization,
            issued_by=office,
            respond_by=dt.date(2022, 9, 30),
            text="（演示数据）该任务推进滞后，请于期限前说明原因并提出整改措施。",
            state=SupervisionOrder.State.ANSWERED,
        )
        Feedback.objects.create(
            order=order,
            organization=lead.organization,
            user=office,
            text="（演示数据）已召开专题会议，调整实施计划，预计下季度追回进度。",
        )


def seed_demo_evaluation():
    from newinfra.evaluation.models import Evaluation, Phase
    from newinfra.evaluation.services import freeze

    office = get_user_model().objects.filter(username="office").first()
    if office is None or Evaluation.objects.exists():
        return None
    return freeze(office, "中期评估（演示）", Phase.MIDTERM, dt.date(2021, 12, 31))
