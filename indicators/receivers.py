"""Recompute a unit's dashboards when its quarter is approved or its approved figures change."""
from indicators.choices import RunTrigger
from indicators.services import dashboards_request_recompute


def on_quarter_approved(sender, *, unit, period, **kwargs):
    dashboards_request_recompute(unit=unit, period=period, trigger=RunTrigger.APPROVAL)


def on_approved_figures_changed(sender, *, unit, period, **kwargs):
    dashboards_request_recompute(unit=unit, period=period, trigger=RunTrigger.CHANGE)
