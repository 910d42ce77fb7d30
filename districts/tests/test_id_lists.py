"""`IdIn` finds the rows `__in` finds: every id given that exists, none for an empty list, on any column's type;
`PairIn` the rows whose two columns are one of the pairs given, and no other combination of them."""
from django.db.models import F

from districts.id_lists import IdIn, PairIn
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


def test_pairs_find_their_own_rows_and_not_the_other_combinations(chongqing):
    units, periods = list(Unit.objects.order_by("pk")[:4]), list(Period.objects.order_by("ordinal")[:4])
    Submission.objects.bulk_create([Submission(unit=unit, period=period) for unit in units for period in periods])
    pairs = [(units[0].pk, periods[1].pk), (units[2].pk, periods[3].pk), (units[3].pk, 10**12)]  # and one not stored
    found = Submission.objects.filter(PairIn(F("unit_id"), F("period_id"), pairs))
    assert {(s.unit_id, s.period_id) for s in found} == set(pairs[:2])  # not units[0] with periods[3], say
    assert not Submission.objects.filter(PairIn(F("unit_id"), F("period_id"), [])).exists()
