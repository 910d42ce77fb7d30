"""The registry's counts beside the figures units reported, for one quarter, and the lapse forecast, per unit a
user may see (a clerk: their own unit; municipal users: every unit and the city)."""
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from enterprises.choices import StatusKind
from enterprises.forecast import Forecast, forecast_at
from enterprises.models import EnterpriseFigures
from enterprises.selectors import REPORTED_FIELD, counts_at, holders_at, kept
from portal import roles


@dataclass
class Cell:
    reported: int | None  # None: not reported, or the quarter is not approved
    registry: int

    @property
    def difference(self) -> int | None:
        return None if self.reported is None else self.registry - self.reported


@dataclass
class Row:
    label: str
    cells: list[Cell]
    counted: bool = True
    missing: int = 0  # units whose quarter is not approved (city row only)
    forecast: Forecast | None = None
    chain: list[int] | None = None  # enterprises holding each status of the chain, in StatusKind's order


def comparison(*, user, period: Period, target: datetime.date, today: datetime.date) -> list[Row]:
    units = list(Unit.objects.restrict(user, "view").select_related("group"))
    end = period.end_date  # the stock at the quarter's end: statuses in force on its last day
    counts = counts_at(end, held=kept("holders", lambda: holders_at(end), end))
    approved = set(Submission.objects.filter(period=period, state=SubmissionState.APPROVED)
                   .values_list("unit_id", flat=True))
    reported = {row.unit_id: row for row in EnterpriseFigures.objects.filter(period=period, unit__in=units)}
    forecast = kept("forecast", lambda: forecast_at(target=target, today=today), target, today)
    rows = []
    for unit in units:
        figures = reported.get(unit.pk) if unit.pk in approved else None
        cells = [Cell(getattr(figures, field) if figures else None, counts.units.get(unit.pk, {}).get(kind, 0))
                 for kind, field in REPORTED_FIELD.items()]
        held = counts.units.get(unit.pk, {})
        rows.append(Row(unit.name, cells, unit.counts_toward_city_total, forecast=forecast.get(unit.pk),
                        chain=[held.get(kind, 0) for kind in StatusKind]))
    if roles.is_municipal(user) or roles.has_role(user, roles.API_CONSUMER):
        rows.append(_city_row(rows, counts.city, approved))
    return rows


def _city_row(rows: list[Row], city: dict[str, int], approved: set[int]) -> Row:
    """The city: registry counts over the units counted toward the total; the reported total only when every such
    unit's quarter is approved (otherwise how many are missing)."""
    counted = [row for row in rows if row.counted]
    missing = len(set(Unit.objects.counted().values_list("pk", flat=True)) - approved)
    cells = []
    for index, kind in enumerate(REPORTED_FIELD):
        values = [row.cells[index].reported for row in counted]
        total = None if missing or None in values else sum(values)
        cells.append(Cell(total, city.get(kind, 0)))
    forecasts = [row.forecast for row in counted if row.forecast]
    total = Forecast(today=sum(f.today for f in forecasts), none_renews=sum(f.none_renews for f in forecasts),
                     with_renewals=sum(f.with_renewals for f in forecasts), renewal_rate=None)
    return Row(_("全市（不含功能区）"), cells, missing=missing, forecast=total,
               chain=[city.get(kind, 0) for kind in StatusKind])
