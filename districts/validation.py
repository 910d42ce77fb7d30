"""The validation of a unit's quarter, in one place for forms, admin, import and API.

`check_quarter` runs the generic rules below on every registered slot, then each section's own
`rules` (e.g. enterprises: "little giants" within 专精特新). Errors block a save; warnings must be
explained before the quarter is submitted. Messages are Chinese, name the figure and say what would
be accepted.
"""
import weakref
from array import array
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db import connection
from django.utils.translation import gettext as _

from districts.figures import ABSENT, StoredQuarters
from districts.registry import Slot, sections

ERROR = "error"
WARNING = "warning"
JUMP_RATIO = Decimal("0.5")  # a quarter-on-quarter change above 50% asks for an explanation
OUTLIER_FACTOR = 3  # "far outside the unit's history": above 3× its highest or below a third of its lowest
_JUMP_NUMERATOR, _JUMP_DENOMINATOR = JUMP_RATIO.as_integer_ratio()  # compared exactly with the scaled integers
# A value within JUMP_RATIO of a positive quarter before it is within OUTLIER_FACTOR of the history's range, which
# holds that quarter: no need to look further back.
_JUMP_WITHIN_RANGE = 1 + JUMP_RATIO <= OUTLIER_FACTOR and (1 - JUMP_RATIO) * OUTLIER_FACTOR > 1
HISTORY_QUARTERS = 8
MIN_HISTORY = 4
HISTORY_WINDOW = HISTORY_QUARTERS + 1  # one more: a flow's first own-quarter amount needs the one before
_UNIT = Decimal(1)


