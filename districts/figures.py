"""Reading units' reported values by value key, from whatever models the sections registered.

One query per section for any number of units and periods, so the quarter page, validation, the
history comparisons and a batch of many quarters stay cheap.
"""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from districts.models import Period
from districts.registry import Section, sections

Values = dict[str, Decimal | None]  # value key -> value


def _row_key(section: Section, row_code: str | None, field_name: str) -> str:
    return f"{section.key}.{row_code}.{field_name}" if row_code else f"{section.key}.{field_name}"


def section_values(section: Section, *, unit_ids, periods) -> dict[tuple[int, int], Values]:
    """(unit id, period id) -> value key -> value, for one section (quarters without a row are absent)."""
    fields = [figure.field for figure in section.figures]
    columns = ["unit_id", "period_id", *fields, *([section.row_code_lookup] if section.row_code_lookup else [])]
    rows = section.model._default_manager.filter(unit_id__in=unit_ids, period__in=periods).order_by()
    keys_of_row: dict[str | None, list[str]] = {}  # a row's code -> the value keys of its fields
    result: dict[tuple[int, int], Values] = defaultdict(dict)
    for unit_id, period_id, *values in rows.values_list(*columns):
        row_code = values.pop() if section.row_code_lookup else None
        if (keys := keys_of_row.get(row_code)) is None:
            keys = keys_of_row[row_code] = [_row_key(section, row_code, name) for name in fields]
        quarter = result[(unit_id, period_id)]
        for key, value in zip(keys, values, strict=True):
            quarter[key] = value if value is None or type(value) is Decimal else Decimal(value)
    return result


def values_by_quarter(*, unit_ids, periods) -> dict[tuple[int, int], Values]:
    """(unit id, period id) -> value key -> value over every registered section."""
    merged: dict[tuple[int, int], Values] = defaultdict(dict)
    for section in sections:
        if not section.figures:
            continue
        for quarter, values in section_values(section, unit_ids=unit_ids, periods=periods).items():
            merged[quarter].update(values)
    return merged


def values_by_period(*, unit, periods) -> dict[int, Values]:
    """period id -> value key -> value of one unit."""
    return {period_id: values for (_unit, period_id), values in
            values_by_quarter(unit_ids=[unit.pk], periods=periods).items()}


def quarter_values(*, unit, period) -> Values:
    """value key -> value of one unit's quarter."""
    return values_by_period(unit=unit, periods=[period]).get(period.pk, {})


@dataclass
class StoredQuarters:
    """What is stored for some units over a run of periods: enough history to check quarters in it.

    `load` reads the periods from `before` quarters ahead of the earliest one asked for up to the
    latest, so checking a thousand quarters costs one query per section instead of a few per quarter.
    """

    periods: list  # Period rows, by ordinal
    values: dict[tuple[int, int], Values]

    @classmethod
    def load(cls, *, unit_ids, periods, before: int) -> "StoredQuarters":
        ordinals = [period.ordinal for period in periods]
        window = list(Period.objects.filter(ordinal__gte=min(ordinals) - before, ordinal__lte=max(ordinals)))
        return cls(window, values_by_quarter(unit_ids=unit_ids, periods=window))

    def of(self, unit_id: int, period_id: int) -> Values:
        return self.values.get((unit_id, period_id), {})

    def has(self, unit_id: int, period_id: int) -> bool:
        return (unit_id, period_id) in self.values
