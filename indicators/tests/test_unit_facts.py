"""Indicator statuses shown on pages of apps that may not import indicators (the leader page)."""
from django.db.models import Max

from conftest import make_user
from districts.models import Unit
from indicators.choices import Scope, Status
from indicators.models import IndicatorValue
from ledger.models import LeaderAssignment
from portal import roles


def statuses_at_latest_quarter(unit):
    rows = IndicatorValue.objects.filter(scope=Scope.UNIT, unit=unit).exclude(status=Status.NO_DATA)
    latest = dict(rows.values_list("plan").annotate(Max("period__ordinal")))
    return [row for row in rows.select_related("indicator", "period") if latest[row.plan_id] == row.period.ordinal]


def test_a_leader_sees_the_indicator_statuses_of_the_units_they_guide(client_for, reported):
    banan, wanzhou = Unit.objects.get(code="500113"), Unit.objects.get(code="500101")
    leader = make_user("leader_liu", roles.MUNICIPAL_VIEWER)
    LeaderAssignment.objects.create(leader=leader).units.set([banan])
    expected = statuses_at_latest_quarter(banan)
    assert expected, "the computation gives 巴南 at least one status (its featured platform)"

    page = client_for(leader).get("/ledger/leader/").content.decode()

    for row in expected:
        assert f"{row.indicator.name}（{row.period.code}）：<strong class=\"status-{row.status}\">" \
               f"{row.get_status_display()}</strong>" in page
    assert wanzhou.name not in page


def test_a_district_clerk_gets_no_statuses_of_another_unit(reported, yubei_clerk):
    from districts.panels import unit_facts

    wanzhou = Unit.objects.get(code="500101")
    assert statuses_at_latest_quarter(wanzhou)
    assert unit_facts(units=[wanzhou], user=yubei_clerk).get(wanzhou.pk) is None
