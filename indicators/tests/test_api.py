"""Indicator values (the dashboard snapshots) through the API: filters, who sees what, and cheap polling."""
import json

import pytest
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer

from conftest import make_user
from districts.apikeys import api_key_create
from districts.models import UnitCodeAlias
from enterprises.models import EnterpriseFigures
from indicators.choices import RunTrigger
from indicators.models import IndicatorValue
from indicators.serializers import IndicatorValueSerializer
from indicators.services import dashboard_run_create, dashboards_compute
from portal import roles

URL = "/api/v1/indicator-values/"


@pytest.fixture
def reader(api_client, city_staff_of_world, reported_world):
    _, full_key = api_key_create(name="统计局", scope="indicators", created_by=city_staff_of_world)
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {full_key}")
    return api_client


def results(client, **params):
    response = client.get(URL, {"page_size": 1000, **params})
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_a_units_value_is_what_it_reported(reader, reported_world):
    rows = results(reader, unit="900001", indicator="t_smes", period_after="2025Q4", period_before="2025Q4")
    expected = EnterpriseFigures.objects.get(unit=reported_world.a, period__year=2025, period__quarter=4).tech_smes
    assert len(rows) == 1 and rows[0]["unit"] == "900001"
    assert float(rows[0]["value"]) == expected


def test_the_group_filter_gives_the_group_row_and_its_units_rows(reader):
    rows = results(reader, group="north", indicator="t_smes", period_after="2025Q4", period_before="2025Q4")
    assert sorted((row["scope"], row["group"] or row["unit"]) for row in rows) == [
        ("group", "north"), ("unit", "900001"), ("unit", "900002")]


@pytest.mark.parametrize("params, field, accepted", [
    ({"scope": "city"}, "scope", {"city"}),
    ({"period_after": "2025Q4", "period_before": "2025Q4"}, "period", {"2025Q4"}),
    ({"period_before": "2024Q4", "period_after": "2024Q4"}, "period", {"2024Q4"}),
    ({"indicator": "t_smes"}, "indicator", {"t_smes"}),
    ({"plan": "t-plan"}, "plan", {"t-plan"}),
    ({"unit": "900099"}, "unit", {"900003"}),  # an old code of 丙县
])
def test_each_filter_narrows_the_rows(reader, reported_world, params, field, accepted):
    UnitCodeAlias.objects.create(unit=reported_world.c, code="900099")
    rows = results(reader, **params)
    assert rows and {row[field] for row in rows} == accepted


def test_the_status_filter_and_ordering_by_rank(reader):
    status = IndicatorValue.objects.exclude(rank_all=None).values_list("status", flat=True).first()
    rows = results(reader, status=status, scope="unit", ordering="rank")
    assert rows and {row["status"] for row in rows} == {status}


def test_updated_after_returns_only_what_was_computed_since(reader):
    last = IndicatorValue.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    assert results(reader, updated_after=last.isoformat()) == []
    assert results(reader, updated_after="2000-01-01T00:00:00+08:00")


@pytest.mark.parametrize("params, field", [
    ({"period_after": "2025Q5"}, "period_after"),
    ({"unit": "500999"}, "unit"),
    ({"group": "nowhere"}, "group"),
    ({"updated_after": "yesterday"}, "updated_after"),
    ({"scope": "planet"}, "scope"),
])
def test_a_malformed_filter_is_a_400_naming_the_field(reader, params, field):
    response = reader.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_district_clerk_sees_the_city_the_groups_and_only_their_own_unit(
    client_for, city_staff_of_world, reported_world
):
    clerk = make_user("clerk_a", roles.DISTRICT_STAFF, "900001")
    rows = client_for(clerk).get(URL, {"page_size": 1000, "period_after": "2025Q4"}).json()["results"]
    assert {row["unit"] for row in rows if row["unit"]} == {"900001"}
    assert {"city", "group"} <= {row["scope"] for row in rows}


