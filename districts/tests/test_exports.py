"""Exports of every list: the restricted rows only, Chinese headers, formulas neutralised, in .xlsx and CSV."""
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from districts.models import Period, Unit
from enterprises.models import EnterpriseFigures
from platforms.models import Platform
from portal.cells import neutralise

HOSTILE = "=HYPERLINK(\"http://evil.example\",\"点我\")"


@pytest.fixture
def figures_of_two_districts(chongqing):
    period = Period.objects.get_by_code("2025Q4")
    for code, count in (("500112", 1200), ("500101", 800)):
        EnterpriseFigures.objects.create(unit=Unit.objects.get(code=code), period=period, tech_smes=count)
    return period


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8 Chinese"
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("value", ["=1+1", "+86 138", "-2+3", "-A1", "@SUM(A1)", "\tx", "\rx"])
def test_every_cell_that_a_spreadsheet_would_run_is_quoted(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["渝北区", "1,200", -2, "-2", "-12.50", 3.5, None, ""])
def test_plain_text_and_numbers_are_left_alone(value):
    assert neutralise(value) == value


def test_a_clerk_exports_only_their_own_units_figures(figures_of_two_districts, yubei_clerk, client_for):
    response = client_for(yubei_clerk).get(reverse("spreadsheets:export", args=["enterprises", "xlsx"]))
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:4] == ["单位代码", "单位名称", "季度", "科技型企业（入库数）"]
    assert [row[:4] for row in rows[1:]] == [["500112", "渝北区", "2025Q4", 1200]]


def test_a_city_viewer_exports_every_unit_as_csv(figures_of_two_districts, city_viewer, client_for):
    url = reverse("spreadsheets:export", args=["enterprises", "csv"]) + "?period=2025Q4"
    rows = csv_rows(client_for(city_viewer).get(url))
    assert sorted(row[0] for row in rows[1:]) == ["500101", "500112"]


def test_a_platform_name_that_is_a_formula_is_exported_as_text(chongqing, city_viewer, client_for):
    Platform.objects.create(unit=Unit.objects.get(code="500112"), name=HOSTILE, kind="incubator", level="district")
    client = client_for(city_viewer)
    xlsx = xlsx_rows(client.get(reverse("spreadsheets:export", args=["platforms", "xlsx"])))
    assert "'" + HOSTILE in [row[2] for row in xlsx]
    csv_names = [row[2] for row in csv_rows(client.get(reverse("spreadsheets:export", args=["platforms", "csv"])))]
    assert "'" + HOSTILE in csv_names
    assert HOSTILE not in csv_names


@pytest.mark.parametrize("key", ["submissions", "enterprises", "economy", "fundflows", "allocations", "platforms",
                                 "milestones"])
def test_every_list_exports_in_both_formats(key, city_viewer, client_for):
    client = client_for(city_viewer)
    for extension in ("xlsx", "csv"):
        response = client.get(reverse("spreadsheets:export", args=[key, extension]))
        assert response.status_code == 200, (key, extension)
        assert f".{extension}" in response["Content-Disposition"]


def test_an_unknown_list_or_format_is_not_found(city_viewer, client_for):
    client = client_for(city_viewer)
    assert client.get(reverse("spreadsheets:export", args=["secrets", "xlsx"])).status_code == 404
    assert client.get(reverse("spreadsheets:export", args=["platforms", "json"])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(chongqing, client):
    response = client.get(reverse("spreadsheets:export", args=["platforms", "csv"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_admin_export_of_a_clerk_holds_their_units_rows_only(figures_of_two_districts, yubei_clerk, client_for):
    client = client_for(yubei_clerk)
    url = reverse("admin:enterprises_enterprisefigures_export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    xlsx = next(value for value, label in form.fields["format"].choices if "xlsx" in str(label).lower())
    data = {"format": xlsx, "resource": 0}
    data |= {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    response = client.post(url, data)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [row[0] for row in xlsx_rows(response)[1:]] == ["500112"]


def test_the_completeness_page_links_the_quarters_exports(city_staff, quarter, client_for):
    page = client_for(city_staff).get(reverse("districts:completeness", args=[quarter.code])).content.decode()
    assert reverse("spreadsheets:export", args=["submissions", "xlsx"]) + f"?period={quarter.code}" in page


def test_the_platform_list_links_its_exports(yubei_clerk, client_for):
    page = client_for(yubei_clerk).get(reverse("platforms:list")).content.decode()
    assert reverse("spreadsheets:export", args=["platforms", "xlsx"]) in page
