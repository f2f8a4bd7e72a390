"""Reading many targets at once: approved series, overdue periods and attainment, cached by version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import connections
from django.utils import timezone
from django.utils.dateparse import parse_date

from newinfra.orgs.models import Organization, OrgKind
from newinfra.plans.models import Plan, Target, with_plan
from newinfra.projects.models import Domain
from newinfra.utilities.held import held

from . import attainment as att
from .attainment import STATUS_LABELS, Attainment
from .models import (
    DataValue,
    Frequency,
    IndicatorProfile,
    Kind,
    ValueStatus,
    period_end,
    period_label,
    previous_period_end,
)

REPORTED = (ValueStatus.SUBMITTED, ValueStatus.APPROVED)
DOMAIN_LABELS = dict(Domain.choices) | {"other": "其他"}


def district_orgs() -> list[Organization]:
    return list(
        Organization.objects.filter(kind=OrgKind.DISTRICT, is_active=True)
        .exclude(name="各区政府")
        .order_by("code")
    )


def values_version() -> int:
    from newinfra.projects.stats_cache import current_version

    return current_version("values")


def bump_values() -> None:
    """Every change of a value, profile or target makes cached attainment stale."""
    from newinfra.projects.stats_cache import bump

    bump("values")


@dataclass
class TargetRow:
    target: Target
    profile: IndicatorProfile | None
    attainment: Attainment
    points: list[tuple[dt.date, float]]
    overdue: list[dt.date]


def city_series(
    indicator_ids=None, known_by: dt.datetime | None = None
) -> tuple[dict[int, list[tuple[dt.date, float]]], dict[int, set]]:
    """(approved city values by indicator, periods with a submitted or approved city value), one query.

    ``known_by``: the values as they stood at that moment, read from their history (a value
    approved later, corrected later or entered later does not count)."""
    if known_by is None:
        rows = DataValue.objects.filter(
            district__isnull=True, status__in=(ValueStatus.SUBMITTED, ValueStatus.APPROVED)
        )
        if indicator_ids is not None:
            rows = rows.filter(indicator_id__in=indicator_ids)
        found = _fetch(
            rows.order_by("indicator_id", "period").values_list("indicator_id", "period", "value", "status")
        )
    else:
        history = DataValue.history.filter(district__isnull=True, history_date__lte=known_by)
        if indicator_ids is not None:
            history = history.filter(indicator_id__in=indicator_ids)
        latest: dict[int, tuple] = {}
        for pk, kind, ind, period, value, status in history.order_by(
            "id", "history_date", "history_id"
        ).values_list("id", "history_type", "indicator_id", "period", "value", "status"):
            latest[pk] = (kind, ind, period, value, status)
        found = sorted(
            (ind, period, value, status)
            for kind, ind, period, value, status in latest.values()
            if kind != "-" and status in (ValueStatus.SUBMITTED, ValueStatus.APPROVED)
        )
    approved: dict[int, list[tuple[dt.date, float]]] = {}
    reported: dict[int, set] = {}
    days: dict = {}  # one date object per period: the rows are cached (pickled) with their points
    to_float = _float_of(DataValue._meta.get_field("value"))
    for ind, period, value, status in found:
        day = days.get(period)
        if day is None:
            day = days[period] = period if isinstance(period, dt.date) else parse_date(period)
        reported.setdefault(ind, set()).add(day)
        if status == APPROVED:
            approved.setdefault(ind, []).append((day, to_float(value)))
    return approved, reported


APPROVED = ValueStatus.APPROVED.value


def _fetch(values_list) -> list[tuple]:
    """The rows of a ``values_list`` query as the database driver gives them, without the ORM's
    converters on every value (for the city series: 10,800 rows in 13 ms instead of 30 ms).
    The caller converts: see ``_float_of``; a date may come as text."""
    compiler = values_list.query.get_compiler(values_list.db)
    sql, params = compiler.as_sql()
    with connections[values_list.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _float_of(field):
    """Raw values of a DecimalField → the float of the Decimal the ORM would have made of them:
    a Decimal (PostgreSQL) or an integer SQLite holds exactly (below 10^15, which SQLite's
    converter keeps to the digit) at once; anything else (a REAL) through the ORM's converter."""
    connection = connections[field.model._default_manager.db]
    col = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
    exact = 10**15

    def to_float(value) -> float:
        kind = type(value)
        if kind is Decimal or (kind is int and -exact < value < exact):
            return float(value)
        for convert in converters:
            value = convert(value, col, connection)
        return float(value)

    return to_float


