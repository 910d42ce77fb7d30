"""The cultivation lists as read: each entry with whether its enterprise has reached the tier it was set.

An entry is reached at a date when its enterprise holds (by `StatusRecord.objects.held_at`) the target status or a
tier above it in the chain on that day: an enterprise set to become 专精特新 that is a "little giant" has reached it.
"""
import datetime

from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When

from districts.models import Period
from enterprises.choices import StatusKind
from enterprises.models import CultivationEntry, StatusRecord


def tiers_reaching(target: str) -> list[str]:
    """The statuses that count as having reached `target`: it and every tier above it."""
    chain = [kind.value for kind in StatusKind.chain()]
    return chain[chain.index(target):]


def _reached(date) -> Case:
    return Case(*(When(target=target, then=Exists(
        StatusRecord.objects.held_at(date).filter(enterprise=OuterRef("enterprise"), kind__in=tiers_reaching(target))
    )) for target, _label in StatusKind.chain_choices()), default=Value(False), output_field=BooleanField())


def with_progress(entries, today: datetime.date):
    """`entries` with `reached_today` and `reached_by_due` (held on the due day itself)."""
    return entries.annotate(reached_today=_reached(today), reached_by_due=_reached(OuterRef("due")))


def cultivation_list(user, today: datetime.date):
    """The entries `user` may see, with their progress, enterprise and unit."""
    return with_progress(CultivationEntry.objects.restrict(user).select_related("enterprise", "unit"), today)


def note_quarters(today: datetime.date):
    """The quarters a unit may note on its list, latest first: this one and the four before it."""
    this_quarter = today.year * 4 + (today.month - 1) // 3
    return Period.objects.filter(ordinal__lte=this_quarter, ordinal__gte=this_quarter - 4).order_by("-ordinal")
