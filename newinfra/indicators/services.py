"""Reporting indicator values and judging targets: the rules, in one place for pages, API and imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from newinfra.orgs.models import OrgKind, Role
from newinfra.orgs.permissions import is_office, membership
from newinfra.plans.models import Indicator
from newinfra.utilities import bounds, versions
from newinfra.utilities.figures import figure, plain

from .models import (
    DataValue,
    Frequency,
    IndicatorProfile,
    Kind,
    ValueStatus,
    period_end,
    period_label,
)
from .queries import REPORTED, bump_values, district_orgs

DISTRICT_SUM_TOLERANCE = Decimal("0.005")


class ReportError(Exception):
    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(self.messages))


def profile_of(indicator: Indicator) -> IndicatorProfile:
    """The indicator's reporting setting, or the defaults (unsaved: reading never writes)."""
    try:
        return indicator.profile
    except IndicatorProfile.DoesNotExist:
        return IndicatorProfile(indicator=indicator)


# --- who ------------------------------------------------------------------------------------------


def can_report(user, profile: IndicatorProfile, district=None) -> bool:
    """The reporting unit reports every row; a district government its own district's row."""
    if is_office(user):
        return True
    m = membership(user)
    if m is None or m.role != Role.RESPONSIBLE:
        return False
    if profile.responsible_id and m.organization_id == profile.responsible_id:
        return True
    return (
        district is not None
        and profile.district_breakdown
        and m.organization.kind == OrgKind.DISTRICT
        and m.organization_id == district.pk
    )


# --- rules ----------------------------------------------------------------------------------------


def check_value(profile: IndicatorProfile, end: dt.date, district, value: Decimal, exclude_pk=None):
    """(errors, warnings) for a value, against its neighbours and the district breakdown."""
    errors, warnings = [], []
    unit = profile.indicator.unit or ""
    if profile.kind in (Kind.STOCK, Kind.FLOW) and value < 0:
        errors.append("数值不能为负数。")
    if profile.min_value is not None and value < profile.min_value:
        errors.append(
            f"数值{figure(value, unit, scale=False)}低于合理下限{figure(profile.min_value, unit, scale=False)}，请核实。"
        )
    if profile.max_value is not None and value > profile.max_value:
        errors.append(
            f"数值{figure(value, unit, scale=False)}高于合理上限{figure(profile.max_value, unit, scale=False)}，请核实。"
        )
    if profile.kind == Kind.STOCK:
        rows = DataValue.objects.filter(indicator=profile.indicator, district=district, status__in=REPORTED)
        if exclude_pk:
            rows = rows.exclude(pk=exclude_pk)
        before = rows.filter(period__lt=end).order_by("-period").first()
        after = rows.filter(period__gt=end).order_by("period").first()
        if before and value < before.value:
            errors.append(
                f"累计数不能减少：{period_label(before.period, profile.frequency)}已报{figure(before.value, unit, scale=False)}，"
                f"本期{figure(value, unit, scale=False)}。"
            )
        if after and value > after.value:
            errors.append(
                f"累计数不能减少：{period_label(after.period, profile.frequency)}已报{figure(after.value, unit, scale=False)}，"
                f"本期{figure(value, unit, scale=False)}比它还大。"
            )
    if profile.district_breakdown:
        warnings += _district_sum_warnings(profile, end, district, value, exclude_pk)
    return errors, warnings


def _district_sum_warnings(profile, end, district, value, exclude_pk) -> list[str]:

    districts = district_orgs()
    rows = {
        v.district_id: v.value
        for v in DataValue.objects.filter(
            indicator=profile.indicator, period=end, status__in=REPORTED
        ).exclude(pk=exclude_pk or 0)
    }
    rows[district.pk if district else None] = value
    if None not in rows or any(d.pk not in rows for d in districts):
        return []
    total = sum(rows[d.pk] for d in districts)
    city = rows[None]
    if city and abs(total - city) > abs(city) * DISTRICT_SUM_TOLERANCE:
        return [
            f"各区数值合计{plain(total)}与全市合计{plain(city)}不一致（相差{plain(total - city)}），请核实。"
        ]
    return []


# --- workflow -------------------------------------------------------------------------------------


