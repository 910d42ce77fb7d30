"""The validation of a unit's quarter, in one place for forms, admin, import and API.

`check_quarter` runs the generic rules below on every registered slot, then each section's own
`rules` (e.g. enterprises: "little giants" within 专精特新). Errors block a save; warnings must be
explained before the quarter is submitted. Messages are Chinese, name the figure and say what would
be accepted.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.utils.translation import gettext as _

from districts.figures import StoredQuarters
from districts.registry import Slot, sections

ERROR = "error"
WARNING = "warning"
JUMP_RATIO = Decimal("0.5")  # a quarter-on-quarter change above 50% asks for an explanation
OUTLIER_FACTOR = 3  # "far outside the unit's history": above 3× its highest or below a third of its lowest
HISTORY_QUARTERS = 8
MIN_HISTORY = 4
HISTORY_WINDOW = HISTORY_QUARTERS + 1  # one more: a flow's first own-quarter amount needs the one before


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


def _value_problems(slot: Slot, value: Decimal, unit) -> list[Problem]:
    problems = []
    if value < 0:
        problems.append(Problem(slot.key, ERROR, "negative", _(
            "“%(label)s”不能为负数（填写的是 %(value)s），请填写 0 或正数。"
        ) % {"label": slot.label, "value": fmt(value)}))
    if slot.figure.integer and value != value.to_integral_value():
        problems.append(Problem(slot.key, ERROR, "not_integer", _(
            "“%(label)s”是%(unit)s数，应为整数（填写的是 %(value)s），请去掉小数部分。"
        ) % {"label": slot.label, "unit": slot.figure.unit_label, "value": fmt(value)}))
    model_field = slot.section.model._meta.get_field(slot.figure.field)
    places = getattr(model_field, "decimal_places", None)
    if places is not None and -value.as_tuple().exponent > places:
        problems.append(Problem(slot.key, ERROR, "too_many_decimals", _(
            "“%(label)s”最多保留 %(places)s 位小数（填写的是 %(value)s）。"
        ) % {"label": slot.label, "places": places, "value": fmt(value)}))
    digits = getattr(model_field, "max_digits", None)
    if digits is not None and abs(value) >= Decimal(10) ** (digits - (places or 0)):
        problems.append(Problem(slot.key, ERROR, "too_large", _(
            "“%(label)s”数值过大（%(value)s），请确认单位为%(unit)s。"
        ) % {"label": slot.label, "value": fmt(value), "unit": slot.figure.unit_label}))
    if slot.figure.zone_only and not unit.has_high_tech_zone:
        problems.append(Problem(slot.key, ERROR, "zone_only", _(
            "“%(label)s”仅由设有高新区的单位填报，%(unit)s未设高新区，请留空。"
        ) % {"label": slot.label, "unit": unit.name}))
    return problems


def comparable(slot: Slot, period, by_ordinal: dict[int, dict]) -> Decimal | None:
    """What compares across quarters: a stock's value, or a flow's own-quarter amount (YTD minus last YTD)."""
    value = by_ordinal.get(period.ordinal, {}).get(slot.key)
    if value is None or slot.figure.kind == "stock" or period.quarter == 1:
        return value
    before = by_ordinal.get(period.ordinal - 1, {}).get(slot.key)
    return None if before is None else value - before


def quarter_code(ordinal: int) -> str:
    return f"{ordinal // 4}Q{ordinal % 4 + 1}"


def own_amount(slot: Slot, period, by_ordinal: dict[int, dict]) -> str:
    """How a flow's own-quarter amount comes from the year-to-date figures the page shows."""
    value = by_ordinal[period.ordinal][slot.key]
    if period.quarter == 1:
        return _("%(period)s 累计 %(value)s") % {"period": period.code, "value": fmt(value)}
    previous = by_ordinal[period.ordinal - 1][slot.key]
    return _("%(period)s 累计 %(value)s − %(previous_period)s 累计 %(previous)s") % {
        "period": period.code, "value": fmt(value), "previous_period": quarter_code(period.ordinal - 1),
        "previous": fmt(previous)}


