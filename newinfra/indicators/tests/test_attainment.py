"""Status lights for targets as the plans write them, parsed from the plan texts themselves."""

import datetime as dt
from pathlib import Path

import pytest

from newinfra.indicators.attainment import AMBER, GREEN, GREY, RED, assess, spec_from
from newinfra.parsing.pipeline import parse_file

SEEDS = Path(__file__).resolve().parents[3] / "tests" / "data" / "seeds"


@pytest.fixture(scope="module")
def targets():
    """Every target of both seed plans, parsed, by indicator (first of each comparator kept)."""
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = parse_file(path)
        for t in doc.targets:
            out.setdefault(t.indicator, []).append((t, doc))
    return out


def spec(targets, indicator, comparator=None):
    """The parsed target whose indicator contains ``indicator`` (the parser's own wording)."""
    t, doc = next(
        (t, doc)
        for name, found in targets.items()
        if indicator in name
        for t, doc in found
        if comparator in (None, t.comparator)
    )
    period = doc.period or {}
    return spec_from(
        t.value, t.comparator, t.value_max, t.per_year, t.year, period.get("start"), period.get("end")
    )


def d(y, m=12, day=31):
    return dt.date(y, m, day)


def test_pue_below_1_3_is_a_ceiling_met_by_going_down(targets):
    pue = spec(targets, "PUE")
    assert pue.ceiling and pue.value == 1.3
    falling = [(d(2020), 1.6), (d(2021, 6, 30), 1.45)]
    a = assess(pue, falling, d(2021, 6, 30), baseline=1.7)
    assert a.status == GREEN and not a.met and a.forecast < 1.3
    assert assess(pue, [*falling, (d(2021), 1.28)], d(2021), baseline=1.7).met
    rising = [(d(2020), 1.5), (d(2021), 1.55)]
    assert assess(pue, rising, d(2021), baseline=1.5).status == RED
    assert not assess(pue, [(d(2020), 1.3)], d(2020), baseline=1.5).met  # 低于1.3: 1.3 is not enough


def test_5g_base_stations_are_a_floor(targets):
    base = spec(targets, "5G基站")
    assert not base.ceiling and base.value in (38900, 80000)
    goal = base.value
    on_track = [(d(2020), goal * 0.35), (d(2021), goal * 0.7)]
    a = assess(base, on_track, d(2021), baseline=0)
    assert a.status == GREEN and a.forecast >= goal
    slow = [(d(2020), goal * 0.2), (d(2021), goal * 0.3)]
    assert assess(base, slow, d(2021), baseline=0).status == RED
    assert assess(base, [(d(2022, 6, 30), goal)], d(2022, 6, 30)).status == GREEN
    assert assess(base, [], d(2021)).status == GREY
    assert assess(base, [], d(2021), overdue=True).status == RED


def test_a_range_counts_to_its_lower_bound(targets):
    platform = spec(targets, "达到国际水准的跨行业跨领域工业互联网平台")
    assert (platform.value, platform.value_max) == (1, 2)
    assert assess(platform, [(d(2021), 1)], d(2021)).met
    a = assess(platform, [(d(2020), 0), (d(2021, 12, 31), 0)], d(2021))
    assert a.status == RED and not a.met


def test_behind_the_time_line_but_reaching_the_goal_is_amber(targets):
    base = spec(targets, "5G基站")
    goal = base.value
    # Work started a year late but runs steadily to the goal: the fitted line reaches it by the
    # deadline, while progress lags the calendar.
    start, end = d(2021, 1, 1), d(2022)
    rate = goal * 1.02 / (end - start).days
    points = [(day, rate * (day - start).days) for day in (d(2021, 3, 31), d(2021, 6, 30), d(2021, 9, 30))]
    a = assess(base, points, d(2021, 9, 30))
    assert a.forecast >= goal and a.progress < a.elapsed - 0.1
    assert a.status == AMBER


def test_per_year_hydrogen_stations_are_checked_year_by_year(targets):
    h2 = spec(targets, "加(供)氢站")
    assert h2.per_year and h2.value == 3
    # A cumulative count of stations: 3 new in 2020, 3 more in 2021.
    good = [(d(2020), 3), (d(2021), 6)]
    a = assess(h2, good, d(2022, 1, 31), cumulative=True, baseline=0)
    assert a.status != RED and [y for y, _, ok in a.yearly if not ok and y < 2022] == []
    missed = [(d(2020), 3), (d(2021), 4)]  # only 1 new in 2021
    a = assess(h2, missed, d(2022, 1, 31), cumulative=True, baseline=0)
    assert a.status == RED and "2021" in a.explanation
    done = assess(h2, [(d(2020), 3), (d(2021), 6), (d(2022), 9)], d(2023, 1, 31), cumulative=True, baseline=0)
    assert done.met and done.status == GREEN


