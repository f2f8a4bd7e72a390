"""Loading plans: the gold's tasks, units and targets end up in the database, once."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newinfra.orgs.models import Organization
from newinfra.plans.compare import shared_indicators
from newinfra.plans.models import Indicator, Plan, Target, Task

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"
SEEDS = {"000_ba1357ab942c2fa4": "广州市推进新型基础设施建设实施方案", "004_95f77615fa3aaf4e": None}

pytestmark = pytest.mark.django_db


def gold(stem: str) -> dict:
    return json.loads((DATA / "gold" / f"{stem}.json").read_text(encoding="utf-8"))


def plan_of(stem: str) -> Plan:
    return Plan.objects.get(source_name=f"{stem}.txt")


def test_both_plans_are_loaded_with_20_and_40_tasks():
    assert Plan.objects.filter(is_active=True).count() == 2
    assert plan_of("000_ba1357ab942c2fa4").tasks.filter(is_active=True).count() == 20
    assert plan_of("004_95f77615fa3aaf4e").tasks.filter(is_active=True).count() == 40


@pytest.mark.parametrize("stem", SEEDS)
def test_every_gold_unit_is_attached_to_its_task(stem):
    plan = plan_of(stem)
    for g in gold(stem)["tasks"]:
        task = plan.tasks.get(number=g["number"], is_active=True)
        attached = {r.organization_id: r.is_lead for r in task.responsibilities.filter(is_active=True)}
        expected = {Organization.objects.resolve(u).pk: u in g["lead_units"] for u in g["all_units"]}
        assert attached == expected, g["number"]


@pytest.mark.parametrize("stem", SEEDS)
def test_target_values_equal_the_gold(stem):
    plan = plan_of(stem)
    got = [
        (t.text, t.value, t.value_max, t.unit, t.comparator, t.year, t.task.number if t.task else None)
        for t in plan.targets.filter(is_active=True).select_related("task").order_by("order")
    ]
    want = [
        (
            g["text"],
            Decimal(str(g["value"])),
            None if g["value_max"] is None else Decimal(str(g["value_max"])),
            g["unit"],
            g["comparator"],
            g["year"],
            g["task_number"],
        )
        for g in gold(stem)["targets"]
    ]
    assert [w[1:] for w in want] == [g[1:] for g in got]


def test_the_same_measure_in_two_plans_is_one_indicator_and_conflicts_are_shown():
    five_g = Indicator.objects.get(name="5G基站")
    assert sorted(t.value for t in five_g.targets.all()) == [Decimal(38900), Decimal(80000)]
    charging = Indicator.objects.get(name="充电桩")
    assert sorted(t.value for t in charging.targets.all()) == [Decimal(50000), Decimal(55000)]
    conflicts = {ind.name for ind, conflict in shared_indicators() if conflict}
    assert {"5G基站", "充电桩"} <= conflicts
    lamp = {ind.name: conflict for ind, conflict in shared_indicators()}["智慧灯杆"]
    assert lamp is False  # 3.4万根 in both plans


def test_loading_the_same_file_twice_changes_nothing():
    before = (Task.history.count(), Target.history.count())
    out = call_command_output("load_plan", str(DATA / "seeds" / "004_95f77615fa3aaf4e.txt"))
    assert "unchanged" in out
    assert (Task.history.count(), Target.history.count()) == before


def test_a_revised_version_reports_what_changed(tmp_path):
    src = (DATA / "seeds" / "004_95f77615fa3aaf4e.txt").read_text(encoding="utf-8")
    revised = src.replace("到2022年底力争建成智慧灯杆3.4万根", "到2022年底力争建成智慧灯杆4万根")
    revised = revised.replace("  40.加大督促评估力度。", "  40.加大督促评估力度（修订）。")
    path = tmp_path / "004_95f77615fa3aaf4e.txt"
    path.write_text(revised, encoding="utf-8")
    out = call_command_output("load_plan", str(path))
    assert "updated" in out
    plan = plan_of("004_95f77615fa3aaf4e")
    lamp = plan.targets.get(is_active=True, indicator__name="智慧灯杆")
    assert lamp.value == Decimal(40000)
    # The same target, changed: its history holds the old value.
    assert list(lamp.history.order_by("history_date").values_list("value", flat=True)) == [
        Decimal(34000),
        Decimal(40000),
    ]
    assert "target 智慧灯杆: 建成智慧灯杆3.4万根 → 建成智慧灯杆4万根" in out
    task40 = plan.tasks.get(number="40")
    assert task40.title == "加大督促评估力度（修订）"
    assert task40.history.count() >= 2


def test_a_broken_file_is_rejected_and_changes_nothing(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    counts = (Plan.objects.count(), Task.objects.count(), Organization.objects.count())
    with pytest.raises(CommandError, match="not a valid .docx"):
        call_command("load_plan", str(broken))
    empty = tmp_path / "notes.txt"
    empty.write_text("这只是一段说明文字，没有任何任务。", encoding="utf-8")
    with pytest.raises(CommandError, match="no tasks"):
        call_command("load_plan", str(empty))
    assert (Plan.objects.count(), Task.objects.count(), Organization.objects.count()) == counts


def call_command_output(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
