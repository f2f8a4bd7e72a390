"""Attainment of a target: 完成率, time elapsed, forecast and a status light.

Pure Python (no Django), so the rule can be read, tested and shown on the pages as it is. The rule
is the one a programme office applies by hand (RULE_TEXT is what the pages show beside the figure):

- 完成率 (``progress``): the latest approved value ÷ the target value for an "at least" target
  (≥, >, =, a range's lower bound, 约); for a ceiling (PUE低于1.3, 服务半径小于1公里) it is the
  target value ÷ the latest value (逆向指标), so 1.50 against ＜1.3 is 87 %; a target of 0 has no
  完成率 (met or not, nothing to divide by); a per-year target (每年新建3个) is the new amount of
  the year being assessed ÷ the yearly amount, every finished year checked on its own;
- met: ≥ the target value (＞ strictly above it); 约 at 95 % of it; a range at its lower bound; a
  ceiling strictly below (＜) or at most (≤) it;
- time elapsed: the share of the target's period (plan start → 31 December of the target year)
  passed on the assessment date;
- forecast: only while the deadline is still ahead, a straight line fitted (least squares) to the
  last four approved values (with the baseline when there is only one), read at the deadline;
- status: green when met, or when the forecast meets the target and 完成率 is no more than 10
  percentage points behind the time elapsed; amber when the forecast meets it but 完成率 is behind
  the time line; red when the deadline has passed unmet, a report is overdue or the forecast
  misses it; grey when there is no approved value yet. The explanation beside every light says
  which of these applies, with the 完成率 it is about, so a light never contradicts its figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from newinfra.utilities.figures import plain

GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
STATUS_LABELS = {GREEN: "正常", AMBER: "滞后于时间进度", RED: "预警", GREY: "暂无数据"}
APPROXIMATE_TOLERANCE = 0.95
TREND_POINTS = 4
BEHIND_MARGIN = 0.10

RULE_TEXT = (
    "完成率 = 最新审核值 ÷ 目标值（“不低于”类目标；区间目标按下限，“约”类目标达到95%即视为达标）；"
    "“低于/小于/不高于”类目标（如PUE、服务半径）为逆向指标，完成率 = 目标值 ÷ 最新审核值，低于目标值即达标；"
    "目标值为0的不计算完成率；“每年”类目标逐年考核当年新增量，完成率 = 当年新增 ÷ 每年目标。"
    "绿：已达标，或按趋势预计到期可达标且完成率不落后于时间进度10个百分点以上；"
    "黄：预计到期可达标，但完成率落后于时间进度10个百分点以上；"
    "红：到期未达标、数据报送逾期，或按最近四期已审核数据的趋势预计到期无法达标；"
    "灰：尚无审核通过的数据。预计到期值只对尚未到期的目标计算。"
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


def completion(spec: TargetSpec, value: float | None) -> float | None:
    """完成率: value ÷ target ("at least"), target ÷ value (ceiling); None for a target of 0."""
    if value is None or spec.value == 0:
        return None
    if spec.ceiling:
        return spec.value / value if value > 0 else 1.0
    return max(0.0, value / spec.value)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _short_of(spec: TargetSpec, rate: float | None) -> str:
    """Why a 完成率 at or near 100 % is still not met, said in the same cell."""
    if rate is None:
        return ""
    if spec.comparator == "~" and rate < APPROXIMATE_TOLERANCE:
        return f"，约数目标需达到{APPROXIMATE_TOLERANCE:.0%}"
    if spec.comparator == ">" and rate >= 1:
        return "，目标为“超过”，需高于目标值"
    if spec.comparator == "<" and rate >= 1:
        return "，目标为“低于”，需低于目标值"
    return ""


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
    are the amount of their own period (年度新增). ``baseline`` only anchors the forecast when there
    is a single value; 完成率 is never measured from it.
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
    rate = completion(spec, current)
    met = _meets(spec, current)
    forecast = None
    if as_of <= spec.deadline:
        # The trend of the last four approved values (a year of quarterly reports): recent pace,
        # not the average since the start, so a late start that has since sped up is seen as such.
        recent = points[-TREND_POINTS:]
        line = recent if len(recent) >= 2 or baseline is None else [(spec.start, baseline), *recent]
        forecast = linear_forecast(line, spec.deadline)
    done = f"完成{_pct(rate)}" if rate is not None else "目标值为0"
    if met:
        status, why = GREEN, f"已达到目标值（{done}）"
    elif as_of > spec.deadline:
        status, why = RED, f"到期未达标（{done}{_short_of(spec, rate)}）"
    elif overdue:
        status, why = RED, f"数据报送逾期（{done}）"
    elif forecast is not None and not _meets(spec, forecast):
        status, why = RED, f"{done}{_short_of(spec, rate)}，按当前趋势预计到期无法达标"
    elif rate is not None and not spec.ceiling and rate < elapsed - BEHIND_MARGIN:
        status, why = AMBER, f"完成{_pct(rate)}，落后于时间进度{_pct(elapsed)}"
    else:
        status, why = GREEN, f"{done}，按当前趋势预计到期可以达标"
    return Attainment(status, current, rate, elapsed, forecast, met, overdue, why)


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
    # The year assessed: the current one, or the target's last year once the period is over.
    year_now = min(as_of.year, spec.deadline.year)
    for year in range(spec.start.year, year_now + 1):
        new = by_year.get(year, 0.0)
        done = new >= spec.goal
        finished = year < as_of.year
        yearly.append((year, new, done))
        if finished and not done:
            missed_years.append(year)
    this_year = by_year.get(year_now, 0.0)
    in_year = as_of.year == year_now
    year_elapsed = min(1.0, max(0.0, (as_of.timetuple().tm_yday) / 365.0)) if in_year else 1.0
    rate = this_year / spec.goal if spec.goal else None
    met = not missed_years and (as_of.year > spec.deadline.year or this_year >= spec.goal)
    label = f"{year_now}年新增{plain(this_year)}"
    if missed_years:
        status, why = RED, f"{'、'.join(map(str, missed_years))}年未完成当年目标（{label}，完成{_pct(rate)}）"
    elif overdue:
        status, why = RED, f"数据报送逾期（{label}）"
    elif in_year and rate is not None and rate < year_elapsed - BEHIND_MARGIN and this_year < spec.goal:
        status, why = AMBER, f"{label}，完成当年目标的{_pct(rate)}，落后于年内时间进度{_pct(year_elapsed)}"
    else:
        status, why = GREEN, f"各年均完成当年目标（{label}）"
    return Attainment(status, this_year, rate, elapsed, None, met, overdue, why, yearly)


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
