"""Reading units' reported values by value key, from whatever models the sections registered.

One query per section for any number of units and periods, so the quarter page, validation, the
history comparisons and a batch of many quarters stay cheap.
"""
from array import array
from collections import defaultdict
from decimal import Decimal

from districts.models import Period
from districts.registry import Section, Slot, sections

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


ABSENT = -(1 << 63)  # a slot with no value in StoredQuarters' arrays (no row, or a null)


def decimal_places(slot: Slot) -> int:
    """The decimal places its model field stores (0 for an integer field)."""
    return getattr(slot.section.model._meta.get_field(slot.figure.field), "decimal_places", None) or 0


class StoredQuarters:
    """What is stored for some units over some periods: enough history to check quarters in them.

    `load` reads, with one query per section, the periods asked for and the `before` quarters ahead of each.
    The values are held as one array of integers per period (unit × slot, each value scaled by its field's
    decimal places, so comparing and subtracting them is exact), which keeps the history of a national file
    to a few MiB. `put` records what a save writes, so the quarters after it in a batch are checked against
    it without reading it back.
    """

    def __init__(self, *, unit_ids, periods):
        self.slots = sections.slots()
        self.index = {slot.key: position for position, slot in enumerate(self.slots)}
        self.places = [decimal_places(slot) for slot in self.slots]
        self.periods = sorted(periods, key=lambda period: period.ordinal)
        self._units = {unit_id: position for position, unit_id in enumerate(sorted(set(unit_ids)))}
        self._arrays: dict[int, array] = {}  # period ordinal -> values of each unit's slots

    @classmethod
    def load(cls, *, unit_ids, periods, before: int) -> "StoredQuarters":
        ordinals = {ordinal for period in periods for ordinal in range(period.ordinal - before, period.ordinal + 1)}
        stored = cls(unit_ids=unit_ids, periods=Period.objects.filter(ordinal__in=ordinals))
        for section in sections:
            if section.figures:
                stored._read(section)
        return stored

    def _read(self, section: Section) -> None:
        fields = [figure.field for figure in section.figures]
        columns = ["unit_id", "period__ordinal", *fields, *([section.row_code_lookup] if section.row_code_lookup
                                                            else [])]
        rows = section.model._default_manager.filter(unit_id__in=list(self._units),
                                                      period_id__in=[period.pk for period in self.periods])
        positions: dict[str | None, list[int]] = {}  # a row's code -> the slot positions of its fields
        for unit_id, ordinal, *values in rows.order_by().values_list(*columns).iterator(chunk_size=5000):
            row_code = values.pop() if section.row_code_lookup else None
            if (slots := positions.get(row_code)) is None:
                keys = [_row_key(section, row_code, name) for name in fields]
                slots = positions[row_code] = [self.index.get(key) for key in keys]
            at, target, places = self._at(unit_id), self._array(ordinal), self.places
            for slot, value in zip(slots, values, strict=True):
                if slot is not None and value is not None:  # a row of a fund no longer listed has no slot
                    target[at + slot] = int(value.scaleb(places[slot])) if places[slot] else int(value)

    def _at(self, unit_id: int) -> int:
        return self._units[unit_id] * len(self.slots)

    def _array(self, ordinal: int) -> array:
        if (found := self._arrays.get(ordinal)) is None:
            found = self._arrays[ordinal] = array("q", [ABSENT]) * (len(self._units) * len(self.slots))
        return found

    def row(self, unit_id: int, ordinal: int) -> array | None:
        """The unit's scaled values in slot order for the quarter `ordinal` (ABSENT where none); None if no value
        of that quarter is held."""
        found = self._arrays.get(ordinal)
        if found is None or unit_id not in self._units:
            return None
        at = self._at(unit_id)
        return found[at:at + len(self.slots)]

    def offset(self, unit_id: int) -> int | None:
        """Where the unit's values start in each quarter's array (a slot's is at offset + its position), None for a
        unit not held."""
        return self._at(unit_id) if unit_id in self._units else None

    def series(self, offset: int | None, position: int, ordinal: int, count: int) -> list[int]:
        """The scaled values of one slot (at `offset` + `position`) in the quarter `ordinal` and the `count` - 1
        quarters before it, from the latest back (ABSENT where none)."""
        arrays, at = self._arrays, None if offset is None else offset + position
        return [ABSENT if at is None or (found := arrays.get(ordinal - back)) is None else found[at]
                for back in range(count)]

    def of(self, unit_id: int, period) -> Values:
        """Value key -> value of the unit's quarter, for the slots that hold one."""
        row = self.row(unit_id, period.ordinal)
        if row is None or row.count(ABSENT) == len(row):  # a quarter not stored yet
            return {}
        return {slot.key: self.decimal(position, value) for position, (slot, value) in
                enumerate(zip(self.slots, row, strict=True)) if value != ABSENT}

    def decimal(self, position: int, scaled: int) -> Decimal:
        """A scaled value of the slot at `position` as the Decimal its field holds."""
        places = self.places[position]
        return Decimal(scaled).scaleb(-places) if places else Decimal(scaled)

    def forget(self, ordinal: int) -> None:
        """Let go of the values of the quarter `ordinal`, which nothing will check against any more."""
        self._arrays.pop(ordinal, None)

    def put(self, unit_id: int, period, row: array) -> None:
        """Record the unit's quarter as a save leaves it: `row`, its scaled values in slot order (ABSENT where none),
        as `quarter_check` worked them out."""
        at = self._at(unit_id)
        self._array(period.ordinal)[at:at + len(self.slots)] = row
