"""A leader's view in a real browser: the overview and a unit page render their charts and the map,
and the numbers on screen are the snapshot's. Screenshots go to test-artifacts/."""
import pytest

from conftest import ARTIFACTS, log_in
from indicators.choices import Scope
from indicators.models import IndicatorValue

pytestmark = pytest.mark.browser

QUERY = "plan=double-doubling-2027&period=2023Q4&indicator=tech_smes"
CHARTS_READY = """() => {
  const map = document.querySelector('[data-chart=map]');
  const nodes = document.querySelectorAll('[data-chart]');
  return window.portalCharts && window.portalCharts.length === nodes.length
    && (!map || map.dataset.rendered === '1')
    && window.portalCharts.every(c => c.getOption().series.length > 0)
    && document.querySelectorAll('[data-chart] canvas').length === nodes.length;
}"""


def shown(number) -> str:
    """A snapshot number as the zh-hans page prints it: digits grouped in threes, no trailing zeros (79,603)."""
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def test_the_overview_and_a_unit_page_draw_their_charts_with_the_snapshot_numbers(
    reported, city_viewer, live_server, chromium
):
    rows = IndicatorValue.objects.filter(plan__code="double-doubling-2027", indicator__code="tech_smes",
                                         period__year=2023, period__quarter=4)
    city = rows.get(scope=Scope.CITY)
    yubei = rows.get(unit__code="500112")

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, live_server.url, "city_viewer")
        page.goto(f"{live_server.url}/dashboards/?{QUERY}")
        page.wait_for_function(CHARTS_READY, timeout=20000)
        card_value = page.inner_text("[data-indicator=tech_smes] [data-field=value]")
        ranking_value = page.inner_text("#ranking tr[data-unit='500112'] [data-field=value]")
        map_item = page.evaluate("""() => {
          const chart = window.portalCharts.find(c => c.getOption().series[0].type === 'map');
          return chart.getOption().series[0].data.find(d => d.unit === '渝北区');
        }""")
        page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"), full_page=True)

        page.goto(f"{live_server.url}/dashboards/units/500112/?{QUERY}")
        page.wait_for_function(CHARTS_READY, timeout=20000)
        unit_value = page.inner_text("#unit-indicators tr[data-indicator=tech_smes] [data-field=value]")
        unit_rank = page.inner_text("#unit-indicators tr[data-indicator=tech_smes] [data-field=rank]")
        page.screenshot(path=str(ARTIFACTS / "dashboard-unit.png"), full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.context.add_cookies(page.context.cookies())
        phone.goto(f"{live_server.url}/dashboards/?{QUERY}")
        phone.wait_for_function(CHARTS_READY, timeout=20000)
        phone.screenshot(path=str(ARTIFACTS / "dashboard-overview-phone.png"), full_page=True)

    assert card_value.split()[0] == shown(city.value)
    assert ranking_value == shown(yubei.value)
    assert yubei.progress is None, "no unit quotas in this plan: the map is coloured by value"
    assert (map_item["value"], map_item["name"]) == (float(yubei.value), "渝北区")
    assert unit_value.split()[0] == shown(yubei.value)
    assert unit_rank == str(yubei.rank_all)
