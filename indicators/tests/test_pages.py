"""The dashboard pages: who sees what, that they show the snapshot, and that downloads are safe."""
import csv
import io

import pytest
from openpyxl import load_workbook

from districts.models import Unit
from indicators import geo
from indicators.choices import RunTrigger, Scope
from indicators.models import IndicatorValue, Plan
from indicators.services import dashboard_run_create

PLAN = "double-doubling-2027"  # baseline 2022Q4


def city_row(code="tech_smes", period="2023Q4"):
    return IndicatorValue.objects.get(plan__code=PLAN, indicator__code=code, scope=Scope.CITY,
                                      period__year=int(period[:4]), period__quarter=int(period[-1]))


def test_the_overview_shows_the_city_value_of_the_snapshot(reported, city_viewer, client_for):
    response = client_for(city_viewer).get("/dashboards/", {"plan": PLAN, "period": "2023Q4"})

    assert response.status_code == 200
    counted = set(Unit.objects.filter(counts_toward_city_total=True).values_list("code", flat=True))
    expected = sum(v for (unit, period), v in reported.items() if period == "2023Q4" and unit in counted)
    card = next(c for c in response.context["cards"] if c.indicator.code == "tech_smes")
    assert card.row == city_row() and card.row.value == expected
    assert f"data-field=\"value\">{expected:,} " in response.content.decode()  # digits grouped in threes: 5,643
    assert len(response.context["units"].rows) == Unit.objects.count()


def test_an_anonymous_visitor_is_sent_to_the_login_page(reported, client):
    response = client.get("/dashboards/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_district_clerk_sees_the_overview_with_only_their_own_unit_ranked(reported, yubei_clerk, client_for):
    response = client_for(yubei_clerk).get("/dashboards/", {"plan": PLAN, "period": "2023Q4"})

    assert response.status_code == 200
    assert [row["code"] for row in response.context["units"].rows] == ["500112"]
    assert next(c for c in response.context["cards"] if c.indicator.code == "tech_smes").row == city_row()


def test_a_district_clerk_opens_their_own_unit_page(reported, yubei_clerk, client_for):
    response = client_for(yubei_clerk).get("/dashboards/units/500112/", {"plan": PLAN, "period": "2023Q4"})

    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.indicator.code == "tech_smes")
    assert row.value == reported["500112", "2023Q4"]


def test_it_refuses_a_clerk_of_another_district_the_unit_page_and_its_download(reported, wanzhou_clerk, client_for):
    client = client_for(wanzhou_clerk)
    assert client.get("/dashboards/units/500112/").status_code == 404
    assert client.get("/dashboards/data/trend.csv", {"unit": "500112"}).status_code == 404


def test_downloads_neutralise_cells_that_a_spreadsheet_would_run_as_formulas(reported, city_viewer, client_for):
    Unit.objects.filter(code="500112").update(name='=HYPERLINK("http://evil","渝北")')
    client = client_for(city_viewer)
    query = {"plan": PLAN, "period": "2023Q4", "indicator": "tech_smes"}

    text = client.get("/dashboards/data/units.csv", query).content.decode("utf-8-sig")
    names = [row[2] for row in list(csv.reader(io.StringIO(text)))[2:]]  # after the title and heading rows
    assert "'=HYPERLINK(\"http://evil\",\"渝北\")" in names
    assert not any(name.startswith("=") for name in names)
    sheet = load_workbook(io.BytesIO(client.get("/dashboards/data/units.xlsx", query).content)).active
    cells = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\",\"渝北\")" in cells
    assert all(isinstance(row[4], (int, float)) for row in sheet.iter_rows(min_row=3, values_only=True))


def test_chart_data_goes_into_the_page_as_escaped_json(reported, city_viewer, client_for):
    Unit.objects.filter(code="500112").update(name="<script>alert(1)</script>")
    html = client_for(city_viewer).get("/dashboards/", {"plan": PLAN, "indicator": "tech_smes"}).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in html


