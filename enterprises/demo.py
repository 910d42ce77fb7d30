"""Demo enterprise counts: city totals as in DOMAIN.md, split over units that grow unevenly."""
from simple_history.utils import bulk_create_with_history

from enterprises.models import EnterpriseFigures
from portal.demo import CITY_STOCKS


def seed(ctx):
    rows = []
    for period in ctx.periods:
        values = {name: ctx.split(ctx.city_stock(series, period), period) for name, series in CITY_STOCKS.items()}
        for unit in ctx.units:
            counts = {name: round(values[name][unit.code]) for name in CITY_STOCKS}
            counts["little_giants"] = min(counts["little_giants"], counts["specialised_smes"])
            rows.append(EnterpriseFigures(unit=unit, period=period, **counts))
    bulk_create_with_history(rows, EnterpriseFigures, batch_size=500)
    ctx.log(f"enterprises: {len(rows)} quarterly rows")