def attainment_rows(
    targets=None, as_of: dt.date | None = None, use_cache: bool = True, known_by: dt.datetime | None = None
) -> list[TargetRow]:
    """Every active target with its attainment on ``as_of`` (today by default); ``known_by``: from
    the values as they stood at that moment (an evaluation's 基准日), not as they stand now."""
    as_of = as_of or timezone.localdate()
    qs = targets if targets is not None else Target.objects.live()
    # Without the plan's parse result and text (with_plan): the rows are kept per process and every
    # target carries its own copy of its plan — with them, megabytes per process (once 6 MB to
    # unpickle on every page with lights).
    qs = with_plan(qs).select_related("indicator", "task").order_by("plan_id", "order")
    if use_cache and targets is None and known_by is None:
        # Held in the process (utilities.held), not unpickled per page; callers only read the rows.
        key = f"newinfra:attainment:{values_version()}:{as_of.isoformat()}"
        return list(held(key, lambda: _attainment_rows(qs, as_of, known_by)))
    return _attainment_rows(qs, as_of, known_by)


def _attainment_rows(qs, as_of: dt.date, known_by) -> list[TargetRow]:
    qs = _shared(list(qs), "plan")
    ids = {t.indicator_id for t in qs}
    profiles = {
        p.indicator_id: p
        for p in _shared(
            list(IndicatorProfile.objects.filter(indicator_id__in=ids).select_related("responsible")),
            "responsible",
        )
    }
    series, reported = city_series(ids, known_by)
    coverage = _coverage_points(profiles)
    due: dict[tuple, list[dt.date]] = {}  # the due periods of a reporting rule, worked out once
    rows = []
    for t in qs:
        profile = profiles.get(t.indicator_id)
        points = coverage.get(t.indicator_id) or series.get(t.indicator_id, [])
        start = t.plan.period_start or 2020
        until = target_due(t, as_of)
        overdue = []
        if profile and profile.responsible_id:
            recent = _recent_year(start, as_of, until)
            rule = (profile.frequency, profile.grace_days, recent, until)
            if rule not in due:
                due[rule] = due_periods(profile, recent, as_of, until)
            done = reported.get(t.indicator_id, ())
            overdue = [p for p in due[rule] if p not in done]
        points_now = [p for p in points if p[0] <= as_of]
        rows.append(
            TargetRow(
                t, profile, assess_target(t, points_now, as_of, profile, bool(overdue)), points_now, overdue
            )
        )
    return rows


def _shared(objects: list, field: str) -> list:
    """``objects`` with one instance of each related ``field`` (``select_related`` makes a copy per
    row): the rows are cached, and 300 copies of one plan are 300 times its pickling."""
    seen: dict = {}
    for obj in objects:
        pk = getattr(obj, f"{field}_id")
        if pk is not None:
            setattr(obj, field, seen.setdefault(pk, getattr(obj, field)))
    return objects


def _coverage_points(profiles) -> dict[int, list[tuple[dt.date, float]]]:
    """Indicators of kind 服务半径/覆盖 read the latest coverage analyses of the map, when there are any."""
    out = {}
    radius = [p for p in profiles.values() if p.kind == "radius"]
    if not radius:
        return out
    try:
        from newinfra.geo.coverage import coverage_series
    except ImportError:
        return out
    for p in radius:
        points = coverage_series(p.indicator)
        if points:
            out[p.indicator_id] = points
    return out


@lru_cache(maxsize=1)
def _domain_keywords():
    return [
        ("5g", ("5G", "基站", "站址", "千兆", "光网", "宽带", "IPv6")),
        (
            "iiot",
            ("工业互联网", "标识解析", "上云", "工业APP", "工业软件", "数字化转型", "产业集群", "示范企业"),
        ),
        ("datacenter", ("数据中心", "PUE", "机架", "算力", "计算", "存储")),
        ("ai", ("人工智能", "智能经济", "应用场景")),
        ("energy", ("充电", "充换电", "加氢", "氢站", "变电站", "能源")),
        ("transport", ("自动驾驶", "车路协同", "智路", "交通")),
        ("city", ("智慧灯杆", "灯杆", "学校", "医院", "农业", "农机", "政务")),
    ]


def domain_of(indicator_name: str, profile: IndicatorProfile | None = None) -> str:
    """The domain an indicator belongs to: its profile's, else guessed from its name."""
    if profile and profile.domain:
        return profile.domain
    for domain, words in _domain_keywords():
        if any(w in indicator_name for w in words):
            return domain
    return "other"


