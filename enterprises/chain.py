"""The cultivation chain over time: how many tech-based SMEs of a year went on to high-tech status, and which
enterprises moved up a tier this year. Holding is `StatusRecord.objects.held_at`, as everywhere."""
import datetime
from dataclasses import dataclass

from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q

from enterprises.choices import StatusKind
from enterprises.models import StatusRecord

CONVERSION_YEARS = 2  # a tech-based SME of year N is converted if it held high-tech status by the end of N+2


def _held_when_issued():
    """Records that held on their own issue day (not revoked the day they were given)."""
    return StatusRecord.objects.held_at(F("issued"))


@dataclass
class Conversion:
    year: int
    registered: int  # enterprises with a tech-based registration issued in the year (in the unit that day)
    converted: int  # of them, those holding a high-tech certificate at some day up to 31 December of year + 2

    @property
    def rate(self) -> float | None:
        return self.converted / self.registered if self.registered else None


def conversions(*, years: range, unit_ids: set[int]) -> list[Conversion]:
    """Per year N of `years`, over tech-based registrations counted in `unit_ids` (the unit the enterprise was in on
    the registration's issue day). A high-tech certificate counts if it was issued by 31 December N+2 and held on
    its issue day, whether before or after the registration: the question is whether the enterprise had become
    high-tech by then."""
    result = []
    for year in years:
        by = datetime.date(year + CONVERSION_YEARS, 12, 31)
        high_tech = _held_when_issued().filter(enterprise=OuterRef("enterprise"), kind=StatusKind.HIGH_TECH,
                                               issued__lte=by)
        registered = _held_when_issued().filter(kind=StatusKind.TECH_SME, issued__year=year, unit_at__in=unit_ids)
        result.append(Conversion(year, registered.values("enterprise").distinct().count(),
                                 registered.filter(Exists(high_tech)).values("enterprise").distinct().count()))
    return result


def moved_up(*, year: int, records):
    """Records of `records` (already restricted) issued in `year`, held on their issue day, that gave their
    enterprise a tier of the chain above 科技型企业 which it did not hold, at that tier or above, the day before:
    a first certificate or a step up, not a renewal made in time."""
    chain = [kind.value for kind in StatusKind.chain()]
    day_before = ExpressionWrapper(OuterRef("issued") - datetime.timedelta(days=1), output_field=DateField())
    steps = Q()
    for kind in chain[1:]:
        before = StatusRecord.objects.held_at(day_before).filter(enterprise=OuterRef("enterprise"),
                                                                 kind__in=chain[chain.index(kind):])
        steps |= Q(kind=kind) & ~Exists(before)
    return records.filter(steps, issued__year=year, pk__in=_held_when_issued().values("pk"))
