"""An enterprise indicator counted from the registry instead of the units' reports, worked out by hand.

The small world reports high-tech enterprises for 2024Q4 (甲 10, 乙 20, 丙 30, the zone 5: city 60). The registry
holds, on 2024-12-31: 甲's E1 (issued 2023) and E2 (issued that very day), 乙's E3 issued the next day (not yet),
丙's E5 whose certificate ended in February, the zone's E4. So 甲 2, 乙 0, 丙 0, the zone 1, the city 2 (the zone's
enterprise is shown under the zone and never added), 北片 2, 南片 0.
"""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from districts.models import Period
from enterprises.lists import status_list_import
from enterprises.models import EnterpriseFigures, StatusRecord
from enterprises.services import enterprise_create, enterprise_move, status_record_revoke, status_record_save
from indicators.choices import RunStatus, RunTrigger, Source
from indicators.models import DashboardRun, Indicator

D = datetime.date


@pytest.fixture
def registry_world(world, city_staff_of_world):
    w, staff = world, city_staff_of_world
    for unit, reported in ((w.a, 10), (w.b, 20), (w.c, 30), (w.zone, 5)):
        for code, high_tech in (("2024Q3", reported - 1), ("2024Q4", reported)):
            w.report(unit, code)
            EnterpriseFigures.objects.create(unit=unit, period=w.period(code), high_tech=high_tech)
    w.high_tech = Indicator.objects.create(code="t_high_tech", name="高新技术企业数", unit_label="家",
                                           method="stock_sum", figure="enterprises.high_tech", order=6)
    w.target(w.high_tech, "2025Q4", 100)

    def firm(name, unit, issued, valid_until):
        made = enterprise_create(user=staff, name=name, unit=unit)
        status_record_save(user=staff, enterprise=made, kind="high_tech", issued=issued, valid_until=valid_until)
        return made

    w.e1 = firm("甲一公司", w.a, D(2023, 1, 10), D(2026, 1, 9))
    w.e2 = firm("甲二公司", w.a, D(2024, 12, 31), D(2027, 12, 30))
    w.e3 = firm("乙三公司", w.b, D(2025, 1, 1), D(2027, 12, 31))
    w.e4 = firm("丁四公司", w.zone, D(2022, 5, 1), D(2025, 4, 30))
    w.e5 = firm("丙五公司", w.c, D(2021, 3, 1), D(2024, 2, 29))
    w.staff = staff
    w.compute()
    return w


def set_source(world, source, callbacks):
    with callbacks(execute=True):
        world.high_tech.source = source
        world.high_tech.full_clean()
        world.high_tech.save()


def values(world, code="2024Q4"):
    w = world
    return {"city": w.row(w.high_tech, code).value, "north": w.row(w.high_tech, code, group=w.north).value,
            "south": w.row(w.high_tech, code, group=w.south).value, "a": w.row(w.high_tech, code, unit=w.a).value,
            "b": w.row(w.high_tech, code, unit=w.b).value, "c": w.row(w.high_tech, code, unit=w.c).value,
            "zone": w.row(w.high_tech, code, unit=w.zone).value}


REPORTED = {"city": 60, "north": 30, "south": 30, "a": 10, "b": 20, "c": 30, "zone": 5}
REGISTRY = {"city": 2, "north": 2, "south": 0, "a": 2, "b": 0, "c": 0, "zone": 1}


def test_switching_the_source_gives_the_registry_count_and_switching_back_the_reported_figure(
    registry_world, django_capture_on_commit_callbacks
):
    w = registry_world
    assert values(w) == {key: Decimal(n) for key, n in REPORTED.items()}

    set_source(w, Source.REGISTRY, django_capture_on_commit_callbacks)
    assert values(w) == {key: Decimal(n) for key, n in REGISTRY.items()}
    # 2024Q3: only E1 held (E5 ended in February, E2 not issued yet); the zone's E4.
    assert values(w, "2024Q3") == {key: Decimal(n) for key, n in
                                   {"city": 1, "north": 1, "south": 0, "a": 1, "b": 0, "c": 0, "zone": 1}.items()}
    assert w.row(w.high_tech, "2024Q4").target_value == 100  # the same targets, against the registry's count

    set_source(w, Source.REPORTED, django_capture_on_commit_callbacks)
    assert values(w) == {key: Decimal(n) for key, n in REPORTED.items()}


def test_changing_the_source_requests_a_run(registry_world, django_capture_on_commit_callbacks):
    w = registry_world
    with django_capture_on_commit_callbacks(execute=False):
        w.high_tech.source = Source.REGISTRY
        w.high_tech.save()
    assert DashboardRun.objects.filter(status=RunStatus.PENDING, trigger=RunTrigger.REFERENCE, unit=None).exists()


