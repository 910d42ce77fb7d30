from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from districts.registry import Figure, Row, Section
from districts.validation import ERROR, Problem, fmt
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow


def zone_output_within_industrial_output(*, section, unit, values) -> list[Problem]:
    """A unit's high-tech zone output is part of its own industrial output (重庆高新区: its zone is the unit)."""
    zone, industry = values.get("economy.zone_output"), values.get("economy.industrial_output")
    if zone is None or industry is None or zone <= industry:
        return []
    return [Problem("economy.zone_output", ERROR, "zone_over_industrial", gettext(
        "高新区工业总产值（%(zone)s 万元）超过本单位工业总产值（%(industry)s 万元）。"
        "高新区产值是本单位工业总产值的一部分，应不超过 %(industry)s 万元；请核对两项数字及单位（万元/元）。"
    ) % {"zone": fmt(zone), "industry": fmt(industry)})]


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
    rules=(zone_output_within_industrial_output,),
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
