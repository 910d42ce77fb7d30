"""Counts read from the enterprise registry: enterprises holding each status at a date, per unit, group and city."""
import datetime
import hashlib
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from redis.exceptions import RedisError  # the cache's when REDIS_URL is set

from districts.models import Period, Unit, UnitGroup
from enterprises.choices import StatusKind
from enterprises.forecast import forecast_at
from enterprises.models import StatusRecord
from portal.caching import cached_in_process

logger = logging.getLogger(__name__)

# The reported figure of each registry kind (the kinds the quarterly form asks for).
REPORTED_FIELD = {StatusKind.TECH_SME: "tech_smes", StatusKind.HIGH_TECH: "high_tech",
                  StatusKind.SPECIALISED: "specialised_smes", StatusKind.LITTLE_GIANT: "little_giants"}


@dataclass
class RegistryCounts:
    """Enterprises holding each kind of status on `date`: {unit id / group id: {kind: n}} and {kind: n} for the city.

    A group and the city add up only the units that count toward the city total: the functional zones overlap
    their host districts, so their enterprises are shown under the zone and never added to a total."""

    date: datetime.date
    units: dict[int, dict[str, int]]
    groups: dict[int, dict[str, int]]
    city: dict[str, int]


def kind_counted_by(figure_key: str) -> str | None:
    """The status whose holders a reported figure counts ("enterprises.high_tech" -> high_tech), None for a figure
    the registry does not count."""
    return next((kind for kind, field in REPORTED_FIELD.items() if figure_key == f"enterprises.{field}"), None)


def _holders(date: datetime.date, **filters):
    """Per unit and kind, the distinct enterprises holding a status on `date` (rows of unit_at, kind, n)."""
    return (StatusRecord.objects.held_at(date).filter(**filters).order_by().values("unit_at", "kind")
            .annotate(n=Count("enterprise", distinct=True)))


def holders_per_unit(kind: str, dates: list[datetime.date]) -> dict[tuple[int, datetime.date], int]:
    """{(unit id, date): enterprises holding `kind` on that date in the unit they were registered in}, one query per
    date; a unit with none is left out."""
    return {(row["unit_at"], date): row["n"] for date in dates for row in _holders(date, kind=kind)}


def holders_at(date: datetime.date) -> dict[int, dict[str, int]]:
    """{unit id: {kind: enterprises holding it on `date`}}."""
    units: dict[int, dict[str, int]] = defaultdict(dict)
    for row in _holders(date):
        units[row["unit_at"]][row["kind"]] = row["n"]
    return dict(units)


def counts_at(date: datetime.date, *, held: dict[int, dict[str, int]] | None = None) -> RegistryCounts:
    """`held`: the `holders_at(date)` read already (kept, say), added up here by the units and groups as they are."""
    units = holders_at(date) if held is None else held
    counted = set(Unit.objects.counted().values_list("pk", flat=True))
    group_of = dict(Unit.objects.values_list("pk", "group_id"))
    groups: dict[int, dict[str, int]] = {}
    for group in UnitGroup.objects.all():
        inside = set(group.descendant_ids())
        groups[group.pk] = _sum(counts for unit_id, counts in units.items()
                                if unit_id in counted and group_of[unit_id] in inside)
    city = _sum(counts for unit_id, counts in units.items() if unit_id in counted)
    return RegistryCounts(date=date, units=units, groups=groups, city=city)


def quarter_counts(period: Period) -> RegistryCounts:
    """The stock at the quarter's end: statuses in force on its last day."""
    return counts_at(period.end_date)


def _sum(many) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for counts in many:
        for kind, n in counts.items():
            total[kind] += n
    return dict(total)


@dataclass
class LapseOutlook:
    """High-tech certificates of some units from today to a target day: held today, lapsing before the day (ending
    on or before it, not renewed by then), the count at the day if none renews and with each unit's renewal rate,
    and the shortfall against a target value (None without one; 0 when met)."""

    until: datetime.date
    held_today: int
    none_renews: int
    with_renewals: float
    target: float | None = None

    @property
    def lapsing(self) -> int:
        return self.held_today - self.none_renews

    def shortfall(self, count: float) -> float | None:
        return None if self.target is None else max(0.0, self.target - count)

    @property
    def gap_none_renews(self) -> float | None:
        return self.shortfall(self.none_renews)

    @property
    def gap_with_renewals(self) -> float | None:
        return self.shortfall(self.with_renewals)


VERSION_KEY = "registry:version"


def registry_version() -> str:
    """A token that changes whenever a change of the registry commits (`enterprises.signals.registry_changed`): the
    key under which what is computed from the registry may be kept. Read from the cache, not the tables, so a page
    that keeps such things pays no count of the records; a lost token is replaced by a new one, and with the cache
    out of reach every read is a new one (nothing is shared)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    except RedisError:
        version = None
    return version or uuid.uuid4().hex


def new_registry_version(sender=None, **kwargs) -> None:
    """Receiver of `registry_changed`: a new token once the change commits (a rolled-back change keeps the old one).
    A page computed between the commit and the new token is kept under the old one, which no one asks for again.
    With the cache out of reach the change is written all the same; the token then stays as it was."""
    transaction.on_commit(_renew_version)


def _renew_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except RedisError as error:
        logger.warning("registry version not renewed: %s", error)


def kept(name: str, compute, *key):
    """`compute()` (of the registry alone) kept in the cache under the registry's version and `key`: what reads every
    record is computed once per change of the registry, not once per request, and a change shows at once."""
    digest = hashlib.sha256("|".join([registry_version(), *map(str, key)]).encode()).hexdigest()[:32]
    return cached_in_process(f"registry:{name}:{digest}", lambda: (compute(),))[0]  # a tuple: None is kept too


def high_tech_outlook(*, unit_ids: set[int], until: datetime.date, today: datetime.date,
                      target: float | None = None) -> LapseOutlook:
    """The lapse forecast (`enterprises.forecast.forecast_at`) to `until`, added up over `unit_ids` (for the city or
    a group, pass the units counted toward its total)."""
    forecasts = [f for unit, f in forecast_at(target=until, today=today).items() if unit in unit_ids]
    return LapseOutlook(until=until, held_today=sum(f.today for f in forecasts),
                        none_renews=sum(f.none_renews for f in forecasts),
                        with_renewals=sum(f.with_renewals for f in forecasts), target=target)
