"""Every change that moves a dashboard number asks `dashboards_request_recompute` for a run, here and nowhere else.

A quarter entering or leaving the approved set, or its approved figures changing, recomputes that unit (and the
aggregates it feeds); a change to what the numbers are computed against (a unit's "counts toward the city
total" flag, its group or first quarter, the group tree, a plan, a target, an indicator, its source included)
recomputes everything, and so does a change to the enterprise registry while an indicator counts from it.
"""
from indicators.choices import RunTrigger, Source
from indicators.models import Indicator
from indicators.services import dashboards_request_recompute

# The fields of a unit the computation reads; editing its name or order changes no number.
UNIT_FIELDS = ("counts_toward_city_total", "group_id", "joined_id")


def on_quarter_approved(sender, *, unit, period, **kwargs):
    dashboards_request_recompute(unit=unit, period=period, trigger=RunTrigger.APPROVAL)


def on_quarter_reopened(sender, *, unit, period, **kwargs):
    dashboards_request_recompute(unit=unit, period=period, trigger=RunTrigger.REOPEN)


def on_approved_figures_changed(sender, *, unit, period, **kwargs):
    dashboards_request_recompute(unit=unit, period=period, trigger=RunTrigger.CHANGE)


def remember_unit_fields(sender, instance, raw=False, **kwargs):
    """pre_save of a unit: note what the computation reads as stored, to compare after the save."""
    if raw or instance.pk is None:
        return
    instance._computed_from = sender.objects.filter(pk=instance.pk).values(*UNIT_FIELDS).first()


def on_unit_saved(sender, instance, created, raw=False, **kwargs):
    stored = getattr(instance, "_computed_from", None)
    if raw or (not created and stored == {name: getattr(instance, name) for name in UNIT_FIELDS}):
        return
    dashboards_request_recompute(unit=None, trigger=RunTrigger.REFERENCE)


def on_reference_changed(sender, instance=None, raw=False, **kwargs):
    """post_save and post_delete of a unit group, plan, target or indicator (and post_delete of a unit)."""
    if not raw:
        dashboards_request_recompute(unit=None, trigger=RunTrigger.REFERENCE)


def on_registry_changed(sender, raw=False, **kwargs):
    """`enterprises.signals.registry_changed`: a status record or a registration written (a record given or revoked,
    a list imported, an enterprise moved). A registry count moves with either, in any quarter, so the whole snapshot
    is computed again."""
    if not raw and Indicator.objects.filter(source=Source.REGISTRY).exists():
        dashboards_request_recompute(unit=None, trigger=RunTrigger.REGISTRY)
