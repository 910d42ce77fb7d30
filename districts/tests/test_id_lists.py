"""`IdIn` finds the rows `__in` finds: every id given that exists, none for an empty list, on any column's type."""
from django.db.models import F

from districts.id_lists import IdIn
from districts.models import Period, Submission, Unit


def test_it_finds_the_rows_in_finds(chongqing):
    ids = [unit.pk for unit in Unit.objects.order_by("pk")[::3]] + [10**12]  # and an id that does not exist
    assert set(Unit.objects.filter(IdIn(F("pk"), ids))) == set(Unit.objects.filter(pk__in=ids))
    assert Unit.objects.filter(IdIn(F("pk"), ids)).count() == len(ids) - 1


def test_it_finds_nothing_for_no_ids(chongqing):
    assert not Unit.objects.filter(IdIn(F("pk"), [])).exists()


def test_it_takes_ids_on_a_foreign_key_as_a_set_or_a_tuple(chongqing):
    units, periods = list(Unit.objects.order_by("pk")[:6]), list(Period.objects.order_by("ordinal")[:3])
    Submission.objects.bulk_create([Submission(unit=unit, period=period) for unit in units for period in periods])
    unit_ids, periods = {unit.pk for unit in units[::2]}, periods[1:]
    expected = set(Submission.objects.filter(unit_id__in=unit_ids, period__in=periods))
    found = Submission.objects.filter(IdIn(F("unit_id"), unit_ids), IdIn(F("period_id"), tuple(p.pk for p in periods)))
    assert expected and set(found) == expected
