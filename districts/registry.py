"""The registry of quarterly sections: each figures app tells districts what it collects.

Figures apps register a `Section` from their `AppConfig.ready()`, the way models register with the
admin. The quarter page, the Excel template, the submission check and the indicators read the
registry, so districts never imports a figures app and adding a figure is one change in one app.
"""
from dataclasses import dataclass
from typing import Literal

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


@dataclass
class Section:
    """What a figures app collects each quarter, and how."""

    key: str
    label: str
    model: type
    figures: tuple[Figure, ...]
    order: int = 100

    def figure(self, field_name: str) -> Figure:
        return next(f for f in self.figures if f.field == field_name)

    def verbose_name(self, figure: Figure) -> str:
        return str(self.model._meta.get_field(figure.field).verbose_name)


class AlreadyRegistered(Exception):
    pass


class SectionRegistry:
    def __init__(self):
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> Section:
        if section.key in self._sections:
            raise AlreadyRegistered(f"section {section.key!r} is already registered")
        self._sections[section.key] = section
        return section

    def __iter__(self):
        return iter(sorted(self._sections.values(), key=lambda s: (s.order, s.key)))

    def __getitem__(self, key: str) -> Section:
        return self._sections[key]

    def figure(self, key: str) -> tuple[Section, Figure]:
        """A figure by its key, with the section it belongs to."""
        section_key, _, field_name = key.partition(".")
        section = self._sections[section_key]
        return section, section.figure(field_name)

    def figures(self):
        for section in self:
            for figure in section.figures:
                yield section, figure


sections = SectionRegistry()
