"""Demo enterprise counts (city totals as in DOMAIN.md, split over units that grow unevenly) and a small
synthetic registry: a sample of enterprises per unit, far fewer than the reported counts so `make run` stays fast,
with valid credit codes, certificates issued over the years, renewals, a revocation and moves."""
import datetime

from simple_history.utils import bulk_create_with_history

from enterprises.choices import StatusKind
from enterprises.credit_codes import synthetic
from enterprises.models import (
    CultivationEntry,
    CultivationNote,
    Enterprise,
    EnterpriseFigures,
    Registration,
    StatusRecord,
    StatusValidity,
)
from portal.demo import CITY_STOCKS

REGISTRY_SAMPLE = 600  # enterprises over the whole city, shared out by unit size
WORDS = ("智创", "华睿", "博联", "科润", "渝芯", "汇通", "瑞鑫", "巴渝", "山城", "长江", "嘉陵", "金凤", "明月",
         "天宇", "恒达")
TRADES = (("C3911", "电子科技"), ("C3670", "汽车零部件"), ("I6513", "软件"), ("C2720", "生物医药"),
          ("M7320", "检测技术"), ("C3841", "新能源"), ("C4011", "智能仪器"), ("A0412", "农业科技"))
MOVED_ON = datetime.date(2024, 7, 1)  # a few enterprises move to another unit of their group that day
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")
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
    seed_registry(ctx)


def seed_registry(ctx):
    rng, rules = ctx.rng, {rule.kind: rule for rule in StatusValidity.objects.all()}
    shares = ctx.shares(ctx.periods[-1])
    firms, origins, serial = [], {}, 0
    for unit in ctx.units:
        size = max(2, round(REGISTRY_SAMPLE * shares.get(unit.code, 0.01)))
        neighbours = [other for other in ctx.divisions if other.group_id == unit.group_id and other != unit]
        for _n in range(size):
            serial += 1
            industry, trade = rng.choice(TRADES)
            name = f"重庆{rng.choice(WORDS)}{rng.choice(WORDS)}{trade}{rng.choice(SUFFIXES)}"
            firm = Enterprise(credit_code=synthetic(unit.code if unit.code.isdigit() else "500000", serial),
                              name=name, unit=unit, industry=industry,
                              founded=datetime.date(rng.randint(2005, 2022), rng.randint(1, 12), rng.randint(1, 28)))
            if neighbours and rng.random() < 0.02:
                firm.unit = rng.choice(neighbours)
                origins[serial] = unit
            firms.append(firm)
    firms = bulk_create_with_history(firms, Enterprise, batch_size=500)
    registrations, records = [], []
    for serial, firm in enumerate(firms, start=1):
        if serial in origins:
            registrations += [
                Registration(enterprise=firm, unit=origins[serial], since=firm.founded,
                             until=MOVED_ON - datetime.timedelta(days=1)),
                Registration(enterprise=firm, unit=firm.unit, since=MOVED_ON),
            ]
        else:
            registrations.append(Registration(enterprise=firm, unit=firm.unit, since=firm.founded))
        records += _statuses(rng, rules, firm)
    bulk_create_with_history(registrations, Registration, batch_size=500)
    bulk_create_with_history(records, StatusRecord, batch_size=500)
    ctx.log(f"enterprises: {len(firms)} on the registry ({len(origins)} moved) with {len(records)} status records")
    seed_cultivation(ctx, firms)


def seed_cultivation(ctx, firms):
    """Each unit's cultivation list: up to three of its enterprises, a tier to reach by the end of next year, a note
    for the last quarter, now and then a recommendation into the listing reserve pool."""
    rng, last = ctx.rng, ctx.periods[-1]
    entries = []
    for unit in ctx.units:
        for firm in [firm for firm in firms if firm.unit_id == unit.pk][:CULTIVATED_PER_UNIT]:
            entries.append(CultivationEntry(
                unit=unit, enterprise=firm, target=rng.choice(CULTIVATION_TARGETS),
                due=datetime.date(last.end_date.year + 1, 12, 31),
                recommended=last.end_date if rng.random() < 0.2 else None))
    entries = bulk_create_with_history(entries, CultivationEntry, batch_size=500)
    notes = [CultivationNote(entry=entry, period=last, text=rng.choice(CULTIVATION_NOTES)) for entry in entries]
    bulk_create_with_history(notes, CultivationNote, batch_size=500)
    ctx.log(f"enterprises: {len(entries)} on the cultivation lists")


def _statuses(rng, rules, firm) -> list[StatusRecord]:
    """A firm's path up the chain: yearly tech-based registrations, maybe high-tech certificates renewed every
    three years (or let lapse), maybe 专精特新 and a little giant, rarely a listing; one in forty revoked."""
    records = []

    def give(kind, issued, number=""):
        record = StatusRecord(enterprise=firm, kind=kind, issued=issued, number=number,
                              valid_until=rules[kind].valid_until(issued) if kind in rules else None)
        records.append(record)
        return record

    start = max(firm.founded.year + 1, rng.randint(2018, 2024))
    for year in range(start, 2027):
        if rng.random() < 0.85:
            give(StatusKind.TECH_SME, datetime.date(year, rng.randint(3, 10), rng.randint(1, 28)),
                 f"{year}50{firm.pk:07d}")
    if rng.random() < 0.35:
        year = rng.randint(max(start, 2019), 2025)
        while year <= 2025:
            give(StatusKind.HIGH_TECH, datetime.date(year, rng.choice((10, 11, 12)), rng.randint(1, 28)),
                 f"GR{year}50{firm.pk:06d}")
            if rng.random() < 0.3:  # lets it lapse
                break
            year += 3
        if rng.random() < 0.025:
            last = records[-1]
            last.revoked, last.revoked_reason = last.issued + datetime.timedelta(days=400), "复核不符合认定条件"
    if rng.random() < 0.12:
        give(StatusKind.SPECIALISED, datetime.date(rng.randint(2021, 2025), 6, 30))
        if rng.random() < 0.15:
            give(StatusKind.LITTLE_GIANT, datetime.date(rng.randint(2022, 2025), 7, 15))
    if rng.random() < 0.03:
        give(StatusKind.LISTING_RESERVE, datetime.date(rng.randint(2022, 2025), 9, 1))
    if rng.random() < 0.008:
        give(StatusKind.LISTED, datetime.date(rng.randint(2020, 2025), 5, 20))
    return records
