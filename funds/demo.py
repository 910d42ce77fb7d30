"""Demo R&D spending, output, GDP and fund money, year to date, in 万元."""
from simple_history.utils import bulk_create_with_history

from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow
from portal.demo import CITY_FLOWS, ZONE_SHARE, money

# Relative size of each unit's high-tech zone (重庆高新区 is by far the largest).
ZONE_WEIGHT = {"CQGX": 6.0, "500120": 1.6, "500153": 1.1, "500118": 1.4}


def seed(ctx):
    economy = []
    zone_units = [u for u in ctx.units if u.has_high_tech_zone]
    for period in ctx.periods:
        values = {name: ctx.split(ctx.city_flow(series, period), period) for name, series in CITY_FLOWS.items()}
        zone_total = ZONE_SHARE[period.year] * ctx.city_flow(CITY_FLOWS["industrial_output"], period)
        zone_weights = {u.code: ZONE_WEIGHT.get(u.code, 0.7) * ctx.noise(0.05) for u in zone_units}
        weight_sum = sum(zone_weights.values())
        for unit in ctx.units:
            zone_output = zone_total * zone_weights[unit.code] / weight_sum if unit.has_high_tech_zone else None
            economy.append(
                EconomyFigures(
                    unit=unit,
                    period=period,
                    rd_spending=money(values["rd_spending"][unit.code]),
                    industrial_output=money(values["industrial_output"][unit.code]),
                    zone_output=money(zone_output) if zone_output is not None else None,
                    gdp=money(values["gdp"][unit.code]),
                )
            )
    bulk_create_with_history(economy, EconomyFigures, batch_size=500)

    guidance_fund = Fund.objects.get(code="district-st-guidance-fund")
    credit = Fund.objects.get(code="knowledge-value-credit-loan")
    allocations, flows = [], []
    years = sorted({p.year for p in ctx.periods})
    for unit in ctx.units:
        for year in years:
            allocated = round(300 + 1200 * min(ctx.weight[unit.code], 3) / 3 * ctx.noise(0.2), -1)
            allocations.append(
                FundAllocation(fund=guidance_fund, unit=unit, year=year, allocated=money(allocated),
                               purpose="支持区县科技创新平台建设与科技型企业培育")
            )
            pace = ctx.rng.uniform(0.6, 1.0)  # laggards disburse less of what they received
            for period in (p for p in ctx.periods if p.year == year):
                share = period.quarter / 4
                flows.append(FundFlow(unit=unit, period=period, fund=guidance_fund,
                                      received=money(allocated * min(1, share + 0.25)),
                                      disbursed=money(allocated * share * pace)))
                loans = 2000 * ctx.weight[unit.code] * share * ctx.noise(0.1) * (1.12 ** (year - 2022))
                flows.append(FundFlow(unit=unit, period=period, fund=credit, received=None, disbursed=money(loans)))
    FundAllocation.objects.bulk_create(allocations)
    bulk_create_with_history(flows, FundFlow, batch_size=500)
    ctx.log(f"funds: {len(economy)} economy rows, {len(allocations)} allocations, {len(flows)} fund flows")
