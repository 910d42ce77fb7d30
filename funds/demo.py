"""Demo R&D spending, output, GDP and fund money, year to date, in 万元."""
from simple_history.utils import bulk_create_with_history

from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow
from portal.demo import CITY_FLOWS, ZONE_HOSTS, ZONE_SHARE, money

# Industry gathers where the high-tech zones are: a district with a zone, and 重庆高新区's hosts (whose share
# 重庆高新区's own output is), weigh this much more in the split of the city's industrial output.
INDUSTRY_WEIGHT = 2.4
GAOXIN_HOST_WEIGHT = 2.0
# The part of a unit's industrial output inside its high-tech zone, before every zone is scaled alike so that the
# city's share follows ZONE_SHARE: from about half in 2021 to three quarters by 2026, always under the unit's own
# output (the zone output rule in funds/sections.py).
ZONE_PART = {"CQGX": 0.6, "500120": 0.6, "500153": 0.55, "500118": 0.6}
OTHER_ZONE_PART = 0.5


def industry_weights(ctx) -> dict:
    hosts = set(ZONE_HOSTS["CQGX"][0])
    zoned = {u.code for u in ctx.units if u.has_high_tech_zone}
    return {code: weight * (INDUSTRY_WEIGHT if code in zoned else GAOXIN_HOST_WEIGHT if code in hosts else 1)
            for code, weight in ctx.weight.items()}


def seed(ctx):
    economy = []
    zone_units = [u for u in ctx.units if u.has_high_tech_zone]
    industry_weight = industry_weights(ctx)
    for period in ctx.periods:
        values = {name: ctx.split(ctx.city_flow(series, period), period,
                                  industry_weight if name == "industrial_output" else None)
                  for name, series in CITY_FLOWS.items()}
        industry = values["industrial_output"]
        parts = {u.code: ZONE_PART.get(u.code, OTHER_ZONE_PART) * ctx.noise(0.05) * industry[u.code]
                 for u in zone_units}
        scale = ZONE_SHARE[period.year] * sum(industry[u.code] for u in ctx.divisions) / sum(parts.values())
        for unit in ctx.units:
            zone_output = parts[unit.code] * scale if unit.has_high_tech_zone else None
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
