"""What the dashboard pages show, read from the snapshot rows (never from the raw figures).

Every chart is built from a `Table`, and the same table is what its .xlsx/CSV download holds, so a
download always matches the chart it sits under.
"""
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Case, Count, F, Q, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from districts.models import Period, Unit
from indicators.choices import Scope, Status
from indicators.computation import group_tree
from indicators.models import Indicator, IndicatorValue, Plan


@dataclass
class Table:
    title: str
    columns: list[tuple[str, str]]  # (key, heading)
    rows: list[dict] = field(default_factory=list)


@dataclass
class Selection:
    """The plan, quarter and indicator a page shows, from the query string, with the choices offered."""

    plans: list
    plan: Plan
    periods: list
    period: Period | None
    indicators: list
    indicator: Indicator
    latest_complete: Period | None = None  # the latest quarter every unit has had approved
    latest_approved: Period | None = None  # the latest quarter any unit has had approved

    @classmethod
    def from_query(cls, query, values) -> "Selection":
        plans = list(Plan.objects.select_related("baseline"))
        if not plans:
            raise Http404(_("尚未设置规划"))
        plan = next((p for p in plans if p.code == query.get("plan")), None)
        plan = plan or next((p for p in plans if p.active), plans[0])
        # Which quarters units have had approved, from one indicator's unit rows (a unit row "reports" once its
        # quarter is approved, whatever the indicator): counts only, the same for everyone who sees the page.
        unit_rows = IndicatorValue.objects.filter(plan=plan, indicator=Indicator.objects.first(), scope=Scope.UNIT,
                                                  units_expected__gt=0)
        approved = set(unit_rows.filter(units_reporting__gt=0).values_list("period", flat=True))
        incomplete = set(unit_rows.filter(units_reporting=0, unit__counts_toward_city_total=True)
                         .values_list("period", flat=True))
        shown = values.filter(plan=plan, scope=Scope.CITY, value__isnull=False).values_list("period", flat=True)
        periods = list(Period.objects.filter(pk__in=approved | set(shown)).order_by("-ordinal"))
        # By default the latest quarter every unit has had approved, so the city totals are whole.
        complete = next((p for p in periods if p.pk in approved and p.pk not in incomplete), None)
        latest_approved = next((p for p in periods if p.pk in approved), None)
        period = next((p for p in periods if p.code == query.get("period")),
                      complete or latest_approved or (periods[0] if periods else None))
        targeted = plan_indicators(plan)
        others = [i for i in Indicator.objects.all() if i not in targeted]
        indicators = targeted + others
        indicator = next((i for i in indicators if i.code == query.get("indicator")), indicators[0])
        return cls(plans, plan, periods, period, indicators, indicator, complete, latest_approved)

    def query(self, **changes) -> str:
        params = {"plan": self.plan.code, "period": self.period.code if self.period else "",
                  "indicator": self.indicator.code} | changes
        return urlencode({key: value for key, value in params.items() if value})


def plan_indicators(plan) -> list[Indicator]:
    ids = plan.targets.values("indicator")
    return list(Indicator.objects.filter(pk__in=ids))


STATUS_ORDER = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA]


@dataclass
class Card:
    """A target of the plan at the chosen quarter: the city's row, or how many units meet an each-unit target."""

    indicator: Indicator
    row: IndicatorValue | None
    outcomes: list = field(default_factory=list)  # rows at target quarters already passed
    unit_statuses: list = field(default_factory=list)  # (status label, css, count) for each-unit targets
    waiting: list = field(default_factory=list)  # the counted units whose quarter is not approved yet
    query: str = ""  # the overview with this card's indicator (its ranking lists the units the total sums)


@dataclass
class Approvals:
    """How far the chosen quarter is approved: every unit (zones too) and, per group and the city, the counted
    units their totals wait for."""

    approved: int
    expected: int
    waiting: dict  # group id (None: the city) -> [Unit] not approved yet
    unapproved: list = field(default_factory=list)  # every unit not approved yet, zones too

    def of(self, group_id=None) -> list:
        return self.waiting.get(group_id, [])


def approvals(sel: Selection) -> Approvals:
    """Read from the unit rows of the snapshot (a unit row "reports" once its quarter is approved). Counts and
    names only, so a district clerk, who sees their own unit's rows, sees the same as everyone."""
    rows = list(IndicatorValue.objects.filter(plan=sel.plan, indicator=sel.indicator, period=sel.period,
                                              scope=Scope.UNIT, units_expected__gt=0)
                .select_related("unit").order_by("unit__order"))
    unapproved = [r.unit for r in rows if not r.units_reporting]
    missing = [unit for unit in unapproved if unit.counts_toward_city_total]
    waiting = {None: missing}
    for group_id, covered in group_tree().items():
        waiting[group_id] = [unit for unit in missing if unit.group_id in covered]
    return Approvals(len(rows) - len(unapproved), len(rows), waiting, unapproved)


