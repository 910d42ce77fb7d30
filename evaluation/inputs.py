"""Evaluation inputs: each indicator's value per unit at one quarter, computed in the database.

Figures are read through the districts section registry, so this module knows indicator methods
but not the figures apps' models. Growth is year on year (the same quarter a year earlier); platform
counts are of the platforms as they stood at the quarter's end (platforms/history.py); an evaluation has no
baseline, so a count of new platforms counts every platform at the status by then.
"""
from django.db.models import F, FloatField, OuterRef, Subquery
from django.db.models.functions import Cast, NullIf

from districts.models import Period
from districts.registry import sections
from indicators.choices import Method
from indicators.measures import platform_counts
from indicators.models import Indicator

PER_UNIT_METHODS = (Method.STOCK_SUM, Method.FLOW_SUM, Method.RATIO, Method.GROWTH_RATE, Method.PLATFORM_COUNT)


def _as_float(expression):
    return Cast(expression, FloatField())


def _rows(figure_key: str, period: Period, unit_ids):
    section, figure = sections.figure(figure_key)
    return section.model._default_manager.filter(period=period, unit_id__in=unit_ids), figure.field


def _figure_values(indicator: Indicator, period: Period, unit_ids):
    rows, field = _rows(indicator.figure, period, unit_ids)
    return rows.annotate(value=_as_float(F(field))).values_list("unit_id", "value")


def _ratio_values(indicator: Indicator, period: Period, unit_ids):
    rows, field = _rows(indicator.figure, period, unit_ids)
    denominator_rows, denominator = _rows(indicator.denominator, period, unit_ids)
    if rows.model is not denominator_rows.model:
        raise ValueError(f"比值指标“{indicator}”的分子和分母须属于同一填报表")
    value = _as_float(F(field)) * 100.0 / NullIf(_as_float(F(denominator)), 0.0)
    return rows.annotate(value=value).values_list("unit_id", "value")


def _growth_values(indicator: Indicator, period: Period, unit_ids):
    rows, field = _rows(indicator.figure, period, unit_ids)
    year_before = rows.model._default_manager.filter(
        unit=OuterRef("unit"), period__ordinal=period.ordinal - 4
    ).values(field)[:1]
    value = (_as_float(F(field)) / NullIf(_as_float(Subquery(year_before)), 0.0) - 1.0) * 100.0
    return rows.annotate(value=value).values_list("unit_id", "value")


def _platform_counts(indicator: Indicator, period: Period, unit_ids):
    """Platforms as they stood at the quarter's end, by the dashboards' rule (indicators/measures.py)."""
    counts = dict.fromkeys(unit_ids, 0)
    for (unit_id, *_), n in platform_counts(indicator, [period], None, unit_ids).items():
        counts[unit_id] = n
    return counts.items()


COMPUTE = {
    Method.STOCK_SUM: _figure_values,
    Method.FLOW_SUM: _figure_values,
    Method.RATIO: _ratio_values,
    Method.GROWTH_RATE: _growth_values,
    Method.PLATFORM_COUNT: _platform_counts,
}


def indicator_values(indicator: Indicator, period: Period, unit_ids: list[int]) -> dict[int, float | None]:
    """{unit id: value} for every unit asked about; None where the unit has no value (missing)."""
    values = dict.fromkeys(unit_ids)
    compute = COMPUTE.get(indicator.method)
    if compute is None:
        return values
    for unit_id, value in compute(indicator, period, unit_ids):
        values[unit_id] = None if value is None else float(value)
    return values
