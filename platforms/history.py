"""A platform's status at a date: the one rule every count of platforms through time reads.

- A platform exists from its founding date, or from its first milestone when that is earlier or no founding
  date is recorded; with neither, as far back as the records go.
- Once it exists, its status at a date is that of its latest status milestone on or before the date.
- Before its first status milestone it had the status just below that milestone's (a platform that is
  established in June 2024 was under construction until then).
- A platform with no status milestone has had its current status all along.

So a count of platforms at or above a status only falls when a milestone moves a platform back.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from platforms.choices import STATUS_RANK, PlatformStatus
from platforms.models import PlatformMilestone

ORDER = PlatformStatus.values  # in order of progress


def status_below(status: str) -> str:
    return ORDER[max(STATUS_RANK[status] - 1, 0)]


@dataclass(frozen=True)
class Timeline:
    """What the records say about one platform through time."""

    start: datetime.date | None  # the day it exists from; None: as far back as the records go
    current: str
    steps: tuple[tuple[datetime.date, str], ...] = ()  # its status milestones (date, status), in date order

    def status_at(self, day: datetime.date) -> str | None:
        """The platform's status on `day`, None if it did not exist yet."""
        if self.start is not None and day < self.start:
            return None
        if not self.steps:
            return self.current
        reached = [status for date, status in self.steps if date <= day]
        return reached[-1] if reached else status_below(self.steps[0][1])

    def at_least(self, status: str, day: datetime.date) -> bool:
        """Whether the platform existed on `day` with `status` or a later one."""
        found = self.status_at(day)
        return found is not None and STATUS_RANK[found] >= STATUS_RANK[status]


def timelines(platforms) -> dict[int, Timeline]:
    """The timeline of every platform of a queryset, in two queries."""
    first, steps = {}, defaultdict(list)
    milestones = PlatformMilestone.objects.filter(platform__in=platforms.values("pk")).order_by("date", "pk")
    for platform_id, date, status in milestones.values_list("platform_id", "date", "status"):
        first.setdefault(platform_id, date)
        if status:
            steps[platform_id].append((date, status))
    found = {}
    for pk, founded, current in platforms.order_by().values_list("pk", "founded", "status"):
        starts = [day for day in (founded, first.get(pk)) if day is not None]
        found[pk] = Timeline(min(starts, default=None), current, tuple(steps[pk]))
    return found
