"""A synthetic registry whose counts at given days match given figures, for the demo (41 units) and the benchmarks
(2,850 units).

`build(targets, ...)` walks the checkpoints (the days whose counts must match, oldest first) and, at each, for
each kind of the chain below listing: revokes a few certificates, then issues or revokes until every unit's count
of enterprises holding the status that day (`StatusRecord.objects.held_at`) is the target. New holders are, in
order: holders whose status ended since the last checkpoint and renew (most do), enterprises one tier below in
the chain, and new enterprises. Tech-based registrations last the calendar year, certificates as long as the
validity rules say (three years for high-tech), so lapses and renewals show. A few enterprises move to another
unit of their group on `moved_on`; a few were renamed; a few get a listing or a place in the reserve pool.

Rows are plain tuples with their primary keys, written by `write` through `portal.bulk.load`.
"""
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from enterprises.choices import StatusKind, ValidityRule
from enterprises.credit_codes import synthetic
from enterprises.models import Enterprise, Registration, StatusRecord
from enterprises.signals import registry_changed
from portal.bulk import load

MATCHED = (StatusKind.TECH_SME, StatusKind.HIGH_TECH, StatusKind.SPECIALISED, StatusKind.LITTLE_GIANT)
RENEWS = {StatusKind.TECH_SME: 0.88, StatusKind.HIGH_TECH: 0.72, StatusKind.SPECIALISED: 0.8,
          StatusKind.LITTLE_GIANT: 0.85}
REVOKED_A_YEAR = 0.01  # of the certificates held (registrations are not revoked)
REVOKED_BECAUSE = ("复核不符合认定条件", "存在弄虚作假行为", "发生重大安全、质量事故")
MOVES = 0.01  # of the enterprises new before `moved_on`
RENAMED = 0.02
LISTING_RESERVE, LISTED = 0.05, 0.01  # of the little giants and specialised enterprises at the last checkpoint
PREFIXES = ("重庆", "渝州", "巴渝", "山城", "西部", "长江", "嘉陵", "三峡", "武陵", "巴蜀")
WORDS = ("智创", "华睿", "博联", "科润", "渝芯", "汇通", "瑞鑫", "金凤", "明月", "天宇", "恒达", "联合", "中科", "星辰",
         "云图", "鼎盛", "新锐", "宏图", "卓越", "远航", "精工", "聚能", "光华", "正信", "佳禾", "润泽", "立达", "凯盛",
         "百川", "泰和", "德润", "安捷", "领航", "汉光", "翼龙", "致远", "博奥", "盛世", "融创", "天润", "东方", "海川",
         "弘毅", "银河", "同创", "思源", "锦程", "华信", "优思", "睿达", "嘉禾", "蓝海", "麒麟", "易联", "万通", "方舟",
         "启明", "青松", "宏远", "九鼎")
TRADES = (("C3911", "电子科技"), ("C3670", "汽车零部件"), ("I6513", "软件"), ("C2720", "生物医药"),
          ("M7320", "检测技术"), ("C3841", "新能源"), ("C4011", "智能仪器"), ("A0412", "农业科技"),
          ("C3484", "机械制造"), ("C2929", "新材料"), ("I6450", "信息技术"), ("M7484", "工程技术"),
          ("C3562", "医疗器械"), ("C3874", "光电科技"), ("N7721", "环保科技"), ("C3990", "智能装备"))
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")
NAMES = len(PREFIXES) * len(WORDS) * (len(WORDS) - 1) * len(TRADES) * len(SUFFIXES)
NAME_STEP = 7_919  # coprime to NAMES: consecutive enterprises get unlike names


def name(serial: int) -> str:
    """A distinct plausible company name for each serial below NAMES."""
    n = serial * NAME_STEP % NAMES
    n, suffix = divmod(n, len(SUFFIXES))
    n, trade = divmod(n, len(TRADES))
    n, second = divmod(n, len(WORDS) - 1)
    prefix, first = divmod(n, len(WORDS))
    second = (first + 1 + second) % len(WORDS)
    return f"{PREFIXES[prefix]}{WORDS[first]}{WORDS[second]}{TRADES[trade][1]}{SUFFIXES[suffix]}"


