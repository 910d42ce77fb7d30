"""Demo enterprise counts (city totals as in DOMAIN.md, split over units that grow unevenly) and the registry behind
them: at every year end, and at the last quarter's end, each unit's registry count of tech-based, high-tech,
专精特新 and little-giant enterprises is its reported figure (`enterprises.synthetic`), with valid credit codes,
certificates issued over the years, lapses, renewals, revocations and moves."""
import datetime

from simple_history.utils import bulk_create_with_history

from enterprises import synthetic
from enterprises.choices import StatusKind
from enterprises.models import (
    CultivationEntry,
    CultivationNote,
    Enterprise,
    EnterpriseFigures,
    StatusValidity,
)
from portal.demo import CITY_STOCKS, SEED

MOVED_ON = datetime.date(2024, 7, 1)  # a few enterprises move to another unit of their group that day
REPORTED_KINDS = {"tech_smes": StatusKind.TECH_SME, "high_tech": StatusKind.HIGH_TECH,
                  "specialised_smes": StatusKind.SPECIALISED, "little_giants": StatusKind.LITTLE_GIANT}
CULTIVATED_PER_UNIT = 3
CULTIVATION_TARGETS = (StatusKind.HIGH_TECH, StatusKind.SPECIALISED, StatusKind.LITTLE_GIANT)
CULTIVATION_NOTES = ("已走访企业，了解研发投入情况", "指导准备高企认定申报材料", "已推荐参加科技金融对接会",
                     "协助申报市级研发平台")


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
    seed_registry(ctx, rows)


def checkpoints(ctx) -> list:
    """The quarters whose registry counts equal the reported figures: each year's end and the last quarter."""
    return [period for period in ctx.periods if period.quarter == 4 or period == ctx.periods[-1]]


def seed_registry(ctx, figures: list[EnterpriseFigures]):
    days = {period.pk: period.end_date for period in checkpoints(ctx)}
    targets = {day: {} for day in days.values()}
    for row in figures:
        if row.period_id in days:
            targets[days[row.period_id]][row.unit_id] = {kind: getattr(row, name) or 0
                                                         for name, kind in REPORTED_KINDS.items()}
    neighbours = {unit.pk: [other.pk for other in ctx.divisions if other.group_id == unit.group_id and other != unit]
                  for unit in ctx.units}
    rules = {rule.kind: rule for rule in StatusValidity.objects.all()}
    registry = synthetic.build(targets, rules=rules, neighbours=neighbours, moved_on=MOVED_ON, seed=SEED)
    synthetic.write(registry, regions={unit.pk: unit.code if unit.code.isdigit() else "500000" for unit in ctx.units})
    moved = sum(1 for firm in registry.firms if firm.moved)
    ctx.log(f"enterprises: {len(registry.firms)} on the registry ({moved} moved) with {len(registry.records)} "
            f"status records")
    seed_cultivation(ctx)


def seed_cultivation(ctx):
    """Each unit's cultivation list: up to three of its enterprises, a tier to reach by the end of next year, a note
    for the last quarter, now and then a recommendation into the listing reserve pool."""
    rng, last = ctx.rng, ctx.periods[-1]
    entries = []
    for unit in ctx.units:
        for firm in Enterprise.objects.filter(unit=unit).order_by("pk")[:CULTIVATED_PER_UNIT]:
            entries.append(CultivationEntry(
                unit=unit, enterprise=firm, target=rng.choice(CULTIVATION_TARGETS),
                due=datetime.date(last.end_date.year + 1, 12, 31),
                recommended=last.end_date if rng.random() < 0.2 else None))
    entries = bulk_create_with_history(entries, CultivationEntry, batch_size=500)
    notes = [CultivationNote(entry=entry, period=last, text=rng.choice(CULTIVATION_NOTES)) for entry in entries]
    bulk_create_with_history(notes, CultivationNote, batch_size=500)
    ctx.log(f"enterprises: {len(entries)} on the cultivation lists")
