"""District measures for the map (一张图): each broken-down indicator's latest approved values."""

from __future__ import annotations

from newinfra.plans.models import Indicator

from .models import DataValue, IndicatorProfile, ValueStatus


def _latest_by_district(indicator_id: int) -> dict[str, float]:
    rows = (
        DataValue.objects.filter(
            indicator_id=indicator_id, status=ValueStatus.APPROVED, district__isnull=False
        )
        .order_by("district_id", "-period")
        .values_list("district__code", "value")
    )
    out: dict[str, float] = {}
    for code, value in rows:
        if code and code not in out:
            out[code] = float(value)
    return out


def indicator_measures(user) -> list:
    from newinfra.geo.measures import Measure

    out = []
    for profile in IndicatorProfile.objects.filter(district_breakdown=True).select_related("indicator"):
        ind: Indicator = profile.indicator
        out.append(
            Measure(
                key=f"indicator:{ind.pk}:value",
                label=f"{ind.name}（最新已审核值）",
                unit=ind.unit or "",
                values=lambda user, params, pk=ind.pk: _latest_by_district(pk),
                group="指标监测",
            )
        )
    return out
