"""Lapse forecast: certificates that will expire, and what a count becomes at a target date.

Every "is it held" question goes through `StatusRecord.objects.held_at`; a certificate that ends is one held on
its own valid-until day (not revoked before), counted in the unit its enterprise was in that day.
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import ExtractQuarter, ExtractYear

from enterprises.choices import StatusKind
from enterprises.models import StatusRecord

RENEWAL_YEARS = 3  # the renewal rate looks back this many years
RENEWAL_GRACE = datetime.timedelta(days=365)  # a renewal issued up to a year after the old certificate ended counts


def _lapsing(kind: str, first: datetime.date, last: datetime.date):
    """Certificates of `kind` whose last valid day falls in [first, last] and that were still held on it."""
    return (StatusRecord.objects.filter(kind=kind, valid_until__gte=first, valid_until__lte=last)
            .held_at(F("valid_until")))


def expiring_by_quarter(*, kind: str = StatusKind.HIGH_TECH, first: datetime.date, last: datetime.date
                        ) -> dict[tuple[int, int], dict[int, int]]:
    """{(year, quarter): {unit id: certificates ending that quarter}} for endings between `first` and `last`."""
    rows = (_lapsing(kind, first, last).order_by()
            .annotate(year=ExtractYear("valid_until"), quarter=ExtractQuarter("valid_until"))
            .values("year", "quarter", "unit_at").annotate(n=Count("pk")))
    found: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for row in rows:
        found[row["year"], row["quarter"]][row["unit_at"]] = row["n"]
    return dict(found)


def renewal_rates(*, kind: str = StatusKind.HIGH_TECH, today: datetime.date) -> dict[int, tuple[int, int]]:
    """{unit id: (renewed, ended)} over certificates that ended in the last RENEWAL_YEARS years (and more than
    RENEWAL_GRACE ago, so each had its full chance): renewed means the enterprise got a certificate of the same
    kind issued after the old one and no later than RENEWAL_GRACE after it ended."""
    last = today - RENEWAL_GRACE
    first = last.replace(year=last.year - RENEWAL_YEARS)
    renewal = StatusRecord.objects.filter(
        enterprise=OuterRef("enterprise"), kind=kind, issued__gt=OuterRef("issued"),
        issued__lte=OuterRef("valid_until") + RENEWAL_GRACE,
    )
    rows = (_lapsing(kind, first, last).order_by().annotate(renewed=Exists(renewal))
            .values("unit_at", "renewed").annotate(n=Count("pk")))
    rates: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        rates[row["unit_at"]][1] += row["n"]
        if row["renewed"]:
            rates[row["unit_at"]][0] += row["n"]
    return {unit: (renewed, ended) for unit, (renewed, ended) in rates.items()}


@dataclass
class Forecast:
    """Per unit: held today, still held at the target if none renews, and expected with the unit's renewal rate."""

    today: int
    none_renews: int
    with_renewals: float
    renewal_rate: float | None  # None: no certificate ended in the look-back window


def forecast_at(*, target: datetime.date, today: datetime.date, kind: str = StatusKind.HIGH_TECH
                ) -> dict[int, Forecast]:
    """The count of `kind` at `target` from what is held today: none renews (those ending before the target are
    lost), and each unit renewing the share of its lapsing certificates it renewed in the last years. Enterprises
    are assumed to stay where they are registered today; a renewal lasts past the target (targets lie within a
    certificate's three years)."""
    def by_unit(records) -> dict[int, int]:
        rows = records.filter(kind=kind).order_by().values("unit_at").annotate(n=Count("enterprise", distinct=True))
        return {row["unit_at"]: row["n"] for row in rows}

    now = by_unit(StatusRecord.objects.held_at(today))
    later = by_unit(StatusRecord.objects.held_at(target).filter(issued__lte=today))
    rates = renewal_rates(kind=kind, today=today)
    result = {}
    for unit, count in now.items():
        renewed, ended = rates.get(unit, (0, 0))
        rate = renewed / ended if ended else None
        kept = later.get(unit, 0)
        result[unit] = Forecast(today=count, none_renews=kept, with_renewals=kept + (count - kept) * (rate or 0),
                                renewal_rate=rate)
    return result
