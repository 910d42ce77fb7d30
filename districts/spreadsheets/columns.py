"""The columns of the quarterly sheet, built from the section registry, and how headers are recognised.

A header is matched after NFKC (so full-width brackets and digits count), without spaces or quotes,
and with its trailing unit in brackets read apart: "全社会研发经费投入（元）" is the R&D figure in
元, converted to 万元 on import. The template is written in the user's language, so a header is
recognised in every language of the portal, whichever language the import runs in (a Celery worker
runs in the default one).
"""
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from districts.registry import Slot, sections
from districts.spreadsheets.normalise import clean_text

CODE_HEADERS = {"单位代码", "代码", "区县代码", "行政区划代码"}
NAME_HEADERS = {"单位名称", "名称", "区县", "区县名称", "单位"}
PERIOD_HEADERS = {"季度", "填报期", "报告期"}
SCALES = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}  # in 元

# The template's own headers (districts/spreadsheets/template.py), recognised in every language too.
TEMPLATE_HEADERS = {"code": "单位代码", "name": "单位名称", "period": "季度"}

_TRAILING_MEASURE = re.compile(r"^(?P<base>.*)\((?P<measure>[^()]*)\)$")
_QUOTES = re.compile(r"[\"'“”‘’「」]")


@dataclass(frozen=True)
class FigureColumn:
    """A column of the sheet: one value a unit reports (a registry slot, e.g. one fund's disbursement)."""

    slot: Slot

    @property
    def key(self) -> str:
        return self.slot.key

    @property
    def figure(self):
        return self.slot.figure

    @property
    def label(self) -> str:
        return self.slot.label

    @property
    def header(self) -> str:
        """The template's header: the Chinese label with its unit, e.g. 科技型企业（入库数）（家）."""
        label = self.label
        suffix = f"（{self.figure.unit_label}）"
        return label if label.endswith(suffix) else label + suffix


def figure_columns() -> list[FigureColumn]:
    return [FigureColumn(slot) for slot in sections.slots()]


def _split_measure(header, measures) -> tuple[str, str]:
    """("科技型企业(入库数)", "家") from "科技型企业（入库数）（家）"; only a unit of measure is split off."""
    text = _QUOTES.sub("", clean_text(header))
    match = _TRAILING_MEASURE.match(text)
    if match and (match["measure"] in measures or match["measure"].endswith("元")):
        return match["base"], match["measure"]
    return text, ""


@dataclass(frozen=True)
class HeaderMatch:
    """What a header cell means: the unit code, name or period column, or a figure with its scale."""

    role: str  # "code", "name", "period" or "figure"
    column: FigureColumn | None = None
    divisor: Decimal = Decimal(1)  # the cell's value divided by this is in the figure's own unit


class UnknownUnitOfMeasure(ValueError):
    pass


def in_every_language(text) -> list[str]:
    """`text()` evaluated in each language of the portal, e.g. ["单位代码", "Unit code"] for _("单位代码")."""
    results = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            results.append(text())
    return results


def match_header(header, columns: list[FigureColumn]) -> HeaderMatch | None:
    text = clean_text(header)
    if text in CODE_HEADERS:
        return HeaderMatch("code")
    if text in NAME_HEADERS:
        return HeaderMatch("name")
    if text in PERIOD_HEADERS:
        return HeaderMatch("period")
    for role, source in TEMPLATE_HEADERS.items():
        names = in_every_language(lambda source=source: clean_text(_(source)).casefold())
        if text.casefold() in names:
            return HeaderMatch(role)
    for column in columns:
        own = column.figure.unit_label
        measures = set(SCALES) | {own}
        base, unit = _split_measure(header, measures)
        labels = in_every_language(lambda column=column, measures=measures: _split_measure(column.label, measures)[0])
        if base not in labels:
            continue
        if unit in ("", own):
            return HeaderMatch("figure", column)
        if own in SCALES and unit in SCALES:
            return HeaderMatch("figure", column, SCALES[own] / SCALES[unit])
        raise UnknownUnitOfMeasure(
            _("表头“%(header)s”的单位“%(unit)s”不适用于该指标：应为（%(own)s）")
            % {"header": str(header).strip(), "unit": unit, "own": own}
        )
    return None