@dataclass(frozen=True)
class Problem:
    figure: str  # the value key, e.g. "enterprises.little_giants"
    level: Literal["error", "warning"]
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def parse_value(raw: Any) -> Decimal | None:
    """A reported value as a Decimal; blank is None. Raises ValueError for anything that is not a number."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def parse_values(values: dict[str, Any]) -> tuple[dict[str, Decimal | None], list[Problem]]:
    parsed, problems = {}, []
    known = sections.slots_by_key()
    for key, raw in values.items():
        if key not in known:
            message = _("没有名为“%(key)s”的填报项，请使用模板中的指标。") % {"key": key}
            problems.append(Problem(key, ERROR, "unknown", message))
            continue
        if type(raw) is Decimal and raw.is_finite():  # already parsed (the import's cells)
            parsed[key] = raw
            continue
        try:
            parsed[key] = parse_value(raw)
        except ValueError:
            label = known[key].label
            problems.append(Problem(key, ERROR, "invalid", _(
                "“%(label)s”应为数字，收到的是“%(raw)s”。请填写阿拉伯数字，如 1234 或 1234.56，不填写请留空。"
            ) % {"label": label, "raw": raw}))
    return parsed, problems


def fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class _SlotRule:
    """What the generic rules need of a slot, read from its model field once per batch rather than per value."""

    slot: Slot
    key: str
    position: int  # in StoredQuarters' slot order
    places: int | None  # the decimal places a value may have (None: an integer field, whole numbers only)
    bound: Decimal | None  # a value's magnitude must stay below it (the field's digits, or its integer range)
    flow: bool
    zone_only: bool

    def scaled(self, value: Decimal, unit) -> int | None:
        """The value scaled as StoredQuarters holds it when no generic rule finds fault with it, else None."""
        if value < 0 or (self.bound is not None and value >= self.bound):  # first: ±1E+999999 takes long as an int
            return None
        if self.places is None:
            whole = int(value)
            if whole != value:
                return None
        else:
            scaled = value.scaleb(self.places)
            # Its exponent is below 0 when the value has more places (1.230): then, and only then, rounding it to an
            # integer changes its exponent (as_tuple would tell as well, at several times the cost).
            if not scaled.same_quantum(_UNIT) and not scaled.same_quantum(scaled.to_integral_value()):
                return None
            whole = int(scaled)
        return None if self.zone_only and not unit.has_high_tech_zone else whole


@dataclass(frozen=True)
class _Rules:
    slots: list[_SlotRule]
    sections: list  # (section, rule) of every section's own rules


_RULES: "weakref.WeakKeyDictionary[StoredQuarters, _Rules]" = weakref.WeakKeyDictionary()


def _rules(stored: StoredQuarters) -> _Rules:
    if (found := _RULES.get(stored)) is None:
        found = _RULES[stored] = _Rules(
            [_slot_rule(slot, position) for position, slot in enumerate(stored.slots)],
            [(section, rule) for section in sections for rule in section.rules],
        )
    return found


def _slot_rule(slot: Slot, position: int) -> _SlotRule:
    model_field = slot.section.model._meta.get_field(slot.figure.field)
    places = getattr(model_field, "decimal_places", None)
    digits = getattr(model_field, "max_digits", None)
    if digits is not None:
        bound = Decimal(10) ** (digits - (places or 0))
    else:  # an integer column: what the database's integer type holds (the field's own validator)
        _low, high = connection.ops.integer_field_range(model_field.get_internal_type())
        bound = None if high is None else Decimal(high + 1)
    return _SlotRule(slot, slot.key, position, places, bound, slot.figure.kind == "flow", slot.figure.zone_only)


def _value_problems(rule: _SlotRule, value: Decimal, unit) -> list[Problem]:
    slot, problems = rule.slot, []
    if value < 0:
        problems.append(Problem(slot.key, ERROR, "negative", _(
            "“%(label)s”不能为负数（填写的是 %(value)s），请填写 0 或正数。"
        ) % {"label": slot.label, "value": fmt(value)}))
    if slot.figure.integer and value != value.to_integral_value():
        problems.append(Problem(slot.key, ERROR, "not_integer", _(
            "“%(label)s”是%(unit)s数，应为整数（填写的是 %(value)s），请去掉小数部分。"
        ) % {"label": slot.label, "unit": slot.figure.unit_label, "value": fmt(value)}))
    if rule.places is not None and -value.as_tuple().exponent > rule.places:
        problems.append(Problem(slot.key, ERROR, "too_many_decimals", _(
            "“%(label)s”最多保留 %(places)s 位小数（填写的是 %(value)s）。"
        ) % {"label": slot.label, "places": rule.places, "value": fmt(value)}))
    if rule.bound is not None and abs(value) >= rule.bound:
        problems.append(Problem(slot.key, ERROR, "too_large", _(
            "“%(label)s”数值过大（%(value)s），请确认单位为%(unit)s。"
        ) % {"label": slot.label, "value": fmt(value), "unit": slot.figure.unit_label}))
    if slot.figure.zone_only and not unit.has_high_tech_zone:
        problems.append(Problem(slot.key, ERROR, "zone_only", _(
            "“%(label)s”仅由设有高新区的单位填报，%(unit)s未设高新区，请留空。"
        ) % {"label": slot.label, "unit": unit.name}))
    return problems


def quarter_code(ordinal: int) -> str:
    return f"{ordinal // 4}Q{ordinal % 4 + 1}"


def _own_amount(ordinal: int, ytd: Decimal, previous: Decimal | None) -> str:
    """How a flow's own-quarter amount comes from the year-to-date figures the page shows."""
    if ordinal % 4 == 0:
        return _("%(period)s 累计 %(value)s") % {"period": quarter_code(ordinal), "value": fmt(ytd)}
    return _("%(period)s 累计 %(value)s − %(previous_period)s 累计 %(previous)s") % {
        "period": quarter_code(ordinal), "value": fmt(ytd), "previous_period": quarter_code(ordinal - 1),
        "previous": fmt(previous)}


def _history_problems(scaled: list[tuple[_SlotRule, int]], ordinal: int, previous, earlier, offset: int | None,
                      stored: StoredQuarters) -> list[Problem]:
    """The rules against each slot's history: `scaled` holds the slots' scaled values at `ordinal`, `previous` and
    `earlier` the quarter's two quarters before (ABSENT where none); the older ones are read from `stored` at `offset`
    (`StoredQuarters.offset`) only when a rule needs them. What compares across quarters is a stock's value, a flow's
    own-quarter amount (year to date minus the quarter before's, except in a first quarter). Most values are settled
    by the two quarters before, here, in one loop for the quarter; only the others take their whole series."""
    problems = []
    first, first_before = _FIRST_QUARTERS[ordinal % 4][:2]  # whether the quarter, the one before, is a first quarter
    for rule, value in scaled:
        last = previous[rule.position]
        current, before = value, None if last == ABSENT else last
        if rule.flow:
            if not first:
                if before is None:
                    continue  # no own-quarter amount
                if value < last:
                    problems.append(_ytd_decrease(rule, value, last, stored))
                    continue
                current = value - last
            if before is not None and not first_before:
                before = None if (second_last := earlier[rule.position]) == ABSENT else last - second_last
        if before and abs(current - before) * _JUMP_DENOMINATOR > abs(before) * _JUMP_NUMERATOR:
            ytd = _series(rule, value, offset, ordinal, stored)
            problems.append(_jump(rule, ordinal, ytd, current, before, stored))
        elif not (_JUMP_WITHIN_RANGE and before is not None and before > 0):  # else before <= high, low <= before
            problems += _outliers(rule, ordinal, value, current, offset, stored)
    return problems


