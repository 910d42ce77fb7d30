"""The status of a value against its target for every case where both exist (DOMAIN.md, "Status when a target
exists"): reached is achieved; otherwise the pace; where the pace is undefined, the value, target and time left."""
import pytest

from indicators.choices import Status
from indicators.progress import Goal, assess

QUARTERS, HALFWAY = 16, 8  # a target four years after the baseline, judged after two


def status(value, baseline, target, *, elapsed=HALFWAY, direction="up", comparison="gte", is_rate=False):
    goal = Goal(value=target, comparison=comparison, direction=direction, quarters=QUARTERS, is_rate=is_rate)
    return assess(value=value, baseline=baseline, goal=goal, elapsed=elapsed)


@pytest.mark.parametrize("value, expected", [
    (5, Status.ON_TRACK),  # (5/8 per quarter) / (10/16 needed) = 1.0
    (4, Status.AT_RISK),  # 0.8
    (2, Status.OFF_TRACK),  # 0.4
    (0, Status.OFF_TRACK),  # no growth at all
    (10, Status.ACHIEVED),
])
def test_a_zero_baseline_is_judged_on_the_straight_path(value, expected):
    result = status(value, 0, 10)
    assert result.status == expected
    if expected != Status.ACHIEVED:
        assert result.pace_ratio == pytest.approx((value / HALFWAY) / (10 / QUARTERS))


@pytest.mark.parametrize("value, comparison, expected", [
    (0, "gte", Status.OFF_TRACK),  # one featured platform asked, one at the baseline, none now: no room to grow
    (1, "gte", Status.ACHIEVED),
    (2, "gte", Status.ACHIEVED),
    (1, "gt", Status.OFF_TRACK),  # "more than 1" with 1 at the baseline and now: the flat path stands at the target
])
def test_a_baseline_equal_to_the_target_still_has_a_status(value, comparison, expected):
    result = status(value, 1, 1, comparison=comparison)
    assert (result.status, result.pace_ratio) == (expected, None)


@pytest.mark.parametrize("value, expected", [
    (70, Status.ON_TRACK),  # (0.7^(1/2) − 1) / (0.5^(1/4) − 1) = −0.1633 / −0.1591 = 1.03
    (80, Status.AT_RISK),  # −0.1056 / −0.1591 = 0.66
    (90, Status.OFF_TRACK),  # −0.0513 / −0.1591 = 0.32
    (110, Status.OFF_TRACK),  # moving the wrong way
    (50, Status.ACHIEVED),
])
def test_a_falling_is_good_indicator_is_on_track_when_it_falls_fast_enough(value, expected):
    result = status(value, 100, 50, direction="down")
    assert result.status == expected
    if expected != Status.ACHIEVED:
        assert result.pace_ratio == pytest.approx(((value / 100) ** 0.5 - 1) / (0.5 ** 0.25 - 1))


def test_a_falling_is_good_indicator_at_its_target_from_the_baseline_is_off_track_once_above_it():
    assert status(60, 50, 50, direction="down").status == Status.OFF_TRACK
    assert status(50, 50, 50, direction="down").status == Status.ACHIEVED


@pytest.mark.parametrize("value, expected", [(55, Status.ACHIEVED), (50, Status.ACHIEVED), (45, Status.OFF_TRACK)])
def test_a_target_met_at_the_baseline_is_achieved_while_met_and_off_track_once_lost(value, expected):
    # 60 at the baseline against a target of 50: falling to 45 is not "on track" however slowly it fell
    result = status(value, 60, 50)
    assert (result.status, result.pace_ratio) == (expected, None)


def test_the_baseline_quarter_itself_is_on_track_on_a_path_with_ground_to_cover():
    result = status(100, 100, 200, elapsed=0)
    assert (result.status, result.pace_ratio, result.expected_value) == (Status.ON_TRACK, None, 100)


@pytest.mark.parametrize("value, expected", [(3, Status.ON_TRACK), (0, Status.ON_TRACK), (-1, Status.OFF_TRACK)])
def test_a_growth_target_of_zero_is_judged_on_the_growth_itself(value, expected):
    assert status(value, None, 0, is_rate=True).status == expected


def test_no_status_only_without_a_value():
    assert status(None, 1, 1).status == Status.NO_DATA


def test_a_unit_at_its_quota_from_the_baseline_that_falls_below_it_is_off_track_on_the_dashboard(world):
    world.report(world.a, "2021Q4", smes=10)
    world.report(world.a, "2023Q4", smes=8)
    world.target(world.smes, "2025Q4", 10, unit=world.a)
    world.compute()

    assert world.row(world.smes, "2021Q4", unit=world.a).status == Status.ACHIEVED
    row = world.row(world.smes, "2023Q4", unit=world.a)
    assert (row.status, row.pace_ratio, row.progress) == (Status.OFF_TRACK, None, 0)
