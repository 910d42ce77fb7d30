"""The demo data: it passes the first plan and misses the second, keeps every zone within its units' output, and its
registry is valid, shows what the registry is for (lapses, renewals, revocations, moves) and counts the demo's
reported figures at every year end and at the last quarter's end.

`seed_demo` takes minutes at full scale, so it runs once for the module, in a transaction rolled back after it;
each test runs in its own savepoint inside it. Its foreign keys are checked once, right after it: a test's end
checks the deferred ones still pending, which would be the whole demo's for every test.
"""
import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, Sum
from django.test import override_settings

from districts.demo import demo_context
from districts.models import Period
from enterprises.chain import moved_up
from enterprises.choices import StatusKind
from enterprises.credit_codes import is_valid
from enterprises.demo import MOVED_ON, REPORTED_KINDS
from enterprises.models import Enterprise, EnterpriseFigures, Registration, StatusRecord
from funds.models import EconomyFigures
from indicators.models import Plan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The reference data and the demo, seeded once; what `seed_demo` printed."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference", stdout=io.StringIO())
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=out)
        connection.check_constraints()
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


@override_settings(DEBUG=True)
def test_demo_data_passes_the_first_plan_and_misses_the_second(demo):
    assert "yubei_staff" in demo and "demo12345" in demo

    def city(period_code, field):
        period = Period.objects.get_by_code(period_code)
        rows = EnterpriseFigures.objects.filter(period=period, unit__counts_toward_city_total=True)
        return rows.aggregate(total=Sum(field))["total"]

    first = Plan.objects.get(code="guidance-2022").targets.get(indicator__code="tech_smes", scope="city")
    second = Plan.objects.get(code="double-doubling-2027").targets.get(
        indicator__code="high_tech", scope="city", period__year=2025
    )
    assert city("2025Q4", "tech_smes") > first.value
    assert city("2025Q4", "high_tech") < second.value
    assert city("2021Q4", "tech_smes") < city("2025Q4", "tech_smes")
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert EnterpriseFigures.objects.filter(period__year=2025, period__quarter=4).count() == 41


def test_the_demo_data_keeps_every_zone_within_its_units_output_and_passes_the_30_percent_target(demo):
    rows = EconomyFigures.objects.filter(zone_output__isnull=False)
    assert rows.exists() and not rows.filter(zone_output__gt=F("industrial_output")).exists()

    def city_share(code):
        period = Period.objects.get_by_code(code)
        zones = rows.filter(period=period).aggregate(v=Sum("zone_output"))["v"]
        industry = EconomyFigures.objects.filter(period=period, unit__counts_toward_city_total=True).aggregate(
            v=Sum("industrial_output"))["v"]
        return zones / industry * 100

    assert city_share("2021Q4") < 30 < city_share("2025Q4")


def holders_by_hand(days: list[datetime.date]) -> dict[datetime.date, Counter]:
    """For each day: (unit id, kind) -> enterprises holding a status of the kind that day, in the unit they were
    registered in that day: plain loops over every record and registration (each read once for all the days)."""
    registered = {day: {} for day in days}
    for enterprise, unit, since, until in Registration.objects.values_list("enterprise", "unit", "since", "until"):
        for day in days:
            if (since is None or since <= day) and (until is None or until >= day):
                registered[day][enterprise] = unit
    held = set()
    for enterprise, kind, issued, valid_until, revoked in StatusRecord.objects.values_list(
            "enterprise", "kind", "issued", "valid_until", "revoked").iterator(chunk_size=20_000):
        for day in days:
            in_force = issued <= day and (valid_until is None or valid_until >= day) and (
                revoked is None or revoked > day)
            if in_force and enterprise in registered[day]:
                held.add((day, registered[day][enterprise], kind, enterprise))
    counted = {day: Counter() for day in days}
    for day, unit, kind, _enterprise in held:
        counted[day][unit, kind] += 1
    return counted


def test_the_registry_counts_are_the_reported_figures_at_each_year_end(demo):
    ctx = demo_context(lambda message: None)
    year_ends = [period for period in ctx.periods if period.quarter == 4] + [ctx.periods[-1]]
    assert [p.code for p in year_ends] == ["2021Q4", "2022Q4", "2023Q4", "2024Q4", "2025Q4", "2026Q3"]
    counted = holders_by_hand([period.end_date for period in year_ends])
    for period in year_ends:
        for row in EnterpriseFigures.objects.filter(period=period):
            for name, kind in REPORTED_KINDS.items():
                assert counted[period.end_date][row.unit_id, kind] == getattr(row, name), (
                    period.code, row.unit.code, kind)
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


def test_the_planner_knows_how_many_status_records_the_demo_holds(demo):
    """Seeding ends by gathering the planner's statistics: without them SQLite looked the records up by kind and issue
    day where the enterprise's index serves, and the registry page took minutes on the demo data."""
    records = StatusRecord.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [StatusRecord._meta.db_table])
            estimated = cursor.fetchone()[0]
        else:  # each row of an index: its table's rows, then the rows per key of its leading columns
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [StatusRecord._meta.db_table])
            estimated = int(cursor.fetchone()[0].split()[0])
    assert records > 10_000 and estimated == pytest.approx(records, rel=0.1)


def test_the_enterprises_that_moved_up_are_those_a_plain_reading_of_the_records_finds(demo):
    """`moved_up` on the whole demo registry against a second reading of the rule in Python: a record of a tier above
    科技型企业 issued in the year, held on its issue day, whose enterprise held no record of that tier or above the day
    before (held: issued by then, not ended or revoked, the enterprise registered in a unit that day). An index
    on (enterprise, kind, issue day) once had SQLite miss a third of them."""
    chain = [kind.value for kind in StatusKind.chain()]
    registrations = defaultdict(list)
    for enterprise, since, until in Registration.objects.values_list("enterprise_id", "since", "until"):
        registrations[enterprise].append((since, until))
    records = defaultdict(list)
    for record in StatusRecord.objects.filter(kind__in=chain[1:]).values(
            "pk", "enterprise_id", "kind", "issued", "valid_until", "revoked"):
        records[record["enterprise_id"]].append(record)

    def held(record, day):
        return (record["issued"] <= day and (record["valid_until"] is None or record["valid_until"] >= day)
                and (record["revoked"] is None or record["revoked"] > day)
                and any((since is None or since <= day) and (until is None or until >= day)
                        for since, until in registrations[record["enterprise_id"]]))

    for year in (2024, 2025):
        expected = {
            record["pk"] for own in records.values() for record in own
            if record["issued"].year == year and held(record, record["issued"])
            and not any(held(other, record["issued"] - datetime.timedelta(days=1))
                        and chain.index(other["kind"]) >= chain.index(record["kind"]) for other in own)
        }
        found = set(moved_up(year=year, records=StatusRecord.objects.all()).values_list("pk", flat=True))
        assert len(expected) > 100 and found == expected, (year, len(found), len(expected))
