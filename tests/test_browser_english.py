"""With English chosen, the dashboards speak English: plan, indicator, group and unit names from the reference
data's English names, and the words inside the charts (legends, the map's 无数据)."""
import pytest

from conftest import ARTIFACTS, log_in
from indicators.tests.conftest import reported  # noqa: F401

pytestmark = pytest.mark.browser
QUERY = "plan=double-doubling-2027&period=2023Q4&indicator=tech_smes"


@pytest.mark.parametrize("width", [1366, 390])
def test_in_english_the_overview_names_plans_indicators_groups_and_units_in_english_and_charts_too(
    width, reported, city_viewer, live_server, chromium  # noqa: F811
):
    from districts.models import Unit, UnitGroup
    from indicators.models import Indicator, Plan

    plan = Plan.objects.get(code="double-doubling-2027").name_en
    indicator = Indicator.objects.get(code="tech_smes").name_en
    yubei = Unit.objects.get(code="500112").name_en
    central = UnitGroup.objects.get(code="central").name_en
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "city_viewer")
        if width < 768:
            page.click("label[for=nav-open]")  # the language switch sits in the folded menu
        with page.expect_navigation():
            page.select_option("#language-switch select", "en")
        page.goto(f"{live_server.url}/dashboards/?{QUERY}")
        page.wait_for_function("window.portalCharts && window.portalCharts.length >= 3", timeout=20000)
        text = page.inner_text("main")
        legend = page.evaluate("window.portalCharts[0].getOption().series.map(s => s.name)")
        page.screenshot(path=str(ARTIFACTS / f"english-overview-{width}.png"))

    assert all([plan, indicator, yubei, central])
    for name in (plan, indicator, yubei, central):
        assert name in text, name
    assert "渝北区" not in text and "科技型企业数" not in text and "中心城区" not in text
    assert legend[0] == "Actual" and "Target" in legend
