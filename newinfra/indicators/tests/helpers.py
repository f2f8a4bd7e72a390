"""A live plan for monitoring tests: a target to 2027, reported monthly, so that something is due today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from newinfra.indicators.models import Frequency, IndicatorProfile, Kind, period_end, previous_period_end
from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Plan, Target


def live_target(
    name="测试公用充电站", value=100, comparator=">=", kind=Kind.STOCK, breakdown=False, **profile
):
    plan, _ = Plan.objects.get_or_create(
        key=f"test-live-{name}",
        defaults={"title": f"{name}建设行动（2025—2027年）", "period_start": 2025, "period_end": 2027},
    )
    indicator, _ = Indicator.objects.get_or_create(name=name, defaults={"unit": "座"})
    target = Target.objects.create(
        plan=plan,
        indicator=indicator,
        text=f"到2027年建成{name}{value}座",
        indicator_as_written=name,
        value=Decimal(value),
        unit="座",
        comparator=comparator,
        year=2027,
    )
    IndicatorProfile.objects.update_or_create(
        indicator=indicator,
        defaults={
            "kind": kind,
            "frequency": Frequency.MONTH,
            "responsible": Organization.objects.get(name="市工业和信息化局"),
            "district_breakdown": breakdown,
            "baseline": Decimal(0),
            "grace_days": 15,
            **profile,
        },
    )
    return target


def last_due_period(today: dt.date | None = None) -> dt.date:
    """The latest month whose report is already due (15 days after its end)."""
    today = today or timezone.localdate()
    end = period_end(today, Frequency.MONTH)
    while end + dt.timedelta(days=15) >= today:
        end = previous_period_end(end, Frequency.MONTH)
    return end
