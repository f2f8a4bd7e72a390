"""An evaluation is true to its 基准日: frozen years later, after the data has moved on, it shows
the values, task states and project library as they stood then (from the records' history)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from newinfra.evaluation.models import Phase
from newinfra.evaluation.services import freeze
from newinfra.evaluation.snapshot import known_by
from newinfra.indicators import services
from newinfra.indicators.models import DataValue
from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Responsibility, Target, Task
from newinfra.projects import services as project_services
from newinfra.projects.models import Project, Stage, Status
from newinfra.projects.tests.helpers import admitted_project, user
from newinfra.supervision import services as supervision

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2022, 12, 31)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def backdate(record, when: dt.datetime) -> None:
    """As if the record had been written at ``when``: its history rows say so."""
    type(record).history.filter(id=record.pk).update(history_date=when)


def report(indicator, period, value, when):
    dv, _ = services.save_value(user("office"), indicator, period, None, D(value))
    services.approve(user("office"), dv)
    backdate(dv, when)
    return dv


def test_a_summary_evaluation_frozen_years_later_shows_the_state_of_its_date():
    # An indicator whose history we write ourselves: its demo values and their history out of the way.
    target = Target.objects.filter(is_active=True, plan__is_active=True, indicator__name="5G基站").first()
    ind = target.indicator
    DataValue.history.filter(indicator=ind).delete()
    DataValue.objects.filter(indicator=ind).delete()
    q3 = report(ind, dt.date(2022, 9, 30), 30000, at(dt.date(2022, 10, 12)))
    # Q4 was reported on 10 January, within the period's reporting window: it counts.
    report(ind, dt.date(2022, 12, 31), 36000, at(dt.date(2023, 1, 10)))
    # Later: Q4 is corrected in 2024 (after a return) and a 2023 value arrives; neither counts.
    dv = DataValue.objects.get(indicator=ind, period=dt.date(2022, 12, 31), district__isnull=True)
    services.return_value(user("office"), dv, "口径调整")
    dv = services.save_value(user("office"), ind, dt.date(2022, 12, 31), None, D(99999))[0]
    services.approve(user("office"), dv)
    report(ind, dt.date(2023, 3, 31), 120000, timezone.now())
    assert q3.period < AS_OF

    # Projects: the library on 31 Dec 2022 is the demo projects admitted by then, as they were.
    library = [
        p
        for p in Project.objects.filter(is_demo=True, status=Status.ADMITTED, admitted_on__lte=AS_OF)
        if p.stage != Stage.REMOVED
    ]
    n, investment = len(library), sum(p.total_investment for p in library)
    late = admitted_project()  # admitted today, years after the 基准日
    changed = library[0]
    changed.total_investment += D("5000")
    changed._history_user = user("office")
    changed.save()
    project_services.remove(library[1], user("office"), "2025年调出")

    # A task: lagging in 2022 Q4 (posted on 20 Dec 2022), done in 2024.
    task = (
        Task.objects.filter(
            responsibilities__organization__name="市工业和信息化局", responsibilities__is_active=True
        )
        .exclude(state__status="closed")
        .order_by("pk")
        .first()
    )
    lagging = supervision.post_progress(user("gongxin"), task, "lagging", "滞后", day=dt.date(2022, 12, 20))
    backdate(lagging, at(dt.date(2022, 12, 20)))
    done = supervision.post_progress(user("gongxin"), task, "done", "完成", day=dt.date(2024, 5, 1))
    assert done.pk != lagging.pk

    snap = freeze(user("office"), "总结示范", Phase.SUMMARY, AS_OF).snapshot

    five_g = [t for t in snap["targets"] if t["indicator"] == "5G基站"]
    assert five_g and all(t["current"] == 36000 for t in five_g)
    main = next(t for t in five_g if t["target"] == target.display_value)
    assert main["progress"] == pytest.approx(36000 / float(target.value), abs=1e-4)
    assert snap["library"]["n"] == n
    assert snap["library"]["investment"] == pytest.approx(float(investment))
    assert late.pk not in {p.pk for p in library}
    row = next(t for t in snap["tasks"] if t["number"] == task.number and t["title"] == task.title)
    assert row["status"] == "lagging"


def test_the_reporting_window_is_fifteen_days():
    assert known_by(AS_OF) == timezone.make_aware(dt.datetime.combine(dt.date(2023, 1, 15), dt.time.max))


def test_collective_placeholders_are_not_scored_and_their_tasks_count_for_their_members():
    snap = freeze(user("office"), "总结示范", Phase.SUMMARY, AS_OF).snapshot
    assert not {c["name"] for c in snap["units"]} & {"各区政府", "市直职能部门"}
    # 天河区's tasks: those naming it, and those of 各区政府, which stands for every district.
    tianhe = Organization.objects.get(name="天河区政府")
    collective = Organization.objects.get(name="各区政府")
    named = set(
        Responsibility.objects.filter(is_active=True, organization=tianhe).values_list("task_id", flat=True)
    )
    shared = set(
        Responsibility.objects.filter(is_active=True, organization=collective).values_list(
            "task_id", flat=True
        )
    )
    assert shared - named, "the plans give 各区政府 tasks of their own"
    card = next(d for d in snap["districts"] if d["name"] == "天河区")
    assert card["tasks"] == len(named | shared)


def test_changing_the_phase_moves_the_date_and_a_mismatch_is_refused():
    from newinfra.projects.tests.helpers import client_for

    page = client_for("office").get("/evaluations/").content.decode()
    assert 'data-dates="' in page and "2022-12-31" in page
    response = client_for("office").post(
        "/evaluations/", {"name": "总结示范", "phase": "summary", "as_of": "2021-12-31"}
    )
    assert response.status_code == 200
    assert "总结示范的评估基准日为2022-12-31" in response.content.decode()
    assert Indicator.objects.exists()
