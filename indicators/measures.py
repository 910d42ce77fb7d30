"""The values of an indicator, read from the approved figures with aggregation in the database.

Each function answers for a list of periods either per unit ({(unit_id, period_id): value}) or for a
set of units added up ({period_id: (value, units reporting)}). Only quarters whose submission is
approved count; platform counts read the platforms' milestone history.
"""
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, NullIf

from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from districts.registry import sections
from indicators.choices import Method
from platforms.choices import STATUS_RANK
from platforms.models import Platform, PlatformMilestone

RATIO_FIELD = DecimalField(max_digits=30, decimal_places=8)


def approved_rows(model, periods):
    approved = Submission.objects.filter(
        unit=OuterRef("unit"), period=OuterRef("period"), state=SubmissionState.APPROVED
    )
    return model.objects.filter(Exists(approved), period__in=periods)


def figure_rows(key: str, periods):
    section, figure = sections.figure(key)
    return approved_rows(section.model, periods).filter(**{f"{figure.field}__isnull": False}), figure


def unit_values(indicator, periods, baseline: Period) -> dict[tuple[int, int], Decimal]:
    if indicator.method in (Method.STOCK_SUM, Method.FLOW_SUM, Method.GROWTH_RATE):
        rows, figure = figure_rows(indicator.figure, periods)
        return {(u, p): v for u, p, v in rows.values_list("unit_id", "period_id", figure.field)}
    if indicator.method == Method.RATIO:
        rows, figure = figure_rows(indicator.figure, periods)
        _, denominator = sections.figure(indicator.denominator)
        rows = rows.filter(**{f"{denominator.field}__isnull": False}).annotate(
            ratio=ExpressionWrapper(F(figure.field) * 100 / NullIf(F(denominator.field), 0), RATIO_FIELD)
        )
        return {(u, p): v for u, p, v in rows.values_list("unit_id", "period_id", "ratio") if v is not None}
    counts = {}
    for period in periods:
        for unit_id in Unit.objects.filter(joined_by(period)).values_list("pk", flat=True):
            counts[unit_id, period.pk] = Decimal(0)
        per_unit = platforms_reached(indicator, period, baseline).values("unit_id").annotate(n=Count("pk"))
        for row in per_unit:
            counts[row["unit_id"], period.pk] = Decimal(
                min(row["n"], 1) if indicator.method == Method.UNITS_REACHED else row["n"]
            )
    return counts


def scope_values(indicator, periods, units, baseline: Period, expected: dict[int, int]
                 ) -> dict[int, tuple[Decimal | None, int]]:
    """The indicator for the units of `units` taken together (city or group), per period, with the number
    of units reporting (for platform counts, which need no report: every unit `expected` then)."""
    counted = units.filter(counts_toward_city_total=True)
    if indicator.method in (Method.STOCK_SUM, Method.FLOW_SUM, Method.GROWTH_RATE):
        rows, figure = figure_rows(indicator.figure, periods)
        totals = rows.filter(unit__in=counted).values("period_id").annotate(v=Sum(figure.field), n=Count("pk"))
        return {row["period_id"]: (row["v"], row["n"]) for row in totals}
    if indicator.method == Method.RATIO:
        return ratio_of_sums(indicator, periods, units, counted)
    result = {}
    for period in periods:
        reached = platforms_reached(indicator, period, baseline).filter(unit__in=counted)
        if indicator.method == Method.UNITS_REACHED:
            value = reached.values("unit_id").distinct().count()
        else:
            value = reached.count()
        result[period.pk] = (Decimal(value), expected[period.pk])
    return result


def ratio_of_sums(indicator, periods, units, counted):
    """Σ numerator ÷ Σ denominator. A zone-only numerator (high-tech zone output) sums every unit that
    reports it, functional zones included, because a zone's output is not inside its host's figure."""
    numerator_rows, numerator = figure_rows(indicator.figure, periods)
    denominator_rows, denominator = figure_rows(indicator.denominator, periods)
    numerator_units = units if numerator.zone_only else counted
    tops = dict(
        numerator_rows.filter(unit__in=numerator_units).values("period_id").annotate(v=Sum(numerator.field))
        .values_list("period_id", "v")
    )
    bottoms = denominator_rows.filter(unit__in=counted).values("period_id").annotate(
        v=Sum(denominator.field), n=Count("pk")
    )
    result = {}
    for row in bottoms:
        top = tops.get(row["period_id"])
        value = top * 100 / row["v"] if top is not None and row["v"] else None
        result[row["period_id"]] = (value, row["n"])
    return result


def joined_by(period) -> Q:
    return Q(joined__isnull=True) | Q(joined__ordinal__lte=period.ordinal)


def status_at(end_date):
    """A platform's status at a date: its latest status milestone on or before it, else its current status."""
    latest = (
        PlatformMilestone.objects.filter(platform=OuterRef("pk"), date__lte=end_date)
        .exclude(status="")
        .order_by("-date", "-pk")
        .values("status")[:1]
    )
    return Coalesce(Subquery(latest), F("status"))


def platforms_reached(indicator, period: Period, baseline: Period):
    """Platforms matching the indicator's params whose status at the period's end is at least the one asked.

    With `since_baseline`, only those that were not there yet at the baseline (new ones) count.
    """
    params = indicator.params
    filters = {key: params[key] for key in ("kind", "featured", "level") if key in params}
    wanted = [s for s, rank in STATUS_RANK.items() if rank >= STATUS_RANK[params.get("status_at_least", "planned")]]
    platforms = Platform.objects.filter(**filters, unit__in=Unit.objects.filter(joined_by(period)))
    platforms = platforms.annotate(status_then=status_at(period.end_date)).filter(status_then__in=wanted)
    if params.get("since_baseline"):
        platforms = platforms.annotate(status_before=status_at(baseline.end_date)).exclude(status_before__in=wanted)
    return platforms


def latest_update(units, periods) -> dict[int, object]:
    """The latest save of any approved figure per unit: what a snapshot row was computed from."""
    latest = defaultdict(lambda: None)
    for section in sections:
        if not section.figures:  # records such as platform milestones, not quarterly values
            continue
        rows = approved_rows(section.model, periods).filter(unit__in=units).values("unit_id").annotate(
            at=Max("updated_at")
        )
        for unit_id, at in rows.values_list("unit_id", "at"):
            if latest[unit_id] is None or at > latest[unit_id]:
                latest[unit_id] = at
    return latest