def _ytd_decrease(rule: _SlotRule, value: int, previous: int, stored: StoredQuarters) -> Problem:
    slot = rule.slot
    return Problem(slot.key, ERROR, "ytd_decrease", _(
        "“%(label)s”是年初至季末的累计数，不应低于上季度的 %(previous)s（填写的是 %(value)s）。"
        "请填写本年累计数，不小于 %(previous)s。"
    ) % {"label": slot.label, "previous": fmt(stored.decimal(rule.position, previous)),
         "value": fmt(stored.decimal(rule.position, value))})


def _outliers(rule: _SlotRule, ordinal: int, value: int, current: int, offset: int | None,
              stored: StoredQuarters) -> list[Problem]:
    """The outlier warning if `current` (the slot's value, or a flow's own-quarter amount, at `ordinal`, whose year to
    date is `value`) is far outside the slot's history of at least MIN_HISTORY quarters."""
    ytd = _series(rule, value, offset, ordinal, stored)
    if rule.flow:  # at ordinal, ordinal - 1, …, ordinal - HISTORY_QUARTERS
        comparable = [None if x == ABSENT else x if is_first else None if y == ABSENT else x - y
                      for x, y, is_first in zip(ytd[:-1], ytd[1:], _FIRST_QUARTERS[ordinal % 4], strict=True)]
    else:
        comparable = [None if x == ABSENT else x for x in ytd[:HISTORY_QUARTERS + 1]]
    history = [x for x in comparable[1:] if x is not None]
    if len(history) < MIN_HISTORY:
        return []
    low, high = min(history), max(history)
    if current > high * OUTLIER_FACTOR or (low > 0 and current * OUTLIER_FACTOR < low):
        return [_outlier(rule, ordinal, ytd, current, len(history), low, high, stored)]
    return []


def _series(rule: _SlotRule, value: int, offset: int | None, ordinal: int, stored: StoredQuarters) -> list[int]:
    """The slot's scaled values from `value` at `ordinal` back over the HISTORY_WINDOW quarters before it."""
    return [value, *stored.series(offset, rule.position, ordinal - 1, HISTORY_WINDOW)]


# Per quarter of the year (ordinal % 4), whether each of the HISTORY_QUARTERS + 1 quarters from it back is a
# first quarter, whose year-to-date figure is its own amount.
_FIRST_QUARTERS = [tuple((quarter - back) % 4 == 0 for back in range(HISTORY_QUARTERS + 1)) for quarter in range(4)]


def _amount(rule: _SlotRule, ordinal: int, ytd, back: int, stored: StoredQuarters) -> str:
    earlier = ytd[back + 1]
    return _own_amount(ordinal - back, stored.decimal(rule.position, ytd[back]),
                       None if earlier == ABSENT else stored.decimal(rule.position, earlier))


def _jump(rule: _SlotRule, ordinal: int, ytd, current: int, before: int, stored: StoredQuarters) -> Problem:
    slot, position = rule.slot, rule.position
    change = stored.decimal(position, current - before) / abs(stored.decimal(position, before)) * 100
    direction = _("增长") if change > 0 else _("下降")
    if rule.flow:
        message = _(
            "“%(label)s”是年初至季末的累计数，按单季发生额比较：本季度 %(current)s（%(current_from)s）"
            "比上季度 %(before)s（%(before_from)s）%(direction)s %(percent)s%%，超过 50%%。"
            "请核实；数据无误请填写说明。"
        ) % {"label": slot.label, "current": fmt(stored.decimal(position, current)),
             "current_from": _amount(rule, ordinal, ytd, 0, stored), "before": fmt(stored.decimal(position, before)),
             "before_from": _amount(rule, ordinal, ytd, 1, stored), "direction": direction,
             "percent": f"{abs(change):.0f}"}
    else:
        message = _(
            "“%(label)s”比上季度%(direction)s %(percent)s%%（%(before)s → %(current)s），超过 50%%。"
            "请核实；数据无误请填写说明。"
        ) % {"label": slot.label, "direction": direction, "percent": f"{abs(change):.0f}",
             "before": fmt(stored.decimal(position, before)), "current": fmt(stored.decimal(position, current))}
    return Problem(slot.key, WARNING, "jump", message)