def _history_problems(slot: Slot, period, last, window: list, by_ordinal: dict[int, dict]) -> list[Problem]:
    """`last`: the quarter before `period` if stored; `window`: the stored quarters of the last HISTORY_QUARTERS."""
    value = by_ordinal[period.ordinal].get(slot.key)
    if value is None:
        return []
    problems = []
    previous = by_ordinal.get(period.ordinal - 1, {}).get(slot.key)
    if slot.figure.kind == "flow" and period.quarter > 1 and previous is not None and value < previous:
        return [Problem(slot.key, ERROR, "ytd_decrease", _(
            "“%(label)s”是年初至季末的累计数，不应低于上季度的 %(previous)s（填写的是 %(value)s）。"
            "请填写本年累计数，不小于 %(previous)s。"
        ) % {"label": slot.label, "previous": fmt(previous), "value": fmt(value)})]
    current = comparable(slot, period, by_ordinal)
    before = comparable(slot, last, by_ordinal) if last else None
    if current is not None and before and abs(current - before) > JUMP_RATIO * abs(before):
        change = (current - before) / abs(before) * 100
        direction = _("增长") if change > 0 else _("下降")
        if slot.figure.kind == "flow":
            message = _(
                "“%(label)s”是年初至季末的累计数，按单季发生额比较：本季度 %(current)s（%(current_from)s）"
                "比上季度 %(before)s（%(before_from)s）%(direction)s %(percent)s%%，超过 50%%。"
                "请核实；数据无误请填写说明。"
            ) % {"label": slot.label, "current": fmt(current), "current_from": own_amount(slot, period, by_ordinal),
                 "before": fmt(before), "before_from": own_amount(slot, last, by_ordinal), "direction": direction,
                 "percent": f"{abs(change):.0f}"}
        else:
            message = _(
                "“%(label)s”比上季度%(direction)s %(percent)s%%（%(before)s → %(current)s），超过 50%%。"
                "请核实；数据无误请填写说明。"
            ) % {"label": slot.label, "direction": direction, "percent": f"{abs(change):.0f}",
                 "before": fmt(before), "current": fmt(current)}
        problems.append(Problem(slot.key, WARNING, "jump", message))
    history = [v for p in window if (v := comparable(slot, p, by_ordinal)) is not None]
    if current is not None and not problems and len(history) >= MIN_HISTORY:
        low, high = min(history), max(history)
        if current > high * OUTLIER_FACTOR or (low > 0 and current < low / OUTLIER_FACTOR):
            if slot.figure.kind == "flow":
                message = _(
                    "“%(label)s”本季度发生额 %(current)s（%(current_from)s）远超出本单位近 %(count)s 个季度单季发生额的"
                    "范围（%(low)s–%(high)s）。请核实单位（万元/元）与口径；数据无误请填写说明。"
                ) % {"label": slot.label, "current": fmt(current),
                     "current_from": own_amount(slot, period, by_ordinal), "count": len(history), "low": fmt(low),
                     "high": fmt(high)}
            else:
                message = _(
                    "“%(label)s”（%(current)s）远超出本单位近 %(count)s 个季度的范围（%(low)s–%(high)s）。"
                    "请核实单位（万元/元）与口径；数据无误请填写说明。"
                ) % {"label": slot.label, "current": fmt(current), "count": len(history), "low": fmt(low),
                     "high": fmt(high)}
            problems.append(Problem(slot.key, WARNING, "outlier", message))
    return problems


def check_quarter(*, unit, period, values: dict[str, Any], stored: StoredQuarters | None = None) -> list["Problem"]:
    """Every problem of the quarter once `values` (value key -> raw value) replace what is stored.

    `stored` must hold the unit's quarter and the HISTORY_QUARTERS + 1 before it (`history_of` loads
    that for many quarters at once); without it they are read here.
    """
    stored = stored or history_of(unit_ids=[unit.pk], periods=[period])
    parsed, problems = parse_values(values)
    merged = stored.of(unit.pk, period.pk) | parsed
    slots = sections.slots()
    for slot in slots:
        if (value := merged.get(slot.key)) is not None:
            problems += _value_problems(slot, value, unit)
    for section in sections:
        for rule in section.rules:
            problems += rule(section=section, unit=unit, values=merged)
    if any(p.is_error for p in problems):
        return problems

    first = period.ordinal - HISTORY_WINDOW
    periods = [p for p in stored.periods if first <= p.ordinal < period.ordinal]
    by_ordinal = {p.ordinal: stored.of(unit.pk, p.pk) for p in periods if stored.has(unit.pk, p.pk)}
    by_ordinal[period.ordinal] = merged
    last = next((p for p in periods if p.ordinal == period.ordinal - 1), None)
    window = [p for p in periods if p.ordinal >= period.ordinal - HISTORY_QUARTERS]
    for slot in slots:
        problems += _history_problems(slot, period, last, window, by_ordinal)
    return problems


def history_of(*, unit_ids, periods) -> StoredQuarters:
    """What `check_quarter` reads for these units' quarters in `periods`, loaded once for all of them."""
    return StoredQuarters.load(unit_ids=unit_ids, periods=periods, before=HISTORY_WINDOW)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]
