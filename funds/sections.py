from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from districts.registry import Figure, Row, Section
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow

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


def fund_rows():
    return [Row(fund.code, fund.name, fund) for fund in Fund.objects.all()]


def allocation_hints(*, unit, period) -> dict[str, str]:
    """Beside each fund's money received: what the bureau allocated to the unit this year."""
    allocations = FundAllocation.objects.filter(unit=unit, year=period.year).select_related("fund")
    return {
        f"fundflow.{a.fund.code}.received": gettext("本年下达 %(amount)s 万元") % {"amount": f"{a.allocated:,}"}
        for a in allocations
    }


# One row per fund; value keys are "fundflow.<fund code>.received" and "fundflow.<fund code>.disbursed".
FUND_FLOW_SECTION = Section(
    key="fundflow",
    label=_("资金到位与支出"),
    model=FundFlow,
    order=30,
    figures=(
        Figure("fundflow.received", "received", "flow", "万元"),
        Figure("fundflow.disbursed", "disbursed", "flow", "万元"),
    ),
    rows=fund_rows,
    row_field="fund",
    row_code_lookup="fund__code",
    hints=allocation_hints,
)
