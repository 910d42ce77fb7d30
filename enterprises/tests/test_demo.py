"""The demo registry is small, valid and shows what the registry is for: lapses, renewals and moves."""
import datetime
import time

from districts.demo import demo_context
from districts.models import Period
from enterprises.credit_codes import is_valid
from enterprises.demo import MOVED_ON, seed_registry
from enterprises.models import CultivationEntry, CultivationNote, Enterprise, Registration, StatusRecord
from enterprises.selectors import quarter_counts


def test_the_demo_registry_is_quick_valid_and_consistent(chongqing):
    started = time.monotonic()
    seed_registry(demo_context(lambda message: None))
    assert time.monotonic() - started < 30  # make run stays fast
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert codes and all(is_valid(code) for code in codes) and len(set(codes)) == len(codes)
    # Every enterprise is registered today where its current unit says, and a mover was elsewhere before.
    current = dict(Registration.objects.filter(until__isnull=True).values_list("enterprise_id", "unit_id"))
    assert current == dict(Enterprise.objects.values_list("pk", "unit_id"))
    moved = Registration.objects.filter(until=MOVED_ON - datetime.timedelta(days=1))
    assert moved.exists() and all(r.unit_id != current[r.enterprise_id] for r in moved)
    counts = quarter_counts(Period.objects.get_by_code("2025Q4")).city
    assert counts["tech_sme"] > counts["high_tech"] > counts.get("specialised", 0) > 0
    assert StatusRecord.objects.filter(revoked__isnull=False).exists()


def test_the_demo_gives_each_unit_a_cultivation_list_of_its_own_enterprises(chongqing):
    seed_registry(demo_context(lambda message: None))
    entries = CultivationEntry.objects.select_related("enterprise")
    assert entries.exists() and all(entry.enterprise.unit_id == entry.unit_id for entry in entries)
    assert entries.filter(recommended__isnull=False).exists()
    assert CultivationNote.objects.count() == entries.count()
