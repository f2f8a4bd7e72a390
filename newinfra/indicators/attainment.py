"""Attainment of a target: progress, time elapsed, forecast and a status light.

Pure Python (no Django), so the rule can be read, tested and shown on the pages as it is.

The rule (RULE_TEXT is what the pages show on hover):
- direction: a target written with < or ≤ (PUE低于1.3, 服务半径小于1公里) is a ceiling, met by going
  down; every other target is a floor (≥, >, =, 约, a range's lower bound), met by going up;
- progress: the share of the way from the baseline to the target that the latest approved value
  has covered (a ceiling counts the way down); a range (1—2家) counts to its lower bound; an
  approximate target (约5.5万) is met at 95 % of its value; a per-year target (每年新建3个) is
  checked year by year on the new amount of each year;
- time elapsed: the share of the target's period (plan start → 31 December of the target year)
  that has passed on the date of the assessment;
- forecast: a straight line fitted (least squares) to the last four approved values (with the
  baseline when there is only one), read at the deadline;
- status: green when met, or when the forecast meets the target and progress is no more than 10
  percentage points behind the time elapsed; amber when the forecast meets it but progress is
  behind the time line; red when the forecast misses it or a report is overdue; grey when there
  is no approved value yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
STATUS_LABELS = {GREEN: "正常", AMBER: "滞后于时间进度", RED: "预警", GREY: "暂无数据"}
APPROXIMATE_TOLERANCE = 0.95
TREND_POINTS = 4
BEHIND_MARGIN = 0.10

RULE_TEXT = (
    "绿：已达标，或按趋势预计到期可达标且进度不落后于时间进度10个百分点以上；"
    "黄：预计到期可达标，但完成进度落后于时间进度10个百分点以上；"
    "红：按最近四期已审核数据的趋势预计到期无法达标，到期未达标，或数据报送逾期；"
    "灰：尚无审核通过的数据。"
    "“低于/小于/不高于”类目标（如PUE、服务半径）以下降为进步；“约”类目标达到95%即视为达标；"
    "区间目标以下限计；“每年”类目标逐年考核当年新增量；"
    "服务半径类目标（如公用充电设施服务半径小于1公里）按“一张图”覆盖分析，服务半径内面积覆盖率达到95%视为达标。"
)


@dataclass(frozen=True)
class TargetSpec:
    value: float
    comparator: str = ">="  # one of = >= > <= < ~
    value_max: float | None = None
    per_year: bool = False
    deadline: dt.date = dt.date(2022, 12, 31)
    start: dt.date = dt.date(2020, 1, 1)

    @property
    def ceiling(self) -> bool:
        return self.comparator in ("<", "<=")

    @property
    def goal(self) -> float:
        """The value that counts as met (approximate targets at 95 %)."""
        if self.comparator == "~":
            return self.value * APPROXIMATE_TOLERANCE
        return self.value


@dataclass
class Attainment:
    status: str
    current: float | None = None
    progress: float | None = None  # 0..1 (may exceed 1)
    elapsed: float = 0.0
    forecast: float | None = None
    met: bool = False
    overdue: bool = False
    explanation: str = ""
    yearly: list[tuple[int, float, bool]] = field(default_factory=list)  # per-year targets

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def _days(a: dt.date, b: dt.date) -> float:
    return float((b - a).days)


def elapsed_share(spec: TargetSpec, as_of: dt.date) -> float:
    total = _days(spec.start, spec.deadline)
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, _days(spec.start, as_of) / total))


def linear_forecast(points: list[tuple[dt.date, float]], at: dt.date) -> float | None:
    """Least-squares line through (date, value), read at ``at``; None without two distinct dates."""
    if len(points) < 2:
        return None
    xs = [p[0].toordinal() for p in points]
    ys = [p[1] for p in points]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return my + slope * (at.toordinal() - mx)


def _meets(spec: TargetSpec, value: float) -> bool:
    if spec.ceiling:
        return value < spec.value if spec.comparator == "<" else value <= spec.value
    if spec.comparator == ">":
        return value > spec.value
    return value >= spec.goal


def assess(
    spec: TargetSpec,
    points: list[tuple[dt.date, float]],
    as_of: dt.date,
    baseline: float | None = None,
    overdue: bool = False,
    cumulative: bool = True,
) -> Attainment:
    """The status of one target from its approved values (date of the period's end, value).

    ``cumulative``: the values are a running stock (5G基站累计数); for a per-year target on such an
    indicator the new amount of a year is its growth over the year before. Otherwise the values
    are the amount of their own period (年度新增).
    """
    points = sorted(points)
    elapsed = elapsed_share(spec, as_of)
    if spec.per_year:
        return _assess_per_year(spec, points, as_of, elapsed, overdue, cumulative, baseline)
    if not points:
        status = RED if overdue else GREY
        why = "数据报送逾期，尚无审核通过的数据" if overdue else "尚无审核通过的数据"
        return Attainment(status, elapsed=elapsed, overdue=overdue, explanation=why)
    current = points[-1][1]
    # Without a recorded baseline a floor counts from zero and a ceiling from its first value.
    base = baseline if baseline is not None else (points[0][1] if spec.ceiling else 0.0)
    if spec.ceiling:
        if base <= spec.value:
            progress = 1.0 if _meets(spec, current) else 0.0
        else:
            progress = (base - current) / (base - spec.value)
    else:
        span = spec.goal - base
        progress = (current - base) / span if span > 0 else (1.0 if _meets(spec, current) else 0.0)
    progress = max(0.0, progress)
    met = _meets(spec, current)
    # The trend of the last four approved values (a year of quarterly reports): recent pace, not
    # the average since the start, so a late start that has since sped up is seen as such.
    recent = points[-TREND_POINTS:]
    line = recent if len(recent) >= 2 or baseline is None else [(spec.start, baseline), *recent]
    forecast = linear_forecast(line, spec.deadline)
    if met:
        status, why = GREEN, "已达到目标值"
    elif as_of > spec.deadline:
        status, why = RED, f"到期未达标（完成{progress:.0%}）"
    elif overdue:
        status, why = RED, "数据报送逾期"
    elif forecast is not None and not _meets(spec, forecast):
        status, why = RED, "按当前趋势预计到期无法达标"
    elif progress < elapsed - BEHIND_MARGIN:
        status, why = AMBER, f"完成进度{progress:.0%}落后于时间进度{elapsed:.0%}"
    else:
        status, why = GREEN, "按当前趋势预计到期可以达标"
    return Attainment(status, current, progress, elapsed, forecast, met, overdue, why)


def _assess_per_year(spec, points, as_of, elapsed, overdue, cumulative, baseline) -> Attainment:
    """每年新建3个: each calendar year's new amount against the yearly target."""
    by_year: dict[int, float] = {}
    last_of_year: dict[int, float] = {}
    for day, value in points:
        if cumulative:
            last_of_year[day.year] = value
        else:
            by_year[day.year] = by_year.get(day.year, 0.0) + value
    if cumulative:
        previous = baseline
        for year in sorted(last_of_year):
            start_value = previous if previous is not None else 0.0
            by_year[year] = last_of_year[year] - start_value
            previous = last_of_year[year]
    if not by_year:
        status = RED if overdue else GREY
        return Attainment(status, elapsed=elapsed, overdue=overdue, explanation="尚无审核通过的数据")
    yearly = []
    missed_years = []
    current_year = as_of.year
    for year in range(spec.start.year, min(current_year, spec.deadline.year) + 1):
        new = by_year.get(year, 0.0)
        done = new >= spec.goal
        finished = year < current_year
        yearly.append((year, new, done))
        if finished and not done:
            missed_years.append(year)
    this_year = by_year.get(current_year, 0.0)
    year_elapsed = min(1.0, max(0.0, (as_of.timetuple().tm_yday) / 365.0))
    this_progress = this_year / spec.goal if spec.goal else 1.0
    years_counted = [y for y in yearly if y[0] <= current_year]
    progress = (
        sum(min(new / spec.goal, 1.0) for _, new, _ in years_counted) / max(1, len(years_counted))
        if spec.goal
        else 1.0
    )
    met = not missed_years and (current_year > spec.deadline.year or this_year >= spec.goal)
    if missed_years:
        status, why = RED, f"{'、'.join(map(str, missed_years))}年未完成当年目标"
    elif overdue:
        status, why = RED, "数据报送逾期"
    elif (
        current_year <= spec.deadline.year
        and this_progress < year_elapsed - BEHIND_MARGIN
        and this_year < spec.goal
    ):
        status, why = AMBER, f"{current_year}年已完成{this_year:g}，落后于年内时间进度"
    else:
        status, why = GREEN, "各年均完成当年目标"
    return Attainment(status, this_year, progress, elapsed, None, met, overdue, why, yearly)


def spec_from(
    value,
    comparator: str = ">=",
    value_max=None,
    per_year: bool = False,
    year: int | None = None,
    period_start: int | None = None,
    period_end: int | None = None,
    deadline: dt.date | None = None,
) -> TargetSpec:
    """A target as the parser and the plans app hold it → the spec assessed here. It is judged at
    the end of its year; ``deadline`` (its task's deadline_date) serves a target without a year."""
    end_year = year or (deadline.year if deadline else None) or period_end or 2022
    start_year = period_start or min(end_year, 2020)
    return TargetSpec(
        value=float(value),
        comparator=comparator or ">=",
        value_max=float(value_max) if value_max is not None else None,
        per_year=per_year,
        deadline=deadline if deadline and not year else dt.date(end_year, 12, 31),
        start=dt.date(start_year, 1, 1),
    )
