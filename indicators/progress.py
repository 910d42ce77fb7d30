"""Progress towards a target: the arithmetic of one value against its baseline and target, no database.

The status follows the progress measure Open SDG took from Statistics Canada: the growth rate observed
since the baseline divided by the growth rate needed to reach the target by its date. The thresholds
are written here and nowhere else.
"""
from dataclasses import dataclass
from typing import NamedTuple

from indicators.choices import Comparison, Direction, Status

ON_TRACK_AT = 0.95  # observed pace ÷ needed pace
AT_RISK_AT = 0.6


@dataclass(frozen=True)
class Goal:
    """A target as the computation needs it."""

    value: float
    comparison: str  # Comparison
    direction: str  # Direction
    quarters: int  # from the baseline to the target period
    is_rate: bool = False  # the target is itself a growth rate (R&D average annual growth ≥ 10%)


class Assessment(NamedTuple):  # a tuple, not a frozen dataclass: one is built per snapshot row
    progress: float | None = None  # % of the way from baseline to target
    expected_progress: float | None = None  # % of the way the straight path has reached by now
    expected_value: float | None = None
    pace_ratio: float | None = None
    gap: float | None = None  # value − target
    projected_linear: float | None = None
    projected_compound: float | None = None
    status: str = Status.NO_DATA


def reached(value: float, goal: Goal) -> bool:
    if goal.direction == Direction.DOWN:
        return value < goal.value if goal.comparison == Comparison.GT else value <= goal.value
    return value > goal.value if goal.comparison == Comparison.GT else value >= goal.value


def status_for(pace_ratio: float) -> str:
    if pace_ratio >= ON_TRACK_AT:
        return Status.ON_TRACK
    if pace_ratio >= AT_RISK_AT:
        return Status.AT_RISK
    return Status.OFF_TRACK


def annual_growth(start: float | None, end: float | None, years: float) -> float | None:
    """Compound annual growth from `start` to `end` over `years`, or None where it is undefined."""
    if start is None or end is None or years <= 0 or start <= 0 or end < 0:
        return None
    return (end / start) ** (1 / years) - 1


def meets(value: float, bar: float, direction: str) -> bool:
    """At or beyond `bar` in the indicator's direction."""
    return value <= bar if direction == Direction.DOWN else value >= bar


def pace(baseline: float, value: float, goal: Goal, elapsed: int) -> float | None:
    """Observed pace ÷ needed pace: compound growth rates where both are defined, straight lines otherwise.

    Undefined (None) at the baseline itself, when the baseline already meets the target (no growth is needed),
    and for a rate target of zero.
    """
    if elapsed <= 0 or goal.quarters <= 0:
        return None
    if goal.is_rate:
        return value / goal.value if goal.value else None
    if reached(baseline, goal):
        return None
    observed = annual_growth(baseline, value, elapsed / 4)
    needed = annual_growth(baseline, goal.value, goal.quarters / 4)
    if observed is not None and needed:
        return observed / needed
    needed_per_quarter = (goal.value - baseline) / goal.quarters
    return ((value - baseline) / elapsed) / needed_per_quarter if needed_per_quarter else None


def assess(*, value: float | None, baseline: float | None, goal: Goal | None, elapsed: int,
           compound: bool = False) -> Assessment:
    """Where `value`, `elapsed` quarters after `baseline`, stands against `goal`.

    Once the target period has passed (elapsed ≥ goal.quarters) the result is the outcome: achieved
    or off track, with the gap saying by how much. Where a value and a goal exist the status is never
    "no data": reached is achieved (a rate only at its target period), else the pace decides. Where the pace is
    undefined, a value on or beyond the straight path from baseline to target is on track while that path still
    has ground to cover (the baseline quarter itself); a value short of a target the path already stands at or
    beyond (the baseline equals the target, or met it already) is off track.
    """
    if goal is None:
        return Assessment()
    share = min(max(elapsed / goal.quarters, 0), 1) if goal.quarters > 0 else 1
    expected_value = None if baseline is None else baseline + (goal.value - baseline) * share
    if value is None:
        return Assessment(expected_progress=100 * share, expected_value=expected_value)
    gap = value - goal.value
    if goal.is_rate or baseline is None:
        progress = 100 * value / goal.value if goal.value else None
    elif goal.value == baseline or reached(baseline, goal):
        progress = 100.0 if reached(value, goal) else 0.0
    else:
        progress = 100 * (value - baseline) / (goal.value - baseline)
    linear = compound_value = None
    remaining = goal.quarters - elapsed
    if baseline is not None and elapsed > 0 and not goal.is_rate:
        linear = value + (value - baseline) / elapsed * max(remaining, 0)
        growth = annual_growth(baseline, value, elapsed / 4)
        if compound and growth is not None:
            compound_value = value * (1 + growth) ** (max(remaining, 0) / 4)
    ratio = pace(baseline, value, goal, elapsed) if baseline is not None or goal.is_rate else None
    if reached(value, goal) and (not goal.is_rate or remaining <= 0):
        status = Status.ACHIEVED
    elif remaining <= 0:
        status = Status.OFF_TRACK
    elif ratio is not None:
        status = status_for(ratio)
    else:  # no pace: on track if met (a rate) or on a straight path that still has ground to cover
        on_path = (expected_value is not None and expected_value != goal.value
                   and meets(value, expected_value, goal.direction))
        status = Status.ON_TRACK if reached(value, goal) or on_path else Status.OFF_TRACK
    return Assessment(
        progress=progress, expected_progress=100 * share, expected_value=expected_value, pace_ratio=ratio,
        gap=gap, projected_linear=linear, projected_compound=compound_value, status=status,
    )

