"""A live plan for monitoring tests: a target to next year, reported monthly, so that something is due today."""

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
    """A target in a plan running from last year to next year, whatever today is."""
    year = timezone.localdate().year
    plan, _ = Plan.objects.get_or_create(
        key=f"test-live-{name}",
        defaults={
            "title": f"{name}建设行动（{year - 1}—{year + 1}年）",
            "period_start": year - 1,
            "period_end": year + 1,
            "status": "published",
        },
    )
    indicator, _ = Indicator.objects.get_or_create(name=name, defaults={"unit": "座"})
    target = Target.objects.create(
        plan=plan,
        indicator=indicator,
        text=f"到{year + 1}年建成{name}{value}座",
        indicator_as_written=name,
        value=Decimal(value),
        unit="座",
        comparator=comparator,
        year=year + 1,
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
