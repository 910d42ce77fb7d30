"""The demo registry is valid, shows what the registry is for (lapses, renewals, revocations, moves), and its counts
are the demo's reported figures at every year end and at the last quarter's end."""
import datetime
from collections import Counter

from districts.demo import demo_context
from enterprises import demo, synthetic
from enterprises.credit_codes import is_valid
from enterprises.demo import MOVED_ON, REPORTED_KINDS
from enterprises.models import (
    CultivationEntry,
    CultivationNote,
    Enterprise,
    EnterpriseFigures,
    Registration,
    StatusRecord,
    StatusValidity,
)


def holders_by_hand(day: datetime.date) -> Counter:
    """(unit id, kind) -> enterprises holding a status of the kind on `day`, in the unit they were registered in
    that day: a plain loop over every record and registration."""
    registrations = {}
    for enterprise, unit, since, until in Registration.objects.values_list("enterprise", "unit", "since", "until"):
        if (since is None or since <= day) and (until is None or until >= day):
            registrations[enterprise] = unit
    held = set()
    for enterprise, kind, issued, valid_until, revoked in StatusRecord.objects.values_list(
            "enterprise", "kind", "issued", "valid_until", "revoked").iterator(chunk_size=20_000):
        in_force = issued <= day and (valid_until is None or valid_until >= day) and (revoked is None or revoked > day)
        if in_force and enterprise in registrations:
            held.add((registrations[enterprise], kind, enterprise))
    return Counter((unit, kind) for unit, kind, _enterprise in held)


def test_the_registry_counts_are_the_reported_figures_at_each_year_end(chongqing):
    ctx = demo_context(lambda message: None)
    demo.seed(ctx)
    year_ends = [period for period in ctx.periods if period.quarter == 4] + [ctx.periods[-1]]
    assert [p.code for p in year_ends] == ["2021Q4", "2022Q4", "2023Q4", "2024Q4", "2025Q4", "2026Q3"]
    for period in year_ends:
        counted = holders_by_hand(period.end_date)
        for row in EnterpriseFigures.objects.filter(period=period):
            for name, kind in REPORTED_KINDS.items():
                assert counted[row.unit_id, kind] == getattr(row, name), (period.code, row.unit.code, kind)
    city = EnterpriseFigures.objects.filter(period__year=2025, period__quarter=4, unit__counts_toward_city_total=True)
    assert abs(sum(city.values_list("tech_smes", flat=True)) - 75600) < 0.02 * 75600

    # Valid and distinct codes; each enterprise registered today where its current unit says; movers were elsewhere.
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert all(is_valid(code) for code in codes) and len(set(codes)) == len(codes)
    current = dict(Registration.objects.filter(until__isnull=True).values_list("enterprise_id", "unit_id"))
    assert current == dict(Enterprise.objects.values_list("pk", "unit_id"))
    moved = Registration.objects.filter(until=MOVED_ON - datetime.timedelta(days=1))
    assert moved.exists() and all(r.unit_id != current[r.enterprise_id] for r in moved)
    # High-tech certificates last three years; some are renewed after they end, some lapse for good.
    high_tech = StatusRecord.objects.filter(kind="high_tech").order_by("enterprise", "issued")
    certificates = {}
    for enterprise, issued, valid_until in high_tech.values_list("enterprise", "issued", "valid_until"):
        assert (issued.month, issued.day) == (2, 29) \
            or valid_until == datetime.date(issued.year + 3, issued.month, issued.day) - datetime.timedelta(days=1)
        certificates.setdefault(enterprise, []).append((issued, valid_until))
    renewed = [later for held in certificates.values() for (_, ended), (later, _) in zip(held, held[1:], strict=False)
               if later > ended]
    lapsed = [held[-1] for held in certificates.values() if held[-1][1] < datetime.date(2025, 12, 31)]
    assert len(renewed) > 1000 and len(lapsed) > 100
    assert high_tech.filter(revoked__isnull=False).exclude(revoked_reason="").exists()
    assert {"listed", "listing_reserve"} <= set(StatusRecord.objects.values_list("kind", flat=True).distinct())


def test_the_demo_gives_each_unit_a_cultivation_list_of_its_own_enterprises(chongqing):
    ctx = demo_context(lambda message: None)
    few = {ctx.periods[-1].end_date: {unit.pk: dict.fromkeys(REPORTED_KINDS.values(), 4) for unit in ctx.units}}
    rules = {rule.kind: rule for rule in StatusValidity.objects.all()}
    synthetic.write(synthetic.build(few, rules=rules, neighbours={}, moved_on=MOVED_ON, seed=1),
                    regions={unit.pk: "500000" for unit in ctx.units})
    demo.seed_cultivation(ctx)
    entries = CultivationEntry.objects.select_related("enterprise")
    assert entries.exists() and all(entry.enterprise.unit_id == entry.unit_id for entry in entries)
    assert entries.filter(recommended__isnull=False).exists()
    assert CultivationNote.objects.count() == entries.count()
