"""A newcomer's first minute in a real browser: the login page, a Chinese home page, English on request."""
import pytest

from conftest import ARTIFACTS, log_in
from indicators.tests.conftest import reported  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_viewer_logs_in_and_sees_the_chinese_home_page_then_switches_to_english(city_viewer, live_server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    log_in(page, live_server.url, "city_viewer")
    page.wait_for_selector("h1")
    assert "区县科技创新监测平台" in page.inner_text("h1")
    page.screenshot(path=str(ARTIFACTS / "home-phone.png"), full_page=True)
    page.click("label[for=nav-open]")  # on a phone the language switch sits in the folded menu
    with page.expect_navigation():
        page.select_option("#language-switch select", "en")
    assert page.get_attribute("html", "lang") == "en"


def test_a_wrong_password_is_refused_and_no_session_is_made(city_viewer, live_server, chromium):
    from django.contrib.sessions.models import Session

    with chromium() as browser:
        page = browser.new_page()
        log_in(page, live_server.url, "city_viewer", password="not-the-password")
        message = page.inner_text("[role=alert]")
    assert "用户名或密码不正确" in message
    assert not Session.objects.exists()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_leaders_home_shows_the_headline_numbers_of_the_active_plan(width, reported, city_viewer, live_server,  # noqa: F811
                                                                      chromium):
    from indicators.choices import Scope
    from indicators.dashboards import Selection
    from indicators.models import IndicatorValue

    values = IndicatorValue.objects.all()
    sel = Selection.from_query({}, values)
    city = values.get(plan=sel.plan, period=sel.period, scope=Scope.CITY, indicator__code="tech_smes")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "city_viewer")
        page.wait_for_selector("#headlines")
        heading = page.inner_text("#headlines h3")
        tech = page.inner_text("#headlines [data-indicator=tech_smes] strong")
        page.screenshot(path=str(ARTIFACTS / f"home-headlines-{width}.png"))
        wide = page.evaluate("document.documentElement.scrollWidth > innerWidth")

    assert sel.plan.active and sel.plan.name in heading and sel.period.code in heading
    assert tech == f"{int(city.value):,}"
    assert not wide