def latest_complete_period(plan: Plan) -> Period | None:
    """The latest quarter of the plan whose every expected unit is approved in the snapshot (the reading of
    `approvals`), so what is said complete is also what the snapshot shows."""
    quarters = (IndicatorValue.objects.filter(plan=plan, scope=Scope.UNIT, units_expected__gt=0)
                .values("period").annotate(waiting=Count("pk", filter=Q(units_reporting=0)))
                .filter(waiting=0).order_by("-period__ordinal").values_list("period", flat=True))
    latest = quarters.first()
    return None if latest is None else Period.objects.get(pk=latest)


def cards(values, sel: Selection, approved: Approvals) -> list[Card]:
    result = []
    for indicator in plan_indicators(sel.plan):
        targets = sel.plan.targets.filter(indicator=indicator)
        rows = values.filter(plan=sel.plan, indicator=indicator)
        city = rows.filter(scope=Scope.CITY, period=sel.period).select_related("target_period", "target")
        card = Card(indicator, city.first(), query=sel.query(indicator=indicator.code))
        if card.row and card.row.value is None:
            card.waiting = approved.of(None)
        passed = targets.filter(scope=Scope.CITY, period__ordinal__lte=sel.period.ordinal).values("period")
        card.outcomes = list(rows.filter(scope=Scope.CITY, period__in=passed).select_related("period"))
        if targets.filter(scope__in=[Scope.EACH_UNIT, Scope.UNIT]).exists():
            counts = dict(
                rows.filter(scope=Scope.UNIT, period=sel.period, target__isnull=False)
                .values_list("status").annotate(n=Count("pk"))
            )
            card.unit_statuses = [(Status(s).label, s, counts[s]) for s in STATUS_ORDER if counts.get(s)]
        result.append(card)
    return result


def number(value) -> float | None:
    return None if value is None else float(value)


def trend_table(values, sel: Selection, indicator, until: Period | None = None, **place) -> Table:
    """An indicator's quarters at one place; `until` ends it at a quarter (a unit's trend at the chosen one)."""
    rows = values.filter(plan=sel.plan, indicator=indicator, **place).select_related("period").order_by(
        "period__ordinal"
    )
    if until is not None:
        rows = rows.filter(period__ordinal__lte=until.ordinal)
    return Table(
        title=f"{indicator.local_name}（{indicator.unit_label}）",
        columns=[("period", _("季度")), ("value", _("数值")), ("expected_value", _("按计划路径应达")),
                 ("target_value", _("目标值")), ("progress", _("完成进度（%）")), ("status", _("状态"))],
        rows=[{"period": r.period.code, "value": number(r.value), "expected_value": number(r.expected_value),
               "target_value": number(r.target_value), "progress": number(r.progress),
               "status": r.get_status_display()} for r in rows],
    )


def units_table(values, sel: Selection) -> Table:
    rows = (
        values.filter(plan=sel.plan, indicator=sel.indicator, period=sel.period, scope=Scope.UNIT)
        .select_related("unit", "unit__group")
        # the ranked units, then those not approved (未审核), unranked, in the units' order
        .order_by(F("rank_all").asc(nulls_last=True), "-units_reporting", "unit__order")
    )
    return Table(
        title=f"{sel.indicator.local_name} · {sel.period} · {_('区县排名')}",
        columns=[("rank_all", _("全市排名")), ("code", _("代码")), ("unit", _("区县单位")), ("group", _("区域分组")),
                 ("value", _("数值")), ("target_value", _("目标/配额")), ("progress", _("完成进度（%）")),
                 ("status", _("状态")), ("rank_in_group", _("组内排名")), ("yoy_growth", _("同比增长（%）"))],
        rows=[{"rank_all": r.rank_all, "code": r.unit.code, "unit": r.unit.local_name, "group": r.unit.group.local_name,
               "value": number(r.value), "target_value": number(r.target_value), "progress": number(r.progress),
               "status": r.get_status_display(), "status_code": r.status, "rank_in_group": r.rank_in_group,
               "yoy_growth": number(r.yoy_growth), "counted": r.unit.counts_toward_city_total,
               "approved": r.units_reporting > 0, "source": source_url(r, sel.indicator, sel.period, r.unit)}
              for r in rows],
    )


