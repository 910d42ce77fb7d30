"""The registry of quarterly sections: each figures app tells districts what it collects.

Figures apps register a `Section` from their `AppConfig.ready()`, the way models register with the
admin. The quarter page, the Excel template, the submission check and the indicators read the
registry, so districts never imports a figures app and adding a figure is one change in one app.

Value keys. Every value a unit reports has a key:

- a single-row section (one model row per unit and quarter): `"<section>.<field>"`, e.g.
  `"enterprises.tech_smes"`, `"economy.rd_spending"`; this is also the `Figure.key`;
- a multi-row section (one model row per unit, quarter and row, e.g. one per fund): the section
  declares `rows` and `row_field`, and a value's key is `"<section>.<row code>.<field>"`, e.g.
  `"fundflow.district-st-guidance-fund.disbursed"`. The `Figure.key` stays `"<section>.<field>"`
  (`"fundflow.disbursed"`): it names the column, a `Slot` names one cell.

A section with no figures (platform milestones: records, not values) gives a `template` and a
`context(unit=, period=, user=)` callable, and the quarter page includes that template.

Per-section validation rules live on the section (`rules`); the generic rules and `check_quarter`
are in districts/validation.py.
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

FigureKind = Literal["stock", "flow"]


@dataclass(frozen=True)
class Figure:
    """One reported number: a field of a section's model."""

    key: str  # "<section>.<field>", e.g. "enterprises.tech_smes"; indicators refer to figures by it
    field: str
    kind: FigureKind  # stock at quarter end, or flow year to date at quarter end
    unit_label: str  # "家", "万元"
    integer: bool = False
    zone_only: bool = False  # reported only by units with a high-tech zone


@dataclass(frozen=True)
class Row:
    """One row of a multi-row section, e.g. one fund; `value` is what goes into the model's `row_field`."""

    code: str
    label: str
    value: Any


@dataclass(frozen=True)
class Slot:
    """One cell of the quarter: a figure, in a row for multi-row sections. `key` is the value key."""

    key: str
    section: "Section"
    figure: Figure
    row: Row | None = None

    @property
    def label(self) -> str:
        name = self.section.verbose_name(self.figure)
        return f"{self.row.label} · {name}" if self.row else name


# A section rule sees the merged values of the quarter (value key -> Decimal or None) and the unit.
SectionRule = Callable[..., list]


@dataclass
class Section:
    """What a figures app collects each quarter, and how."""

    key: str
    label: str
    model: type
    figures: tuple[Figure, ...]
    order: int = 100
    rows: Callable[[], list[Row]] | None = None  # multi-row sections only
    row_field: str | None = None  # the model field a row's value goes into, e.g. "fund"
    row_code_lookup: str | None = None  # how to read a row's code from the model, e.g. "fund__code"
    rules: tuple[SectionRule, ...] = field(default=())  # rule(*, section, unit, values) -> list[Problem]
    template: str | None = None  # for sections without figures, e.g. platform milestones
    hints: Callable[..., dict[str, str]] | None = None  # hints(unit=, period=) -> value key -> text beside it
    context: Callable[..., dict] | None = None

    def figure(self, field_name: str) -> Figure:
        return next(f for f in self.figures if f.field == field_name)

    def verbose_name(self, figure: Figure) -> str:
        return str(self.model._meta.get_field(figure.field).verbose_name)

    def slots(self) -> list[Slot]:
        if self.rows is None:
            return [Slot(figure.key, self, figure) for figure in self.figures]
        return [
            Slot(f"{self.key}.{row.code}.{figure.field}", self, figure, row)
            for row in self.rows()
            for figure in self.figures
        ]


class AlreadyRegistered(Exception):
    pass


# The slots of every section while `SectionRegistry.slots_fixed()` is active, by value key.
_fixed_slots: ContextVar[dict[str, Slot] | None] = ContextVar("fixed_slots", default=None)


class SectionRegistry:
    def __init__(self):
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> Section:
        if section.key in self._sections:
            raise AlreadyRegistered(f"section {section.key!r} is already registered")
        self._sections[section.key] = section
        return section

    def __iter__(self) -> Iterator[Section]:
        return iter(sorted(self._sections.values(), key=lambda s: (s.order, s.key)))

    def __getitem__(self, key: str) -> Section:
        return self._sections[key]

    def figure(self, key: str) -> tuple[Section, Figure]:
        """A figure by its key or a value key, with the section it belongs to (KeyError if unknown)."""
        section_key, _, rest = key.partition(".")
        section = self._sections[section_key]
        field_name = rest.rpartition(".")[2]
        try:
            return section, section.figure(field_name)
        except StopIteration:
            raise KeyError(key) from None

    def figures(self):
        for section in self:
            for figure in section.figures:
                yield section, figure

    def for_model(self, model) -> Section:
        return next(section for section in self if section.model is model)

    def slots(self) -> list[Slot]:
        """Every value a unit reports this quarter, in page order."""
        if (fixed := _fixed_slots.get()) is not None:
            return list(fixed.values())
        return [slot for section in self for slot in section.slots()]

    def slots_by_key(self) -> dict[str, Slot]:
        """Every slot by its value key. A multi-row section reads its rows (the funds) on each call, so code
        that looks up many keys reads them once with this rather than calling `slot()` per key."""
        if (fixed := _fixed_slots.get()) is not None:
            return fixed
        return {slot.key: slot for slot in self.slots()}

    def slot(self, key: str) -> Slot:
        """The slot of a value key (KeyError if there is none, e.g. an unknown fund code)."""
        if (fixed := _fixed_slots.get()) is not None:
            return fixed[key]
        section, _ = self.figure(key)
        for slot in section.slots():
            if slot.key == key:
                return slot
        raise KeyError(key)

    @contextmanager
    def slots_fixed(self):
        """Read the slots once for the block: a multi-row section reads its rows (funds) from the database
        each time, and checking a batch of quarters asks for the slots thousands of times."""
        if _fixed_slots.get() is not None:
            yield
            return
        token = _fixed_slots.set(self.slots_by_key())
        try:
            yield
        finally:
            _fixed_slots.reset(token)


sections = SectionRegistry()
