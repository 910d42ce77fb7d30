"""Reading a unit's reported values by value key, from whatever models the sections registered.

One query per section for any number of periods, so the quarter page, validation and the history
comparisons stay cheap.
"""
from collections import defaultdict
from decimal import Decimal

from districts.registry import Section, sections


def _row_key(section: Section, row_code: str | None, field_name: str) -> str:
    return f"{section.key}.{row_code}.{field_name}" if row_code else f"{section.key}.{field_name}"


def section_values(section: Section, *, unit, periods) -> dict[int, dict[str, Decimal | None]]:
    """period id -> value key -> value, for one section (periods without a row are absent)."""
    fields = [figure.field for figure in section.figures]
    columns = ["period_id", *fields]
    if section.row_code_lookup:
        columns.append(section.row_code_lookup)
    rows = section.model._default_manager.filter(unit=unit, period__in=periods).values(*columns)
    result: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for row in rows:
        row_code = row.get(section.row_code_lookup) if section.row_code_lookup else None
        for name in fields:
            value = row[name]
            result[row["period_id"]][_row_key(section, row_code, name)] = None if value is None else Decimal(value)
    return result


def values_by_period(*, unit, periods) -> dict[int, dict[str, Decimal | None]]:
    """period id -> value key -> value over every registered section."""
    merged: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for section in sections:
        if not section.figures:
            continue
        for period_id, values in section_values(section, unit=unit, periods=periods).items():
            merged[period_id].update(values)
    return merged


def quarter_values(*, unit, period) -> dict[str, Decimal | None]:
    """value key -> value of one unit's quarter."""
    return values_by_period(unit=unit, periods=[period]).get(period.pk, {})
