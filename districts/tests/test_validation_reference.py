"""`quarter_check` against a plain reference written here: each rule of the validation stated once more, value by
value, in Decimals, on random quarters and histories (nulls, gaps, first quarters of the year, edge values).

The check works on the history as scaled integers held per quarter and reads a value's older quarters only when a rule
needs them; the reference reads every quarter's Decimals and applies each rule as the documentation states it. They
must find the same problems (figure, level, code) for every quarter, in the same order, and the same quarter to store.
"""
from array import array
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from districts.figures import ABSENT, StoredQuarters
from districts.models import Unit
from districts.registry import sections
from districts.validation import quarter_check

HISTORY = 9  # the quarters before the checked one that the rules may read
ORDINAL = 2026 * 4 + 2  # the checked quarter (a third quarter); others are drawn too

plain = st.one_of(st.integers(0, 400).map(Decimal), st.decimals(0, 400, places=2))
edge = st.sampled_from([Decimal(0), Decimal("0.00"), Decimal("-1"), Decimal("-0.01"), Decimal("12.5"),
                        Decimal("1.230"), Decimal("0.001"), Decimal("1E+3"), Decimal("99999999999999"),
                        Decimal("1E+20"), Decimal("2147483648")])
given_value = st.one_of(st.none(), plain, plain, edge)  # None: the value cleared
history_value = st.one_of(st.none(), plain, plain, st.sampled_from([Decimal(0), Decimal(1), Decimal(1000)]))


def _field(slot):
    return slot.section.model._meta.get_field(slot.figure.field)


def _places(slot) -> int | None:
    return getattr(_field(slot), "decimal_places", None)


def _bound(slot) -> Decimal:
    field = _field(slot)
    if getattr(field, "max_digits", None) is not None:
        return Decimal(10) ** (field.max_digits - field.decimal_places)
    # A PositiveIntegerField's column: PostgreSQL's integer, SQLite's 64-bit integer.
    return Decimal(2**31 if connection.vendor == "postgresql" else 2**63)


def reference(unit, ordinal: int, slots, values: dict, history: dict) -> list[tuple]:
    """(figure, level, code) of every problem of the quarter `values` (key -> Decimal), `history`: back -> key ->
    Decimal of the quarters before (1 = the one before)."""
    found = []
    for slot in slots:
        value = values.get(slot.key)
        if value is None:
            continue
        if value < 0:
            found.append((slot.key, "error", "negative"))
        if slot.figure.integer and value != int(value):
            found.append((slot.key, "error", "not_integer"))
        places = _places(slot)
        if places is not None and -value.as_tuple().exponent > places:
            found.append((slot.key, "error", "too_many_decimals"))
        if abs(value) >= _bound(slot):
            found.append((slot.key, "error", "too_large"))
        if slot.figure.zone_only and not unit.has_high_tech_zone:
            found.append((slot.key, "error", "zone_only"))
    giants, specialised = values.get("enterprises.little_giants"), values.get("enterprises.specialised_smes")
    if giants is not None and specialised is not None and giants > specialised:
        found.append(("enterprises.little_giants", "error", "giants_over_specialised"))
    zone, industry = values.get("economy.zone_output"), values.get("economy.industrial_output")
    if zone is not None and industry is not None and zone > industry:
        found.append(("economy.zone_output", "error", "zone_over_industrial"))
    if found:
        return found
    for slot in slots:
        if values.get(slot.key) is None:
            continue
        series = [values[slot.key]] + [history[back].get(slot.key) for back in range(1, HISTORY + 1)]
        flow = slot.figure.kind == "flow"
        if flow and ordinal % 4 != 0 and series[1] is not None and series[0] < series[1]:
            found.append((slot.key, "error", "ytd_decrease"))
            continue
        amounts = [_amount(series, back, ordinal, flow) for back in range(HISTORY)]
        current, before = amounts[0], amounts[1]
        if current is None:
            continue
        if before is not None and before != 0 and abs(current - before) > abs(before) * Decimal("0.5"):
            found.append((slot.key, "warning", "jump"))
            continue
        earlier = [amount for amount in amounts[1:] if amount is not None]
        if len(earlier) >= 4 and (current > max(earlier) * 3 or (min(earlier) > 0 and current * 3 < min(earlier))):
            found.append((slot.key, "warning", "outlier"))
    return found


def _amount(series: list, back: int, ordinal: int, flow: bool) -> Decimal | None:
    """A stock's value `back` quarters before `ordinal`, a flow's own-quarter amount then (year to date, less the
    quarter before's except in a first quarter)."""
    if not flow or (ordinal - back) % 4 == 0:
        return series[back]
    if series[back] is None or series[back + 1] is None:
        return None
    return series[back] - series[back + 1]


def scaled(slot, value: Decimal) -> int:
    return int(value.scaleb(_places(slot) or 0))


@st.composite
def stored_values(draw, slots, values, max_size):
    """Values a quarter may hold as stored: whole numbers in an integer slot."""
    chosen = draw(st.lists(st.sampled_from(range(len(slots))), max_size=max_size, unique=True))
    return {slots[at].key: (value if value is None or not slots[at].figure.integer else value.to_integral_value())
            for at in chosen if (value := draw(values)) is None or value >= 0}


@st.composite
def quarters(draw, slots):
    ordinal = draw(st.sampled_from([ORDINAL - 2, ORDINAL - 1, ORDINAL, ORDINAL + 1]))  # each quarter of the year
    stored_now = {key: value for key, value in draw(stored_values(slots, plain, 4)).items() if value is not None}
    given = draw(st.dictionaries(st.sampled_from([slot.key for slot in slots]), given_value, min_size=1, max_size=8))
    reported = draw(st.lists(st.booleans(), min_size=HISTORY, max_size=HISTORY))
    history = {back: draw(stored_values(slots, history_value, len(slots))) if reported[back - 1] else {}
               for back in range(1, HISTORY + 1)}
    return ordinal, stored_now, given, history


@pytest.fixture
def slots(chongqing):
    with sections.slots_fixed():
        yield sections.slots()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), zone=st.booleans())
def test_the_check_finds_what_the_rules_stated_value_by_value_find(slots, data, zone):
    unit = Unit.objects.filter(has_high_tech_zone=zone).order_by("pk").first()
    ordinal, stored_now, given, history = data.draw(quarters(slots))
    periods = {back: SimpleNamespace(ordinal=ordinal - back) for back in range(HISTORY + 1)}
    stored = StoredQuarters(unit_ids=[unit.pk], periods=list(periods.values()))
    by_key = {slot.key: slot for slot in slots}
    for back, values in [(0, stored_now), *history.items()]:
        if any(value is not None for value in values.values()):
            row = array("q", [ABSENT]) * len(slots)
            for key, value in values.items():
                if value is not None:
                    row[stored.index[key]] = scaled(by_key[key], value)
            stored.put(unit.pk, periods[back], row)
    merged = {key: value for key, value in (stored_now | given).items() if value is not None}

    problems, row = quarter_check(unit=unit, period=periods[0], parsed=given, stored=stored)

    expected = reference(unit, ordinal, slots, merged, history)
    assert [(p.figure, p.level, p.code) for p in problems] == expected
    if not any(level == "error" for _key, level, _code in expected):  # (a refused quarter is not stored)
        assert {slot.key: row[position] for position, slot in enumerate(slots) if row[position] != ABSENT} == {
            key: scaled(by_key[key], value) for key, value in merged.items()}