def test_a_conditional_get_answers_304_until_the_dashboards_change(reader, reported_world):
    first = reader.get(URL, {"group": "north"})
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = reader.get(URL, {"group": "north"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = reader.get(URL, {"group": "north"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other_filter = reader.get(URL, {"group": "south"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert other_filter.status_code == 200
    reported_world.report(reported_world.a, "2025Q4", smes=999)
    reported_world.compute()
    changed = reader.get(URL, {"group": "north"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_an_old_if_modified_since_gets_the_rows(reader):
    response = reader.get(URL, HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert response.status_code == 200 and response.json()["count"] == IndicatorValue.objects.count()


def test_the_list_gives_exactly_what_the_documented_serializer_gives(reader):
    rows = results(reader)

    documented = IndicatorValueSerializer(IndicatorValue.objects.all(), many=True).data
    assert any(row["target_period"] for row in rows) and any(row["baseline_period"] for row in rows)
    assert [list(row) for row in rows] == [list(row) for row in documented]  # same keys in the same order
    assert rows == json.loads(JSONRenderer().render(documented))


def test_a_one_unit_run_shows_in_the_list_at_once(reader, reported_world, django_assert_max_num_queries):
    query = {"unit": "900001", "indicator": "t_smes", "period_after": "2025Q4", "period_before": "2025Q4"}
    before = results(reader, **query)
    # 1. the key (no request transaction: the list only reads) 2.–4. groups and permissions (restrict)
    # 5.–6. the unit filter's codes and old codes 7. the latest run (the cache key, which is the ETag): the page
    # is served as rendered, no row is read
    with django_assert_max_num_queries(7):
        assert results(reader, **query) == before
    reported_world.report(reported_world.a, "2025Q4", smes=999)

    dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=reported_world.a,
                                                period=reported_world.period("2025Q4")))

    assert float(results(reader, **query)[0]["value"]) == 999 != float(before[0]["value"])


def test_every_answer_says_whether_a_change_waits_for_its_run(reader, reported_world):
    query = {"unit": "900001", "indicator": "t_smes", "period_after": "2025Q4", "period_before": "2025Q4"}
    first = reader.get(URL, query)
    assert first["X-Newer-Data-Waiting"] == "false"
    reported_world.report(reported_world.a, "2025Q4", smes=999)
    waiting = dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=reported_world.a,
                                   period=reported_world.period("2025Q4"))
    poll = reader.get(URL, query, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (poll.status_code, poll["X-Newer-Data-Waiting"]) == (304, "true")  # the values are as they were
    assert reader.get(URL, {**query, "format": "csv"})["X-Newer-Data-Waiting"] == "true"
    dashboards_compute(run=waiting)
    after = reader.get(URL, query)
    assert (after["X-Newer-Data-Waiting"], float(after.json()["results"][0]["value"])) == ("false", 999)


def test_a_poll_sees_a_rank_moved_by_another_units_recompute(reader, reported_world):
    """A one-unit run re-ranks the others without recomputing their rows: their ETag must change all the same."""
    query = {"unit": reported_world.b.code, "indicator": "t_smes", "period_after": "2025Q4", "period_before": "2025Q4"}
    first = reader.get(URL, query)
    rank_before = first.json()["results"][0]["rank_all"]
    reported_world.report(reported_world.a, "2025Q4", smes=10_000)  # a overtakes b
    dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=reported_world.a,
                                                period=reported_world.period("2025Q4")))

    poll = reader.get(URL, query, HTTP_IF_NONE_MATCH=first["ETag"])

    assert poll.status_code == 200, "a 304 here would hide b's new rank"
    assert poll.json()["results"][0]["rank_all"] == rank_before + 1


def test_a_poll_sees_a_renamed_unit(reader, reported_world):
    query = {"unit": reported_world.b.code, "indicator": "t_smes"}
    first = reader.get(URL, query)
    reported_world.b.name = "改名后的区"
    reported_world.b.save()

    poll = reader.get(URL, query, HTTP_IF_NONE_MATCH=first["ETag"])

    assert poll.status_code == 200
    assert {row["unit_name"] for row in poll.json()["results"]} == {"改名后的区"}


def test_the_csv_of_a_cached_page_follows_the_snapshot(reader, reported_world):
    query = {"unit": reported_world.a.code, "indicator": "t_smes", "period_after": "2025Q4",
             "period_before": "2025Q4", "format": "csv"}
    first = reader.get(URL, query)
    again = reader.get(URL, query)
    reported_world.report(reported_world.a, "2025Q4", smes=4321)
    dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=reported_world.a,
                                                period=reported_world.period("2025Q4")))
    changed = reader.get(URL, query)

    assert first.status_code == again.status_code == changed.status_code == 200
    assert again.content == first.content and again["Content-Disposition"] == first["Content-Disposition"]
    assert "4321" not in first.content.decode() and "4321" in changed.content.decode()
