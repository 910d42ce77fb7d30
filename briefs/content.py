"""What a quarterly brief says, read from the dashboard snapshot (never from the raw figures).

The brief shows what the overview shows for one plan and quarter: the headline cards, each target's
city trend up to the quarter, the map and ranking of the plan's first indicator, the units that moved
most in that ranking since the previous computed quarter, and the units at risk on any target.
"""
from dataclasses import dataclass, field

from districts.models import Period
from indicators import dashboards
from indicators.choices import Scope, Status
from indicators.dashboards import Card, Selection, Table
from indicators.models import IndicatorValue, Plan

MOVERS = 5  # risers and fallers shown each
RISK = (Status.OFF_TRACK, Status.AT_RISK)


@dataclass
class Mover:
    unit: str
    rank: int
    previous_rank: int

    @property
    def change(self) -> int:
        """Places gained (positive) or lost (negative)."""
        return self.previous_rank - self.rank


@dataclass
class BriefContent:
    plan: Plan
    period: Period
    previous: Period | None
    approved: int  # units with the quarter approved
    expected: int  # units that report that quarter (joined by then)
    not_approved: list[str]
    cards: list[Card]
    trends: list[Table]
    ranking: Table
    movers: list[Mover] = field(default_factory=list)
    at_risk: list[IndicatorValue] = field(default_factory=list)

    @property
    def indicator(self):
        """The indicator of the map, the ranking and the movers: the plan's first targeted one."""
        return self.cards[0].indicator if self.cards else None

    @property
    def complete(self) -> bool:
        return self.approved == self.expected

    @property
    def unit_targets(self) -> bool:
        """Whether units have targets on the indicator: the map then shows status, the ranking targets."""
        return any(row["status_code"] != Status.NO_DATA for row in self.ranking.rows)

    @property
    def value_range(self) -> tuple[float, float]:
        values = [row["value"] for row in self.ranking.rows if row["value"] is not None]
        return (min(values), max(values)) if values else (0, 0)


def brief_content(*, plan: Plan, period: Period) -> BriefContent:
    values = IndicatorValue.objects.all()  # a brief is for the bureau's leaders, who see every unit
    sel = Selection.from_query({"plan": plan.code, "period": period.code}, values)
    sel.period = period  # also a quarter without a city value yet (asked for on demand)
    approvals = dashboards.approvals(sel)
    cards = dashboards.cards(values, sel, approvals)
    trends = [_until(dashboards.trend_table(values, sel, card.indicator, scope=Scope.CITY), period)
              for card in cards]
    ranking = dashboards.units_table(values, sel)
    ranked = values.filter(plan=plan, indicator=sel.indicator, scope=Scope.UNIT, rank_all__isnull=False,
                           period__ordinal__lt=period.ordinal)
    previous = Period.objects.filter(pk__in=ranked.values("period")).order_by("-ordinal").first()
    return BriefContent(
        plan=plan, period=period, previous=previous,
        approved=approvals.approved, expected=approvals.expected,
        not_approved=[unit.name for unit in approvals.unapproved],
        cards=cards, trends=trends, ranking=ranking,
        movers=movers(values, sel, previous) if previous else [],
        at_risk=list(values.filter(plan=plan, period=period, scope=Scope.UNIT, target__isnull=False, status__in=RISK)
                     .select_related("unit", "indicator").order_by("unit__order", "indicator__order")),
    )


def _until(table: Table, period: Period) -> Table:
    """The trend up to the brief's quarter (quarter codes sort as text: 2025Q4 < 2026Q1)."""
    table.rows = [row for row in table.rows if row["period"] <= period.code]
    return table


def movers(values, sel: Selection, previous: Period) -> list[Mover]:
    """Units whose city-wide rank on the brief's indicator changed most since the previous quarter."""
    rows = values.filter(plan=sel.plan, indicator=sel.indicator, scope=Scope.UNIT, rank_all__isnull=False)
    before = dict(rows.filter(period=previous).values_list("unit", "rank_all"))
    moved = [Mover(row.unit.name, row.rank_all, before[row.unit_id])
             for row in rows.filter(period=sel.period).select_related("unit")
             if row.unit_id in before and before[row.unit_id] != row.rank_all]
    risers = sorted((m for m in moved if m.change > 0), key=lambda m: (-m.change, m.rank))[:MOVERS]
    fallers = sorted((m for m in moved if m.change < 0), key=lambda m: (m.change, m.rank))[:MOVERS]
    return risers + fallers
