"""Attainment read in bulk gives the figures a straightforward reading gives, with as many queries
whatever the number of values; the city overview's library figures are the statistics'."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newinfra.indicators.models import DataValue, Frequency, IndicatorProfile, ValueStatus, period_end
from newinfra.indicators.queries import (
    assess_target,
    attainment_rows,
    bump_values,
    city_series,
    overdue_periods,
    target_due,
)
from newinfra.orgs.models import Organization, OrgKind
from newinfra.plans.models import Target
from newinfra.projects.tests.helpers import client_for

from .helpers import live_target

pytestmark = pytest.mark.django_db

# Values as users enter them: integers, decimals SQLite keeps as REAL, more than 15 digits,
# negatives, zero; one table, one indicator per row.
VALUES = [
    ["整数", [Decimal(1), Decimal(25), Decimal(40)]],
    ["小数", [Decimal("0.1"), Decimal("0.3"), Decimal("1.3333")]],
    ["大数", [Decimal("999999999999999"), Decimal("1000000000000000"), Decimal("12345678901234567890")]],
    ["多位小数", [Decimal("123456789012.3456"), Decimal("98765.4321"), Decimal("0.0001")]],
    ["负数和零", [Decimal("-3.5"), Decimal(0), Decimal("-12")]],
]


def _months(n: int) -> list[dt.date]:
    year = timezone.localdate().year - 1
    return [period_end(dt.date(year, m + 1, 1), Frequency.MONTH) for m in range(n)]


def _series_of(target, values, statuses=(ValueStatus.APPROVED,) * 3):
    district = Organization.objects.filter(kind=OrgKind.DISTRICT).exclude(name="各区政府").first()
    for period, value, status in zip(_months(len(values)), values, statuses, strict=True):
        DataValue.objects.create(indicator=target.indicator, period=period, value=value, status=status)
        # a district's value of the same period is not the city's
        DataValue.objects.create(
            indicator=target.indicator, period=period, district=district, value=value + 7, status=status
        )


def _straightforward(indicator_id):
    """The city series as one would read it value by value through the ORM."""
    rows = DataValue.objects.filter(indicator_id=indicator_id, district__isnull=True).order_by("period")
    approved = [(v.period, float(v.value)) for v in rows if v.status == ValueStatus.APPROVED]
    reported = {v.period for v in rows if v.status in (ValueStatus.SUBMITTED, ValueStatus.APPROVED)}
    return approved, reported


@pytest.mark.parametrize(("name", "values"), VALUES)
def test_the_city_series_is_the_values_as_the_orm_reads_them(name, values):
    target = live_target(f"测试{name}")
    _series_of(target, values, (ValueStatus.APPROVED, ValueStatus.SUBMITTED, ValueStatus.APPROVED))
    approved, reported = city_series([target.indicator_id])
    expected_approved, expected_reported = _straightforward(target.indicator_id)
    assert approved.get(target.indicator_id, []) == expected_approved
    assert all(type(v) is float for _, v in expected_approved)
    assert reported[target.indicator_id] == expected_reported
    # the history path (an evaluation's 基准日) reads the same
    assert city_series([target.indicator_id], known_by=timezone.now()) == (approved, reported)


def test_every_light_is_what_assessing_each_target_on_its_own_gives():
    for name, values in VALUES:
        _series_of(live_target(f"测试{name}"), values)
    as_of = timezone.localdate()
    rows = attainment_rows(as_of=as_of, use_cache=False)
    assert len(rows) == Target.objects.live().count()
    for r in rows:
        t = Target.objects.select_related("plan", "task").get(pk=r.target.pk)
        profile = IndicatorProfile.objects.filter(indicator_id=t.indicator_id).first()
        approved, reported = _straightforward(t.indicator_id)
        if profile and profile.kind == "radius":
            continue  # read from the map's coverage analysis, not from values
        points = [p for p in approved if p[0] <= as_of]
        overdue = (
            overdue_periods(profile, t.plan.period_start or 2020, as_of, reported, target_due(t, as_of))
            if profile and profile.responsible_id
            else []
        )
        assert r.points == points, t
        assert r.overdue == overdue, t
        assert r.attainment == assess_target(t, points, as_of, profile, bool(overdue)), t


def _queries(client, request_) -> int:
    """The queries of a request right after a change: attainment and statistics computed afresh."""
    from newinfra.projects.stats_cache import bump

    bump()
    bump_values()
    with CaptureQueriesContext(connection) as ctx:
        if callable(request_):
            request_()
        else:
            assert client.get(request_).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("request_", ["/dashboard/", "/monitor/", "/api/attainment/", attainment_rows])
def test_queries_do_not_grow_with_indicators_and_values(request_):
    client = client_for("office")
    _series_of(live_target("测试一"), VALUES[0][1])
    client.get("/")  # the session's own first queries out of the way
    before = _queries(client, request_)
    for i in range(6):
        _series_of(live_target(f"测试更多{i}"), VALUES[i % len(VALUES)][1])
    assert _queries(client, request_) == before


def test_the_overview_shows_the_library_statistics_and_the_stats_page_its_years():
    from newinfra.projects.permissions import visible_projects
    from newinfra.projects.queries import statistics
    from newinfra.projects.tests.helpers import user

    office = user("office")
    expected = statistics(visible_projects(office))
    page = client_for("office").get("/dashboard/")  # caches the statistics without the years
    assert page.context["stats"] == {k: v for k, v in expected.items() if k != "by_year"}
    stats = client_for("office").get("/projects/stats/")
    assert stats.context["data"]["by_year"] == expected["by_year"]
    shown = stats.context["data"]
    assert [{k: v for k, v in d.items() if k != "share"} for d in shown["by_domain"]] == expected["by_domain"]
    assert {k: v for k, v in shown.items() if k != "by_domain"} == {
        k: v for k, v in expected.items() if k != "by_domain"
    }
