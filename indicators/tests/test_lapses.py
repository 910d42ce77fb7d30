"""The high-tech lapse block of the dashboards, worked out by hand on a small registry."""
import datetime

import pytest

from conftest import ARTIFACTS
from districts.models import Unit
from enterprises.credit_codes import synthetic
from enterprises.services import enterprise_create, status_record_save
from indicators import lapses
from indicators.models import Plan

D = datetime.date
TODAY = D(2026, 12, 6)  # the 2027 plan's next high-tech target: 2027Q4, city 12,800


@pytest.fixture
def registry(chongqing, city_staff):
    """渝北 holds 4 certificates today: A and C last past 2027-12-31 (A ends on it: the last day counts), B ends
    2027-05-31, D ends 2026-12-31 (D renewed its earlier certificate; E did not: a renewal rate of 1/2).
    两江新区's Z lapses but a zone never counts toward the city."""
    serial = iter(range(1, 100))

    def firm(code, name, *certificates):
        made = enterprise_create(user=city_staff, name=name, unit=Unit.objects.get(code=code),
                                 credit_code=synthetic("500000", next(serial)))
        for issued, until in certificates:
            status_record_save(user=city_staff, enterprise=made, kind="high_tech", issued=issued, valid_until=until)

    firm("500112", "A", (D(2025, 1, 1), D(2027, 12, 31)))
    firm("500112", "B", (D(2024, 6, 1), D(2027, 5, 31)))
    firm("500112", "C", (D(2026, 1, 1), D(2028, 12, 31)))
    firm("500112", "D", (D(2021, 1, 1), D(2023, 12, 31)), (D(2024, 1, 1), D(2026, 12, 31)))
    firm("500112", "E", (D(2020, 6, 1), D(2023, 5, 31)))
    firm("CQLJ", "Z", (D(2025, 1, 1), D(2027, 1, 31)))


def test_the_city_block_counts_what_lapses_before_the_next_target_and_the_gap_it_opens(registry):
    outlook = lapses.city_outlook(Plan.objects.get(code="double-doubling-2027").pk, TODAY)
    assert outlook.until == D(2027, 12, 31)
    assert (outlook.held_today, outlook.lapsing, outlook.none_renews, outlook.with_renewals) == (4, 2, 2, 3.0)
    assert (outlook.target, outlook.gap_none_renews, outlook.gap_with_renewals) == (12800, 12798, 12797)


def test_a_certificate_issued_after_the_forecast_was_kept_counts_at_once(registry, city_staff,
                                                                         django_capture_on_commit_callbacks):
    plan = Plan.objects.get(code="double-doubling-2027").pk
    assert lapses.city_outlook(plan, TODAY).held_today == 4  # now kept in the cache
    with django_capture_on_commit_callbacks(execute=True):
        made = enterprise_create(user=city_staff, name="F", unit=Unit.objects.get(code="500101"),
                                 credit_code=synthetic("500000", 99))
        status_record_save(user=city_staff, enterprise=made, kind="high_tech", issued=D(2026, 6, 1),
                           valid_until=D(2029, 5, 31))
    outlook = lapses.city_outlook(plan, TODAY)
    assert (outlook.held_today, outlook.none_renews) == (5, 3)


def test_the_unit_block_has_no_gap_without_a_target_of_its_own(registry):
    yubei = Unit.objects.get(code="500112")
    outlook = lapses.unit_outlook(Plan.objects.get(code="double-doubling-2027"), yubei, None, TODAY)
    assert (outlook.held_today, outlook.none_renews, outlook.with_renewals, outlook.gap_with_renewals) == \
        (4, 2, 3.0, None)


def test_a_plan_whose_high_tech_targets_have_all_passed_shows_no_block(registry):
    assert lapses.city_outlook(Plan.objects.get(code="guidance-2022").pk, TODAY) is None


def test_the_overview_and_the_unit_page_show_the_block(registry, yubei_clerk, client_for):
    client = client_for(yubei_clerk)
    plan = "double-doubling-2027"
    for url in ("/dashboards/", "/dashboards/units/500112/"):
        response = client.get(url, {"plan": plan})
        assert response.status_code == 200
        if response.context["lapses"] is not None:  # the plan has a high-tech target after today
            assert 'id="high-tech-lapses"' in response.content.decode()
            assert response.context["lapses"].held_today == 4


@pytest.mark.browser
def test_the_unit_pages_lapse_block_reads_on_a_desktop_and_a_phone(registry, yubei_clerk, live_server, chromium):
    with chromium() as browser:
        for width, height in ((1366, 900), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "yubei_staff")
            page.fill("input[name=password]", "pw-for-tests-1")
            page.click("button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{live_server.url}/dashboards/units/500112/?plan=double-doubling-2027")
            if page.locator("#high-tech-lapses").count():  # the plan has a high-tech target after today
                assert "今天有效" in page.inner_text("#high-tech-lapses")
                page.locator("#high-tech-lapses").screenshot(path=str(ARTIFACTS / f"lapse-block-{width}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(ARTIFACTS / f"unit-lapses-{width}.png"), full_page=True)
            page.close()