@transaction.atomic
def save_value(
    user,
    indicator: Indicator,
    day: dt.date,
    district,
    value: Decimal,
    note: str = "",
    submit: bool = True,
    version: str = "",
):
    """Create or correct the value of a period (a draft, or submitted for approval). With the
    ``version`` the value was read at (``versions.ABSENT`` when there was none), a value changed
    or entered meanwhile by someone else raises ``versions.Stale`` instead of being overwritten —
    unless this write says the same."""
    profile = profile_of(indicator)
    if not can_report(user, profile, district):
        raise ReportError("您所在单位不是该指标的报送单位。")
    try:  # every way in (page, API, import) ends here: what is saved can be read back
        value = bounds.decimal(value, 24, 4, "数值")
        bounds.check_date(day, "报告期")
    except bounds.OutOfBounds as exc:
        raise ReportError(str(exc)) from exc
    if district is not None and not profile.district_breakdown:
        raise ReportError("该指标不分区报送，请填写全市合计。")
    end = period_end(day, profile.frequency)
    if end > period_end(timezone.localdate(), profile.frequency):
        raise ReportError(f"不能填报未来的报告期（{period_label(end, profile.frequency)}）。")
    current = (
        DataValue.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, period=end, district=district)
        .first()
    )
    if (
        current is not None
        and versions.is_stale(current, version)
        and (current.value != value or current.note != (note or "")[:500])
    ):
        raise versions.Stale(current, version, "指标数据")
    if current and current.status == ValueStatus.APPROVED:
        raise ReportError("该期数据已审核通过；如需更正，请联系统筹办退回。")
    errors, warnings = check_value(profile, end, district, value, current.pk if current else None)
    if errors:
        raise ReportError(errors)
    dv = current or DataValue(indicator=indicator, period=end, district=district)
    m = membership(user)
    dv.value, dv.note = value, (note or "")[:500]
    dv.reported_by, dv.reporting_org = user, m.organization if m else None
    dv.status = ValueStatus.SUBMITTED if submit else ValueStatus.DRAFT
    dv.submitted_at = timezone.now() if submit else None
    dv.return_comment = ""
    dv._history_user = user
    dv.save()
    _bump()
    return dv, warnings


@transaction.atomic
def approve(user, dv: DataValue) -> DataValue:
    if not is_office(user):
        raise ReportError("只有统筹办可以审核指标数据。")
    if dv.status != ValueStatus.SUBMITTED:
        raise ReportError("只能审核待审核的数据。")
    dv.status, dv.approved_by, dv.approved_at = ValueStatus.APPROVED, user, timezone.now()
    dv._history_user = user
    dv.save()
    _bump()
    _notify_reporter(
        dv,
        f"{dv.indicator.name} {period_label(dv.period, profile_of(dv.indicator).frequency)}数据已审核通过",
        "",
    )
    return dv


@transaction.atomic
def return_value(user, dv: DataValue, comment: str) -> DataValue:
    if not is_office(user):
        raise ReportError("只有统筹办可以退回指标数据。")
    if dv.status not in REPORTED:
        raise ReportError("只能退回已提交或已审核的数据。")
    if not (comment or "").strip():
        raise ReportError("退回时请填写意见。")
    dv.status, dv.return_comment = ValueStatus.RETURNED, comment.strip()[:500]
    dv.approved_by = dv.approved_at = None
    dv._history_user = user
    dv.save()
    _bump()
    _notify_reporter(
        dv,
        f"{dv.indicator.name} {period_label(dv.period, profile_of(dv.indicator).frequency)}数据被退回",
        comment,
    )
    return dv


def _notify_reporter(dv: DataValue, title: str, body: str) -> None:
    from newinfra.supervision.notices import notify

    if dv.reporting_org_id:
        # A returned value is corrected on the report page; each decision is its own event.
        page = "report/" if dv.status == ValueStatus.RETURNED else ""
        version = dv.history.values_list("history_id", flat=True).first()
        notify(
            dv.reporting_org,
            title,
            body,
            f"/indicators/{dv.indicator_id}/{page}",
            key=f"value:{dv.pk}:{dv.status}:{version}",
        )


def _bump() -> None:
    bump_values()


__all__ = ["Frequency", "ReportError", "save_value"]