def test_the_page_says_so_when_newer_approved_data_is_waiting(reported, city_viewer, client_for):
    client = client_for(city_viewer)
    assert 'id="newer-data"' not in client.get("/dashboards/").content.decode()

    dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=Unit.objects.get(code="500112"))

    assert 'id="newer-data"' in client.get("/dashboards/").content.decode()


def test_the_outcome_page_lists_each_unit_against_its_quota_at_the_passed_horizon(reported, city_viewer, client_for):
    plan = Plan.objects.get(code="guidance-2022")
    response = client_for(city_viewer).get("/dashboards/outcome/", {"plan": plan.code})
    assert response.status_code == 200


def test_map_features_join_units_through_old_codes_and_leave_zones_beside(chongqing):
    names = geo.feature_names_by_unit()

    assert names[Unit.objects.get(code="500155").pk] == "梁平县"
    assert names[Unit.objects.get(code="500156").pk] == "武隆县"
    divisions = set(Unit.objects.filter(counts_toward_city_total=True).values_list("pk", flat=True))
    assert set(names) == divisions


@pytest.mark.parametrize("path", ["/dashboards/data/nothing.csv", "/dashboards/data/units.pdf"])
def test_an_unknown_download_is_not_found(reported, city_viewer, client_for, path):
    assert client_for(city_viewer).get(path).status_code == 404


def test_a_district_clerk_reads_only_the_aggregates_and_their_own_unit_of_the_snapshot(reported, yubei_clerk):
    visible = IndicatorValue.objects.restrict(yubei_clerk, "view")

    assert set(visible.filter(scope=Scope.UNIT).values_list("unit__code", flat=True)) == {"500112"}
    assert visible.filter(scope=Scope.CITY).count() == IndicatorValue.objects.filter(scope=Scope.CITY).count()
    assert not IndicatorValue.objects.restrict(yubei_clerk, "change").exists()


def test_nobody_edits_the_snapshot_in_the_admin_and_runs_are_listed(reported, city_staff, client_for):
    client = client_for(city_staff)
    row = city_row()

    assert client.get("/admin/indicators/dashboardrun/").status_code == 200
    assert client.get("/admin/indicators/indicatorvalue/").status_code == 200
    response = client.post(f"/admin/indicators/indicatorvalue/{row.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert IndicatorValue.objects.filter(pk=row.pk).exists()


def test_the_outcome_page_sums_up_targets_met_by_place_and_filters_by_group_and_indicator(
    world, city_viewer, client_for
):
    # 2025Q4: north's 甲区 120 and 乙区 220, south's 丙县 320. Quotas: 甲 110 (met), 乙 250 (missed), 丙 300 (met);
    # the city target 700 against 120 + 220 + 320 = 660 (missed). By hand: 2 of 4 met; city 0 of 1;
    # north's units 1 of 2; south's units 1 of 1.
    for unit, value in ((world.a, 120), (world.b, 220), (world.c, 320), (world.zone, 70)):
        world.report(unit, "2024Q4", smes=value - 20)
        world.report(unit, "2025Q4", smes=value)
    world.target(world.smes, "2025Q4", 700)
    for unit, quota in ((world.a, 110), (world.b, 250), (world.c, 300)):
        world.target(world.smes, "2025Q4", quota, unit=unit)
    world.compute()
    client = client_for(city_viewer)
    query = {"plan": "t-plan", "period": "2025Q4"}

    [outcome] = client.get("/dashboards/outcome/", query).context["tables"]
    tallies = {tally.label: (tally.met, tally.total) for tally in outcome["summary"]}
    narrowed = client.get("/dashboards/outcome/", {**query, "group": "north", "measure": "t_smes"})
    download = client.get("/dashboards/data/outcome.csv", {**query, "group": "north"}).content.decode("utf-8-sig")

    assert tallies == {"全部目标": (2, 4), "全市目标": (0, 1), "北片各区县": (1, 2), "南片各区县": (1, 1)}
    assert [row["place"] for row in narrowed.context["tables"][0]["table"].rows] == ["甲区", "乙区"]
    assert "甲区" in download and "丙县" not in download and "全市" not in download
