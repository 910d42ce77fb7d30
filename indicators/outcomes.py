"""The outcome page's summary and filters: how many targets were met at a passed target quarter, by place,
and the outcome table narrowed to one region group or one indicator (the page and its download alike)."""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from districts.models import UnitGroup
from indicators.choices import Status
from indicators.dashboards import Table


@dataclass
class Tally:
    label: str
    met: int
    total: int


@dataclass
class OutcomeFilter:
    """`group`: a region group's code (its own targets and its units'); `indicator`: an indicator's code."""

    group: str = ""
    indicator: str = ""

    @classmethod
    def from_query(cls, query) -> "OutcomeFilter":
        return cls(group=query.get("group", ""), indicator=query.get("measure", ""))

    def keeps(self, row: dict) -> bool:
        return (not self.group or row["group_code"] == self.group) and (
            not self.indicator or row["indicator_code"] == self.indicator)

    def apply(self, table: Table) -> Table:
        return Table(table.title, table.columns, [row for row in table.rows if self.keeps(row)])


def summary(table: Table) -> list[Tally]:
    """Met n of m: all targets, the city's, each group's own, and the units' targets of each group."""
    def tally(label, rows):
        return Tally(label, sum(row["status_code"] == Status.ACHIEVED for row in rows), len(rows))

    result = [tally(_("全部目标"), table.rows)]
    city = [row for row in table.rows if row["scope"] == "city"]
    if city:
        result.append(tally(_("全市目标"), city))
    for group in UnitGroup.objects.order_by("order"):
        own = [row for row in table.rows if row["scope"] == "group" and row["group_code"] == group.code]
        units = [row for row in table.rows if row["scope"] not in ("city", "group") and row["group_code"] == group.code]
        if own:
            result.append(tally(_("%(group)s分组目标") % {"group": group.local_name}, own))
        if units:
            result.append(tally(_("%(group)s各区县") % {"group": group.local_name}, units))
    return result
