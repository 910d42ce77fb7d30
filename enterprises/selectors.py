"""Counts read from the enterprise registry: enterprises holding each status at a date, per unit, group and city."""
import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Func, Subquery

from districts.models import Period, Unit, UnitGroup
from enterprises.choices import StatusKind
from enterprises.forecast import forecast_at
from enterprises.models import Registration, StatusRecord
from portal.caching import cached_in_process

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


REGISTRY_VERSION_PARTS = ("registry_records", "registry_last_record", "registry_registrations",
                          "registry_last_registration", "registry_moved")


def registry_version_parts() -> dict:
    """What `registry_version` is made of, as scalar subqueries that a query of any table may select (the
    dashboards read them with their latest run, in the one query a page needs)."""
    records, registrations = StatusRecord.objects.order_by(), Registration.objects.order_by()

    def scalar(queryset, function: str, field: str):
        return Subquery(queryset.values(v=Func(field, function=function)))

    return dict(zip(REGISTRY_VERSION_PARTS, (
        scalar(records, "COUNT", "pk"), scalar(records, "MAX", "updated_at"), scalar(registrations, "COUNT", "pk"),
        scalar(registrations, "MAX", "pk"), scalar(registrations, "MAX", "until"),
    ), strict=True))


def registry_version(read: dict | None = None) -> str:
    """Changes whenever a status record or a registration is added, changed, moved or removed: the key under which
    what is computed from the registry (the lapse forecast) may be kept. `read`: the parts, selected already."""
    if read is None:  # beside a count, which is one row even of an empty table
        one_row = StatusRecord.objects.order_by().values(rows=Func("pk", function="COUNT"))
        read = one_row.values("rows", **registry_version_parts()).get()
    return "|".join(str(read[name]) for name in REGISTRY_VERSION_PARTS)


def kept(name: str, compute, *key, registry: str | None = None):
    """`compute()` (of the registry alone) kept in the cache under the registry's version (`registry`, if the caller
    read it already) and `key`: what reads every record is computed once per change of the registry, not once per
    request, and a change shows at once."""
    digest = hashlib.sha256("|".join([registry or registry_version(), *map(str, key)]).encode()).hexdigest()[:32]
    return cached_in_process(f"registry:{name}:{digest}", lambda: (compute(),))[0]  # a tuple: None is kept too


def high_tech_outlook(*, unit_ids: set[int], until: datetime.date, today: datetime.date,
                      target: float | None = None) -> LapseOutlook:
    """The lapse forecast (`enterprises.forecast.forecast_at`) to `until`, added up over `unit_ids` (for the city or
    a group, pass the units counted toward its total)."""
    forecasts = [f for unit, f in forecast_at(target=until, today=today).items() if unit in unit_ids]
    return LapseOutlook(until=until, held_today=sum(f.today for f in forecasts),
                        none_renews=sum(f.none_renews for f in forecasts),
                        with_renewals=sum(f.with_renewals for f in forecasts), target=target)