def _outlier(rule: _SlotRule, ordinal: int, ytd, current: int, count: int, low: int, high: int,
             stored: StoredQuarters) -> Problem:
    slot, position = rule.slot, rule.position
    if rule.flow:
        message = _(
            "“%(label)s”本季度发生额 %(current)s（%(current_from)s）远超出本单位近 %(count)s 个季度单季发生额的"
            "范围（%(low)s–%(high)s）。请核实单位（万元/元）与口径；数据无误请填写说明。"
        ) % {"label": slot.label, "current": fmt(stored.decimal(position, current)),
             "current_from": _amount(rule, ordinal, ytd, 0, stored), "count": count,
             "low": fmt(stored.decimal(position, low)), "high": fmt(stored.decimal(position, high))}
    else:
        message = _(
            "“%(label)s”（%(current)s）远超出本单位近 %(count)s 个季度的范围（%(low)s–%(high)s）。"
            "请核实单位（万元/元）与口径；数据无误请填写说明。"
        ) % {"label": slot.label, "current": fmt(stored.decimal(position, current)), "count": count,
             "low": fmt(stored.decimal(position, low)), "high": fmt(stored.decimal(position, high))}
    return Problem(slot.key, WARNING, "outlier", message)


def check_quarter(*, unit, period, values: dict[str, Any], stored: StoredQuarters | None = None) -> list["Problem"]:
    """Every problem of the quarter once `values` (value key -> raw value) replace what is stored.

    `stored` must hold the unit's quarter and the HISTORY_WINDOW before it (`history_of` loads that for many
    quarters at once); without it they are read here.
    """
    stored = stored or history_of(unit_ids=[unit.pk], periods=[period])
    parsed, problems = parse_values(values)
    return problems + quarter_check(unit=unit, period=period, parsed=parsed, stored=stored,
                                    errors_before=any(p.is_error for p in problems))[0]


def quarter_check(*, unit, period, parsed: dict[str, Decimal | None], stored: StoredQuarters,
                  errors_before: bool = False) -> tuple[list[Problem], array | None]:
    """`check_quarter` of values already parsed (the history rules run only on a quarter without errors), and the
    quarter as `stored` holds it once they are saved, for `StoredQuarters.put` (None with an error)."""
    rules, unit_id, ordinal = _rules(stored), unit.id, period.ordinal  # `id`: `pk` is a property, read per quarter
    merged = stored.of(unit_id, period) | parsed
    problems, scaled = [], []
    size = len(stored.slots)
    row = array("q", [ABSENT]) * size  # the quarter as it will be stored: every value merged, scaled
    for rule in rules.slots:
        if (value := merged.get(rule.key)) is None:
            continue
        if (whole := rule.scaled(value, unit)) is None:
            problems += _value_problems(rule, value, unit)
        else:
            row[rule.position] = whole
        scaled.append((rule, whole))
    for section, rule in rules.sections:
        problems += rule(section=section, unit=unit, values=merged)
    if errors_before or any(p.is_error for p in problems):
        return problems, None
    previous = stored.row(unit_id, ordinal - 1) or array("q", [ABSENT]) * size
    earlier = stored.row(unit_id, ordinal - 2) or array("q", [ABSENT]) * size
    return problems + _history_problems(scaled, ordinal, previous, earlier, stored.offset(unit_id), stored), row


def history_of(*, unit_ids, periods) -> StoredQuarters:
    """What `check_quarter` reads for these units' quarters in `periods`, loaded once for all of them."""
    return StoredQuarters.load(unit_ids=unit_ids, periods=periods, before=HISTORY_WINDOW)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]