def test_approximate_targets_are_met_at_95_percent(targets):
    piles = spec(targets, "充电桩", comparator="~")  # 约5.5万个
    assert piles.value == 55000
    assert assess(piles, [(d(2022), piles.value * 0.96)], d(2022)).met
    assert not assess(piles, [(d(2022), piles.value * 0.9)], d(2022)).met


def test_after_the_deadline_a_target_is_met_or_missed(targets):
    base = spec(targets, "5G基站")
    late = assess(base, [(d(2021), base.value * 0.6), (d(2022), base.value * 0.9)], d(2023, 6, 30))
    assert late.status == RED and "到期未达标" in late.explanation
    assert assess(base, [(d(2022), base.value)], d(2023, 6, 30)).status == GREEN


# 完成率 as a programme office computes it by hand, one row per kind of target:
# (comparator, target, value_max, per_year, values (date, value), as_of, baseline,
#  expected 完成率, expected status, words the explanation must contain)
BY_HAND = [
    # 1218.75万户 of 1500万户 is 81 %, whatever the baseline (not (1218.75-1000)/(1500-1000) = 44 %)
    (">=", 15_000_000, None, False, [(d(2021), 12_187_500)], d(2021), 10_000_000, 0.8125, None, ["完成81%"]),
    # 5G基站: 11.68万 of 4万 is 292 % only when measured from a baseline; by hand it is met
    (">=", 40_000, None, False, [(d(2021), 48_000)], d(2021), 30_000, 1.2, GREEN, ["已达到目标值"]),
    # PUE 1.50 against ＜1.3: 1.3 ÷ 1.5 = 87 %, not met, red after the deadline
    (
        "<",
        1.3,
        None,
        False,
        [(d(2021), 1.6), (d(2022), 1.5)],
        d(2023, 3, 31),
        1.7,
        1.3 / 1.5,
        RED,
        ["到期未达标", "87%"],
    ),
    # 约5.5万个 at 94 %: red, and the cell says 95 % is needed
    ("~", 55_000, None, False, [(d(2022), 51_700)], d(2023, 1, 31), None, 0.94, RED, ["94%", "需达到95%"]),
    # 约5.5万个 at 96 %: met
    ("~", 55_000, None, False, [(d(2022), 52_800)], d(2023, 1, 31), None, 0.96, GREEN, ["已达到目标值"]),
    # ＞100 at exactly 100: 100 %, red, and the cell says why
    (">", 100, None, False, [(d(2022), 100)], d(2023, 1, 31), None, 1.0, RED, ["完成100%", "需高于目标值"]),
    # a range 1—2家 counts to 1
    (">=", 1, 2, False, [(d(2021), 1)], d(2021), None, 1.0, GREEN, ["已达到目标值"]),
    # a target of 0 has no 完成率
    (">=", 0, None, False, [(d(2021), 0)], d(2021), None, None, GREEN, ["目标值为0"]),
    # 每年3个 after the period: the last year's new amount, not this calendar year's 0
    (
        ">=",
        3,
        None,
        True,
        [(d(2020), 3), (d(2021), 6), (d(2022), 9)],
        d(2026, 12, 1),
        0,
        1.0,
        GREEN,
        ["2022年新增3"],
    ),
]


@pytest.mark.parametrize("row", BY_HAND, ids=lambda r: f"{r[0]}{r[1]}")
def test_completion_rate_is_what_the_office_computes_by_hand(row):
    comparator, value, value_max, per_year, points, as_of, baseline, rate, status, words = row
    spec = spec_from(value, comparator, value_max, per_year, 2022, 2020, 2022)
    a = assess(spec, points, as_of, baseline=baseline)
    assert a.progress == (None if rate is None else pytest.approx(rate, abs=1e-4))
    if status:
        assert a.status == status
    for w in words:
        assert w in a.explanation, a.explanation


def test_a_forecast_is_only_made_while_the_deadline_is_ahead():
    spec = spec_from(40_000, ">=", year=2022)
    points = [(d(2021, 3, 31), 20_000), (d(2021, 6, 30), 24_000), (d(2021, 9, 30), 28_000)]
    assert assess(spec, points, d(2021, 9, 30)).forecast == pytest.approx(
        48_000, rel=0.01
    )  # +4000 a quarter, 5 quarters on
    assert assess(spec, points, d(2023, 1, 31)).forecast is None


def test_a_red_light_never_stands_beside_an_unexplained_percentage():
    """Every red or amber light names its reason and the 完成率 it is about."""
    spec = spec_from(55_000, "~", year=2022)
    for share in (0.5, 0.9, 0.94, 0.99):
        for as_of in (d(2021, 6, 30), d(2023, 1, 31)):
            points = [(d(2020), 55_000 * share * 0.8), (d(2021, 6, 30), 55_000 * share)]
            a = assess(spec, points, as_of)
            if a.status in (RED, AMBER):
                assert f"{a.progress:.0%}" in a.explanation, a.explanation