def test_an_enterprise_moving_units_moves_its_count(registry_world, django_capture_on_commit_callbacks):
    w = registry_world
    set_source(w, Source.REGISTRY, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_move(user=w.staff, enterprise=w.e1, unit=w.c, on=D(2024, 10, 1))

    # 甲 keeps E2, 丙 gains E1 from 1 October; before the move, 2024Q3 still counts E1 in 甲.
    assert values(w) == {key: Decimal(n) for key, n in
                         {"city": 2, "north": 1, "south": 1, "a": 1, "b": 0, "c": 1, "zone": 1}.items()}
    assert w.row(w.high_tech, "2024Q3", unit=w.a).value == 1
    assert w.row(w.high_tech, "2024Q3", unit=w.c).value == 0


def test_a_revoked_certificate_drops_the_count_from_its_revocation_day(
    registry_world, django_capture_on_commit_callbacks
):
    w = registry_world
    set_source(w, Source.REGISTRY, django_capture_on_commit_callbacks)
    record = StatusRecord.objects.get(enterprise=w.e1)
    with django_capture_on_commit_callbacks(execute=True):
        status_record_revoke(user=w.staff, record=record, on=D(2024, 12, 31), reason="复核不合格")

    assert w.row(w.high_tech, "2024Q4", unit=w.a).value == 1  # the revocation day no longer counts
    assert w.row(w.high_tech, "2024Q4").value == 1
    assert w.row(w.high_tech, "2024Q3", unit=w.a).value == 1  # it held before


def test_a_registry_change_asks_for_no_run_while_every_indicator_reads_reports(
    registry_world, django_capture_on_commit_callbacks
):
    w = registry_world
    runs = DashboardRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        status_record_save(user=w.staff, enterprise=w.e3, kind="high_tech", issued=D(2024, 6, 1),
                           valid_until=D(2027, 5, 31))
    assert DashboardRun.objects.count() == runs


def test_a_registry_change_requests_a_run_while_an_indicator_reads_the_registry(
    registry_world, django_capture_on_commit_callbacks
):
    w = registry_world
    set_source(w, Source.REGISTRY, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        status_record_save(user=w.staff, enterprise=w.e3, kind="high_tech", issued=D(2024, 6, 1),
                           valid_until=D(2027, 5, 31))
    assert DashboardRun.objects.filter(status=RunStatus.PENDING, trigger=RunTrigger.REGISTRY, unit=None).exists()
    w.compute()
    assert w.row(w.high_tech, "2024Q4", unit=w.b).value == 1


def test_importing_a_list_requests_a_run_while_an_indicator_reads_the_registry(
    registry_world, django_capture_on_commit_callbacks
):
    w = registry_world
    set_source(w, Source.REGISTRY, django_capture_on_commit_callbacks)
    content = f"统一社会信用代码,企业名称,证书编号,发证日期\n,{w.e3.name},GR202450000009,2024-06-01\n"
    with django_capture_on_commit_callbacks(execute=False):
        done = status_list_import(user=w.staff, content=content.encode(), file_name="名单.csv", kind="high_tech",
                                  dry_run=False)
    assert done.written and done.changed == 1
    assert DashboardRun.objects.filter(status=RunStatus.PENDING, trigger=RunTrigger.REGISTRY, unit=None).exists()
    w.compute()
    assert w.row(w.high_tech, "2024Q4", unit=w.b).value == 1


def test_a_quarter_not_ended_has_no_registry_count(registry_world, django_capture_on_commit_callbacks):
    w = registry_world
    today = datetime.date.today()
    current = Period.objects.get(year=today.year, quarter=(today.month - 1) // 3 + 1)
    w.report(w.a, current.code)  # approved early: the rows reach this quarter
    set_source(w, Source.REGISTRY, django_capture_on_commit_callbacks)
    assert w.row(w.high_tech, current.code).value is None
    assert w.row(w.high_tech, current.code, unit=w.a).value is None


def test_only_an_enterprise_count_may_read_the_registry(registry_world):
    w = registry_world
    w.rd.source = Source.REGISTRY
    with pytest.raises(ValidationError) as refused:
        w.rd.full_clean()
    assert "source" in refused.value.message_dict


def test_the_api_and_the_pages_give_the_registry_count_and_say_where_it_comes_from(
    registry_world, django_capture_on_commit_callbacks, api_client, client
):
    w = registry_world
    set_source(w, Source.REGISTRY, django_capture_on_commit_callbacks)
    api_client.force_login(w.staff)
    rows = api_client.get("/api/v1/indicator-values/", {"indicator": "t_high_tech", "period_after": "2024Q4",
                                                        "period_before": "2024Q4", "page_size": 100}).json()["results"]
    assert {row["unit"] or row["group"] or row["scope"]: (float(row["value"]), row["source"]) for row in rows} == {
        "city": (2, "registry"), "north": (2, "registry"), "south": (0, "registry"), "900001": (2, "registry"),
        "900002": (0, "registry"), "900003": (0, "registry"), "Z1": (1, "registry")}

    client.force_login(w.staff)
    query = {"plan": "t-plan", "indicator": "t_high_tech", "period": "2024Q4"}
    overview = client.get("/dashboards/", query).content.decode()
    unit_page = client.get(f"/dashboards/units/{w.a.code}/", query).content.decode()
    for page in (overview, unit_page):
        assert page.count('data-source="registry"') >= 1 and "来源：企业库" in page
    assert "/registry/?period=2024Q4" in unit_page  # the value links to the registry's quarter, not the approval
    set_source(w, Source.REPORTED, django_capture_on_commit_callbacks)
    assert "来源：企业库" not in client.get(f"/dashboards/units/{w.a.code}/", query).content.decode()
