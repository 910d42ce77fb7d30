"""The demo's cultivation lists (the demo's registry: tests/test_demo_data.py, with the whole demo)."""
from districts.demo import demo_context
from enterprises import demo, synthetic
from enterprises.demo import MOVED_ON, REPORTED_KINDS
from enterprises.models import CultivationEntry, CultivationNote, StatusValidity


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
