"""Deterministic demo data, shaped like Chongqing's real city totals (DOMAIN.md, "Real figures").

Each app that has figures ships `<app>/demo.py` with `seed(ctx)`; the `seed_demo` command builds
one `DemoContext` and calls them in INSTALLED_APPS order, so the numbers of every app agree on
which units are large, which grow fast and which lag.
"""
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from portal.app_modules import app_modules

SEED = 20221104  # the date the guidance was issued

# City year-end anchors (DOMAIN.md); quarters in between are interpolated geometrically.
CITY_STOCKS = {
    "tech_smes": {2021: 36900, 2022: 42989, 2023: 52500, 2024: 64000, 2025: 75600, 2026: 84000},
    "high_tech": {2021: 5108, 2022: 6348, 2023: 7565, 2024: 8520, 2025: 9123, 2026: 9700},
    "specialised_smes": {2021: 1371, 2022: 2025, 2023: 2800, 2024: 3560, 2025: 4200, 2026: 4700},
    "little_giants": {2021: 119, 2022: 255, 2023: 283, 2024: 330, 2025: 380, 2026: 420},
}
# Annual flows, 万元 (R&D: 603.8 亿元 in 2021, 686.6 in 2022, over 800 in 2025).
CITY_FLOWS = {
    "rd_spending": {2021: 6038000, 2022: 6866000, 2023: 7466000, 2024: 8010000, 2025: 8620000, 2026: 9250000},
    "gdp": {2021: 278940000, 2022: 291290000, 2023: 301460000, 2024: 321930000, 2025: 335000000, 2026: 350000000},
    "industrial_output": {2021: 260000000, 2022: 272000000, 2023: 281000000, 2024: 297000000, 2025: 312000000,
                          2026: 328000000},
}
ZONE_SHARE = {2021: 0.24, 2022: 0.255, 2023: 0.272, 2024: 0.29, 2025: 0.306, 2026: 0.312}
YEAR_TO_DATE = {1: 0.21, 2: 0.46, 3: 0.71, 4: 1.0}
GROUP_WEIGHT = {"central": 5.0, "new-urban": 2.6, "northeast": 0.55, "southeast": 0.3, "zones": 0}
# Functional zones overlap their hosts: their figures are a share of the hosts' (never added to the city).
ZONE_HOSTS = {"CQLJ": (("500105", "500112", "500109"), 0.32), "CQGX": (("500106", "500107"), 0.38),
              "CQWS": (("500110",), 0.18)}
FIRST, LAST = (2021, 4), (2026, 3)


@dataclass
class DemoContext:
    rng: random.Random
    periods: list
    units: list
    weight: dict = field(default_factory=dict)  # unit code -> size at the start
    drift: dict = field(default_factory=dict)  # unit code -> yearly change of its share (laggards < 0)
    log: callable = print

    @property
    def divisions(self):
        return [u for u in self.units if u.counts_toward_city_total]

    @staticmethod
    def city_stock(series: dict, period) -> float:
        """A city stock at quarter end, interpolated geometrically between year ends."""
        if period.quarter == 4:
            return series[period.year]
        previous, current = series[period.year - 1], series[period.year]
        return previous * (current / previous) ** (period.quarter / 4)

    @staticmethod
    def city_flow(series: dict, period) -> float:
        """A city flow, year to date at quarter end."""
        return series[period.year] * YEAR_TO_DATE[period.quarter]

    def shares(self, period, weights: dict | None = None) -> dict:
        """Each division's share of the city at a period: its size drifting by its own growth."""
        years = (period.ordinal - self.periods[0].ordinal) / 4
        weights = weights or self.weight
        raw = {u.code: weights[u.code] * math.exp(self.drift[u.code] * years) for u in self.divisions}
        total = sum(raw.values())
        return {code: value / total for code, value in raw.items()}

    def noise(self, spread: float = 0.015) -> float:
        return 1 + self.rng.uniform(-spread, spread)

    def split(self, city_total: float, period, weights: dict | None = None) -> dict:
        """City total split over the 38 divisions, and the zones' share of their hosts."""
        values = {code: city_total * share * self.noise() for code, share in self.shares(period, weights).items()}
        for zone, (hosts, share) in ZONE_HOSTS.items():
            values[zone] = sum(values[h] for h in hosts) * share
        return values


def money(value: float) -> Decimal:
    return Decimal(round(value, 2)).quantize(Decimal("0.01"))


def build_context(log, *, periods: list, units: list) -> DemoContext:
    """The context of one demo: the quarters FIRST..LAST and every unit (with its group), in their order."""
    rng = random.Random(SEED)
    ctx = DemoContext(rng=rng, periods=periods, units=units, log=log)
    for unit in units:
        ctx.weight[unit.code] = GROUP_WEIGHT.get(unit.group.code, 1.0) * rng.lognormvariate(0, 0.45)
        ctx.drift[unit.code] = rng.uniform(-0.08, 0.09)
    return ctx


def demo_seeders():
    return ((label, module.seed) for label, module in app_modules("demo") if hasattr(module, "seed"))