@dataclass
class Firm:
    unit: int  # where it was registered from its founding
    founded: datetime.date
    moved: tuple[datetime.date, int] | None = None  # (day, unit) it moved to

    def unit_on(self, day: datetime.date) -> int:
        return self.moved[1] if self.moved and day >= self.moved[0] else self.unit


@dataclass
class Record:
    firm: int
    kind: str
    issued: datetime.date
    valid_until: datetime.date | None
    revoked: datetime.date | None = None
    reason: str = ""

    def held_on(self, day: datetime.date) -> bool:
        return (self.issued <= day and (self.valid_until is None or self.valid_until >= day)
                and (self.revoked is None or self.revoked > day))


@dataclass
class Registry:
    firms: list[Firm] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


class Builder:
    def __init__(self, *, rules: dict, neighbours: dict[int, list[int]], moved_on: datetime.date, seed: int):
        self.rng, self.rules, self.neighbours, self.moved_on = random.Random(seed), rules, neighbours, moved_on
        self.registry = Registry()
        self.latest: dict[str, dict[int, Record]] = {kind: {} for kind in MATCHED}  # kind -> firm -> last record

    def build(self, targets: dict[datetime.date, dict[int, dict[str, int]]]) -> Registry:
        previous, holders = None, {}
        for day in sorted(targets):
            holders, below = {}, {}
            for kind in MATCHED:
                start = previous + datetime.timedelta(days=1) if previous else self.first_start(kind, day)
                wanted = {unit: counts.get(kind, 0) for unit, counts in targets[day].items()}
                below = holders[kind] = self.match(kind, start, day, wanted, below)
            previous = day
        self.list_some(holders, previous)
        return self.registry

    def first_start(self, kind, day: datetime.date) -> datetime.date:
        """The first issue day of a record still held on `day`: the holders of the first checkpoint got theirs
        over the years before, so that they do not all lapse together."""
        rule = self.rules[kind]
        if rule.rule == ValidityRule.YEARS:  # checkpoints are quarter ends, never 29 February
            return day.replace(year=day.year - rule.years) + datetime.timedelta(days=1)
        return day.replace(month=1, day=1)

    def match(self, kind, start, day, wanted: dict[int, int], below: dict[int, list[int]]) -> dict[int, list[int]]:
        """Issue and revoke records of `kind` between `start` and `day` until each unit has `wanted` holders on
        `day`; the holders per unit."""
        rng, firms, latest = self.rng, self.registry.firms, self.latest[kind]
        held, ended = defaultdict(list), defaultdict(list)
        for index, record in latest.items():
            unit = firms[index].unit_on(day)
            if not record.held_on(day):
                if record.revoked is None and record.valid_until and record.valid_until >= start - datetime.timedelta(
                        days=1):
                    ended[unit].append(index)
                continue
            if kind != StatusKind.TECH_SME and rng.random() < REVOKED_A_YEAR:
                self.revoke(record, start, day)
                continue
            held[unit].append(index)
        for unit in set(wanted) | set(held):
            have, want = held[unit], wanted.get(unit, 0)
            if len(have) > want:
                rng.shuffle(have)
                for index in have[want:]:
                    self.revoke(latest[index], start, day)
                del have[want:]
                continue
            holding = set(have)
            renewing = [i for i in ended[unit] if rng.random() < RENEWS[kind]]
            climbing = [i for i in below.get(unit, ()) if i not in holding and i not in latest]
            rng.shuffle(climbing)
            for index in self.candidates(unit, want - len(have), renewing, climbing, start, day):
                self.issue(kind, index, start, day, renewal=latest.get(index))
                have.append(index)
        return held

    def candidates(self, unit, needed, renewing, climbing, start, day):
        chosen = []
        for index in (*renewing, *climbing):
            if len(chosen) == needed:
                return chosen
            chosen.append(index)
        while len(chosen) < needed:
            chosen.append(self.new_firm(unit, start, day))
        return chosen

    def new_firm(self, unit: int, start: datetime.date, day: datetime.date) -> int:
        """An enterprise founded before `start`, in `unit` on `day` (it may move after)."""
        rng = self.rng
        founded = start - datetime.timedelta(days=rng.randint(30, 15 * 365))
        firm = Firm(unit=unit, founded=founded)
        if day < self.moved_on and self.neighbours.get(unit) and rng.random() < MOVES:
            firm.moved = (self.moved_on, rng.choice(self.neighbours[unit]))
        self.registry.firms.append(firm)
        return len(self.registry.firms) - 1

    def issue(self, kind, index, start, day, renewal: Record | None):
        """A record issued between `start` and `day` (a renewal the day after the old one ends, or later)."""
        earliest = max(start, renewal.valid_until + datetime.timedelta(days=1)) if renewal else start
        issued = earliest + datetime.timedelta(days=int(self.rng.random() * ((day - earliest).days + 1)))
        record = Record(firm=index, kind=kind, issued=issued, valid_until=self.rules[kind].valid_until(issued))
        self.registry.records.append(record)
        self.latest[kind][index] = record

    def revoke(self, record: Record, start, day):
        record.revoked = start + datetime.timedelta(days=self.rng.randint(0, (day - start).days))
        record.revoked = max(record.revoked, record.issued)
        record.reason = self.rng.choice(REVOKED_BECAUSE)

    def list_some(self, holders, day):
        """A few of the specialised enterprises and little giants listed or in the reserve pool (both open)."""
        rng = self.rng
        tiers = [*holders[StatusKind.SPECIALISED].values(), *holders[StatusKind.LITTLE_GIANT].values()]
        for index in sorted({index for indexes in tiers for index in indexes}):
            for kind, share in ((StatusKind.LISTING_RESERVE, LISTING_RESERVE), (StatusKind.LISTED, LISTED)):
                if rng.random() < share:
                    issued = max(day - datetime.timedelta(days=rng.randint(0, 3 * 365)),
                                 self.registry.firms[index].founded)
                    self.registry.records.append(Record(firm=index, kind=kind, issued=issued, valid_until=None))


