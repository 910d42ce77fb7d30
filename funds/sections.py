from django.utils.translation import gettext_lazy as _

from districts.registry import Figure, Section
from funds.models import EconomyFigures

ECONOMY_SECTION = Section(
    key="economy",
    label=_("研发投入与产值"),
    model=EconomyFigures,
    order=20,
    figures=(
        Figure("economy.rd_spending", "rd_spending", "flow", "万元"),
        Figure("economy.industrial_output", "industrial_output", "flow", "万元"),
        Figure("economy.zone_output", "zone_output", "flow", "万元", zone_only=True),
        Figure("economy.gdp", "gdp", "flow", "万元"),
    ),
)
