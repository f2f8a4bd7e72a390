"""The demo's rolling plan follows each project's months of works, so the yearly 计划投资 differ.

It used to give every admitted project a third of its total in each of 2020, 2021 and 2022, so
the annual completion rate showed the same 计划投资 (1510285) for the three years.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from newinfra.projects.demo import annual_plan
from newinfra.projects.models import AnnualInvestment, Project


@pytest.mark.parametrize(
    ("start", "finish", "expected"),
    [
        # 12 months in 2021, 6 in 2022: two thirds, one third
        (dt.date(2021, 1, 1), dt.date(2022, 6, 30), {2021: Decimal("600.00"), 2022: Decimal("300.00")}),
        # works inside one year: all of it in that year
        (dt.date(2020, 3, 1), dt.date(2020, 10, 31), {2020: Decimal("900.00")}),
        # 2020-07 → 2023-06: 6 + 12 + 12 (+ 6 in 2023, outside the plan's years)
        (
            dt.date(2020, 7, 1),
            dt.date(2023, 6, 30),
            {2020: Decimal("150.00"), 2021: Decimal("300.00"), 2022: Decimal("300.00")},
        ),
    ],
)
def test_a_projects_plan_follows_its_months_of_works(start, finish, expected):
    assert annual_plan(Decimal("900"), start, finish) == expected


@pytest.mark.django_db
def test_the_demo_library_plans_different_amounts_each_year():
    per_year = dict(
        AnnualInvestment.objects.filter(project__is_demo=True)
        .values("year")
        .annotate(s=Sum("planned"))
        .values_list("year", "s")
    )
    assert len(set(per_year.values())) == len(per_year) == 3
    for p in Project.objects.filter(is_demo=True, annual_plans__isnull=False).distinct()[:50]:
        years = set(p.annual_plans.values_list("year", flat=True))
        assert min(years) >= p.planned_start.year and max(years) <= p.planned_finish.year
        assert sum(p.annual_plans.values_list("planned", flat=True)) <= p.total_investment