def build(targets, *, rules, neighbours, moved_on, seed) -> Registry:
    """`targets`: {day: {unit id: {kind: holders that day}}} for the kinds of MATCHED; `rules`: {kind:
    StatusValidity}; `neighbours`: {unit id: units it may move to}."""
    return Builder(rules=rules, neighbours=neighbours, moved_on=moved_on, seed=seed).build(targets)


def write(registry: Registry, *, regions: dict[int, str]) -> dict[int, int]:
    """Load the registry (after whatever the tables hold); {firm index: enterprise id}. `regions`: the 6-digit
    region code of each unit's credit codes."""
    first = (Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    serial = Enterprise.objects.count()
    enterprises, registrations, rng = [], [], random.Random(len(registry.firms))
    for index, firm in enumerate(registry.firms):
        pk, current = first + index, firm.unit_on(datetime.date.max)
        earlier = [name(NAMES - 1 - serial - index)] if rng.random() < RENAMED else []
        enterprises.append((pk, synthetic(regions[firm.unit], serial + index + 1), name(serial + index), earlier,
                            TRADES[(serial + index) % len(TRADES)][0], firm.founded, current))
        if firm.moved:
            registrations.append((pk, firm.unit, firm.founded, firm.moved[0] - datetime.timedelta(days=1)))
            registrations.append((pk, firm.moved[1], firm.moved[0], None))
        else:
            registrations.append((pk, firm.unit, firm.founded, None))
    load(Enterprise, ("id", "credit_code", "name", "earlier_names", "industry", "founded", "unit_id"), enterprises)
    load(Registration, ("enterprise_id", "unit_id", "since", "until"), registrations)
    serials = defaultdict(int)
    records = []
    for record in registry.records:
        serials[record.kind, record.issued.year] += 1
        records.append((first + record.firm, record.kind, number(record, serials[record.kind, record.issued.year]),
                        record.issued, record.valid_until, record.revoked, record.reason))
    load(StatusRecord, ("enterprise_id", "kind", "number", "issued", "valid_until", "revoked", "revoked_reason"),
         records)
    registry_changed.send(sender=StatusRecord)
    return {index: first + index for index in range(len(registry.firms))}


def number(record: Record, serial: int) -> str:
    """GR + year + 50 + serial for high-tech certificates (as printed on them), a registration number otherwise."""
    year = record.issued.year
    if record.kind == StatusKind.HIGH_TECH:
        return f"GR{year}50{serial:06d}"
    if record.kind == StatusKind.TECH_SME:
        return f"{year}50{serial:08d}"
    return f"渝{year}-{serial:05d}" if record.kind != StatusKind.LISTED else ""