# --- attainment -----------------------------------------------------------------------------------


def due_periods(
    profile: IndicatorProfile, start_year: int, as_of: dt.date, until: dt.date | None = None
) -> list[dt.date]:
    """Period ends from the plan's first year (to ``until``, the end of the plan) whose reporting
    deadline has passed by ``as_of``. After a plan ends nothing more is due."""
    out = []
    end = period_end(min(as_of, until) if until else as_of, profile.frequency)
    while end.year >= start_year:
        if profile.due_date(end) < as_of:
            out.append(end)
        end = previous_period_end(end, profile.frequency)
    return sorted(out)


def overdue_periods(
    profile: IndicatorProfile,
    start_year: int,
    as_of: dt.date,
    reported: set[dt.date],
    until: dt.date | None = None,
) -> list[dt.date]:
    """Due periods without a submitted or approved city value (within the last two years)."""
    recent = _recent_year(start_year, as_of, until)
    return [p for p in due_periods(profile, recent, as_of, until) if p not in reported]


def _recent_year(start_year: int, as_of: dt.date, until: dt.date | None) -> int:
    """The first year whose missing reports count as overdue: last year, not before the plan."""
    return max(start_year, (min(as_of, until) if until else as_of).year - 1)


def task_deadline(target: Target) -> dt.date | None:
    """The deadline_date of the task a target belongs to (None without task or date)."""
    return target.task.deadline_date if target.task_id else None


def target_due(target: Target, as_of: dt.date) -> dt.date:
    """The day a target is due: the end of its year; without a year, its task's deadline_date;
    else the end of its plan."""
    if target.year:
        return dt.date(target.year, 12, 31)
    return task_deadline(target) or dt.date(target.plan.period_end or as_of.year, 12, 31)


def target_spec(target: Target) -> att.TargetSpec:
    plan = target.plan
    return att.spec_from(
        target.value,
        target.comparator,
        target.value_max,
        target.per_year,
        target.year,
        plan.period_start,
        plan.period_end,
        deadline=task_deadline(target),
    )


# A service-radius target (服务半径小于1公里) is judged on the share of the area within that radius of
# a facility, from the map's coverage analysis; this share counts as met unless the profile's
# lower bound says otherwise.
RADIUS_MET_SHARE = 95.0


def assess_target(
    target: Target, points, as_of: dt.date, profile: IndicatorProfile | None, overdue: bool
) -> att.Attainment:
    if profile and profile.kind == Kind.RADIUS:
        spec = target_spec(target)
        goal = float(profile.min_value) if profile.min_value is not None else RADIUS_MET_SHARE
        spec = att.TargetSpec(value=goal, comparator=">=", deadline=spec.deadline, start=spec.start)
        return att.assess(spec, points, as_of, baseline=None, overdue=overdue)
    baseline = float(profile.baseline) if profile and profile.baseline is not None else None
    cumulative = not profile or profile.kind != Kind.FLOW
    return att.assess(
        target_spec(target), points, as_of, baseline=baseline, overdue=overdue, cumulative=cumulative
    )


# --- pages: the assessment date and a target's row ------------------------------------------------


def as_of_from(request) -> dt.date:
    """The assessment date: ?as_of=YYYY-MM-DD, else today."""
    raw = request.GET.get("as_of", "")
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def as_of_choices(today: dt.date) -> list[tuple[str, str]]:
    """Quarter ends of the plans' years, for looking back at any moment of the plan."""
    years = Plan.objects.live().values_list("period_start", "period_end")
    first = min((a or b or today.year for a, b in years), default=today.year)
    out = [(today.isoformat(), f"今天（{today:%Y-%m-%d}）")]
    end = period_end(today, Frequency.QUARTER)
    end = previous_period_end(end, Frequency.QUARTER)
    while end.year >= first:
        out.append((end.isoformat(), period_label(end, Frequency.QUARTER) + "末"))
        end = previous_period_end(end, Frequency.QUARTER)
    return out


def row_dict(r) -> dict:
    a = r.attainment
    t = r.target
    return {
        "target": t,
        "profile": r.profile,
        "domain": DOMAIN_LABELS.get(domain_of(t.indicator.name, r.profile), "其他"),
        "a": a,
        "status": a.status,
        "label": STATUS_LABELS[a.status],
        "overdue": r.overdue,
    }
