"""A platform's status at a date (DOMAIN.md, "Platforms through time"), checked on hand-made timelines."""
import datetime

from platforms.choices import PlatformStatus as S
from platforms.history import Timeline

D = datetime.date


def test_a_platform_does_not_exist_before_its_founding_date():
    timeline = Timeline(start=D(2023, 2, 1), current=S.ESTABLISHED)
    assert timeline.status_at(D(2023, 1, 31)) is None
    assert timeline.status_at(D(2023, 2, 1)) == S.ESTABLISHED


def test_with_no_milestone_a_platform_has_its_current_status_from_its_founding_date():
    timeline = Timeline(start=None, current=S.UPGRADED)
    assert timeline.status_at(D(1990, 1, 1)) == S.UPGRADED


def test_its_status_is_its_latest_status_milestone_on_or_before_the_date():
    timeline = Timeline(start=D(2021, 6, 1), current=S.ESTABLISHED,
                        steps=((D(2022, 5, 10), S.UNDER_CONSTRUCTION), (D(2023, 8, 1), S.ESTABLISHED)))
    assert timeline.status_at(D(2022, 5, 10)) == S.UNDER_CONSTRUCTION
    assert timeline.status_at(D(2023, 7, 31)) == S.UNDER_CONSTRUCTION
    assert timeline.status_at(D(2023, 8, 1)) == S.ESTABLISHED


def test_before_its_first_status_milestone_it_had_the_status_below_that_milestones():
    county = Timeline(start=D(2020, 1, 1), current=S.ESTABLISHED, steps=((D(2024, 6, 15), S.ESTABLISHED),))
    assert county.status_at(D(2021, 12, 31)) == S.UNDER_CONSTRUCTION
    assert not county.at_least(S.ESTABLISHED, D(2024, 6, 14))
    assert county.at_least(S.ESTABLISHED, D(2024, 6, 15))
    park = Timeline(start=D(2021, 1, 1), current=S.UNDER_CONSTRUCTION, steps=((D(2022, 3, 1), S.UNDER_CONSTRUCTION),))
    assert park.status_at(D(2021, 12, 31)) == S.PLANNED
    planned = Timeline(start=None, current=S.PLANNED, steps=((D(2022, 3, 1), S.PLANNED),))
    assert planned.status_at(D(2021, 12, 31)) == S.PLANNED, "nothing is below planned"


def test_a_count_falls_only_when_a_milestone_moves_a_platform_back():
    moved_back = Timeline(start=None, current=S.UNDER_CONSTRUCTION,
                          steps=((D(2022, 1, 1), S.ESTABLISHED), (D(2023, 1, 1), S.UNDER_CONSTRUCTION)))
    days = [D(2021, 12, 31), D(2022, 6, 30), D(2023, 6, 30)]
    assert [moved_back.at_least(S.ESTABLISHED, day) for day in days] == [False, True, False]