def source_url(row: IndicatorValue, indicator: Indicator, period: Period, unit: Unit) -> str:
    """Where a unit's value came from: its approved quarter, with the approval and the figures' history, or for a
    registry count the registry page of the quarter (a platform count, or a reported value not approved, has none)."""
    if indicator.from_registry and row.value is not None:
        return f"{reverse('enterprises:overview')}?period={period.code}"
    if not (row.units_reporting and indicator.figure and row.value is not None):
        return ""
    return reverse("districts:quarter", args=[period.code, unit.code]) + "#events"


def groups_table(values, sel: Selection, approved: Approvals | None = None) -> Table:
    rows = (
        values.filter(plan=sel.plan, indicator=sel.indicator, period=sel.period, scope__in=[Scope.GROUP, Scope.CITY])
        .select_related("group").order_by("-scope", "group__order")
    )
    return Table(
        title=f"{sel.indicator.local_name} · {sel.period} · {_('一区两群对比')}",
        columns=[("name", _("范围")), ("value", _("数值")), ("target_value", _("目标值")),
                 ("progress", _("完成进度（%）")), ("status", _("状态")), ("reporting", _("已审核单位/应报单位"))],
        rows=[{"name": r.group.local_name if r.group else str(_("全市")), "scope": r.scope, "value": number(r.value),
               "target_value": number(r.target_value), "progress": number(r.progress),
               "status": r.get_status_display(), "reporting": f"{r.units_reporting}/{r.units_expected}",
               "group_id": r.group_id,
               "waiting": [u.name for u in approved.of(r.group_id)] if approved and r.value is None else []}
              for r in rows],
    )


def outcome_table(values, plan, target_period) -> Table:
    """Each unit's result at a passed target quarter: met or missed, and by how much."""
    rows = (
        values.filter(plan=plan, period=target_period, target_period=target_period, target__isnull=False)
        .select_related("indicator", "group", "unit__group")
        .annotate(place_order=Case(When(scope=Scope.CITY, then=0), When(scope=Scope.GROUP, then=1), default=2))
        .order_by("indicator__order", "place_order", "group__order", "unit__order")
    )
    return Table(
        title=f"{plan.local_name} · {target_period} {_('目标完成情况')}",
        columns=[("indicator", _("指标")), ("place", _("范围")), ("target_value", _("目标值")), ("value", _("实际值")),
                 ("met", _("是否完成")), ("gap", _("差额")), ("gap_percent", _("差额占目标（%）"))],
        rows=[{"indicator": r.indicator.local_name, "place": str(r.unit or r.group or _("全市")),
               "indicator_code": r.indicator.code, "scope": r.scope,
               "group_code": r.unit.group.code if r.unit else r.group.code if r.group else "",
               "target_value": number(r.target_value), "value": number(r.value),
               "met": met_label(r), "status_code": r.status, "gap": number(r.gap),
               "gap_percent": round(float(r.gap / r.target_value * 100), 2) if r.gap is not None and r.target_value
               else None}
              for r in rows],
    )


def met_label(row) -> str:
    if row.value is None:
        return str(_("无数据"))
    return str(_("已完成") if row.status == Status.ACHIEVED else _("未完成"))


def passed_milestones(plan, period) -> list[Period]:
    if period is None:
        return []
    return [p for p in plan.milestones() if p.ordinal <= period.ordinal]


def unit_for(user, code: str) -> Unit:
    """The unit of a unit page, only if the person may see it (404 otherwise, as for a unit that is not there)."""
    unit = Unit.objects.restrict(user, "view").filter(code=code).select_related("group").first()
    if unit is None:
        raise Http404(_("没有这个区县单位，或您无权查看"))
    return unit


def to_chart(table: Table, *keys: str) -> dict:
    """A table as chart series: {"period": [...], "value": [...], ...} for the keys asked."""
    return {key: [row.get(key) for row in table.rows] for key in keys}



@dataclass
class PlanOutcome:
    """How the city targets of a plan's passed target quarter came out, for a line beside another plan."""

    plan: Plan
    period: Period
    met: int
    total: int


def other_outcomes(values, sel: Selection) -> list[PlanOutcome]:
    result = []
    for plan in sel.plans:
        if plan == sel.plan:
            continue
        for milestone in passed_milestones(plan, sel.period):
            rows = values.filter(plan=plan, scope=Scope.CITY, period=milestone, target_period=milestone)
            total = rows.count()
            if total:
                result.append(PlanOutcome(plan, milestone, rows.filter(status=Status.ACHIEVED).count(), total))
    return result
