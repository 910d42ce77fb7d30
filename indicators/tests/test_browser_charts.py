"""Charts and tables say only what is there: no target where the plan sets none for the place, a unit's trend ends
at the chosen quarter, year-to-date money drawn as its quarterly amounts with the year-to-date line, and a map
that names units on hover, opens their page on a click and gives units without a value their own colour.
Checked in Chromium at a desk and on a phone; screenshots in test-artifacts/."""
import pytest

from conftest import ARTIFACTS, log_in
from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from funds.models import EconomyFigures
from indicators.tests.conftest import World, reported  # noqa: F401

pytestmark = pytest.mark.browser

PLAN = "plan=double-doubling-2027"
READY = """() => window.portalCharts && window.portalCharts.length === document.querySelectorAll('[data-chart]').length
  && (!document.querySelector('[data-chart=map]') || document.querySelector('[data-chart=map]').dataset.rendered)"""
SERIES = """id => {
  const node = document.querySelector(id);
  const chart = window.portalCharts.find(c => c.getDom() === node);
  const option = chart.getOption();
  return {legend: option.series.map(s => s.name), types: option.series.map(s => s.type),
          data: option.series.map(s => s.data), axis: option.xAxis[0].data};
}"""
# 渝北's R&D spending, year to date at each quarter end of 2023 (万元).
YTD = {"2023Q1": 100, "2023Q2": 250, "2023Q3": 330, "2023Q4": 500}


@pytest.fixture
def yubei_rd(reported):  # noqa: F811
    yubei = Unit.objects.get(code="500112")
    for code, value in YTD.items():
        period = Period.objects.get_by_code(code)
        EconomyFigures.objects.create(unit=yubei, period=period, rd_spending=value)
        Submission.objects.update_or_create(unit=yubei, period=period, defaults={"state": SubmissionState.APPROVED})
    World.compute()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_unit_trend_ends_at_the_chosen_quarter_and_draws_ytd_money_as_quarterly_bars_with_the_ytd_line(
    width, yubei_rd, city_viewer, live_server, chromium
):
    # The quarters' own amounts, by hand: Q1 as reported, then each year-to-date figure less the one before.
    quarterly = [100, 150, 80, 170]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "city_viewer")
        page.goto(f"{live_server.url}/dashboards/units/500112/?{PLAN}&period=2023Q3&indicator=tech_smes")
        page.wait_for_function(READY, timeout=20000)
        index = page.eval_on_selector_all("[data-chart=trend]", """nodes => nodes.findIndex(
            n => n.getAttribute('aria-label').startsWith('全社会研发经费投入'))""")
        rd = page.evaluate(SERIES, f"[data-chart=trend][data-index='{index}']")
        smes = page.evaluate(SERIES, "[data-chart=trend][data-index='0']")
        page.locator(f"[data-chart=trend][data-index='{index}']").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"charts-unit-ytd-{width}.png"))

    assert rd["axis"][-1] == "2023Q3" and smes["axis"][-1] == "2023Q3"  # nothing after the chosen quarter
    assert "2023Q4" not in rd["axis"]
    assert rd["legend"][:2] == ["单季发生额", "年初累计"] and rd["types"][:2] == ["bar", "line"]
    at = {period: i for i, period in enumerate(rd["axis"])}
    assert [rd["data"][0][at[p]] for p in ("2023Q1", "2023Q2", "2023Q3")] == quarterly[:3]
    assert [rd["data"][1][at[p]] for p in ("2023Q1", "2023Q2", "2023Q3")] == [100, 250, 330]
    # The double-doubling plan sets no target for 渝北 alone: no target line, no plan path, no target column.
    assert "目标值" not in smes["legend"] and "计划路径" not in smes["legend"]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_overview_hides_target_columns_the_plan_lacks_and_the_map_opens_a_unit_page(
    width, reported, city_viewer, live_server, chromium  # noqa: F811
):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "city_viewer")
        page.goto(f"{live_server.url}/dashboards/?{PLAN}&period=2023Q4&indicator=tech_smes")
        page.wait_for_function(READY, timeout=20000)
        headings = page.eval_on_selector_all("#ranking th", "ths => ths.filter(t => !t.hidden).map(t => t.innerText)")
        city_trend = page.evaluate(SERIES, "[data-chart=trend][data-index='0']")
        map_state = page.evaluate("""() => {
          const chart = window.portalCharts.find(c => c.getOption().series[0].type === 'map');
          const option = chart.getOption();
          const yubei = option.series[0].data.find(d => d.unit === '渝北区');
          const tip = option.tooltip[0].formatter({name: yubei.name, data: yubei});
          return {tip, noData: option.graphic[0].elements.map(e => e.style && e.style.text).filter(Boolean),
                  hoverLabel: option.series[0].emphasis.label.show};
        }""")
        page.locator("[data-chart=map]").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"charts-overview-map-{width}.png"))
        point = page.evaluate("""() => {
          const node = document.querySelector('[data-chart=map]');
          const chart = window.portalCharts.find(c => c.getDom() === node);
          const series = chart.getModel().getSeriesByIndex(0);
          const name = chart.getOption().series[0].data.find(d => d.unit === '渝北区').name;
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, series.coordinateSystem.getRegion(name).getCenter());
          const box = node.getBoundingClientRect();
          return [box.left + x, box.top + y];
        }""")
        page.mouse.move(*point)
        tooltip = page.locator("[data-chart=map] div").filter(has_text="渝北区").last.inner_text(timeout=5000)
        with page.expect_navigation():
            page.mouse.click(*point)
        landed = page.url

    assert "目标/配额" not in headings and "完成进度（%）" not in headings and "状态" not in headings
    assert "区县单位" in headings and "数值" in headings
    assert "目标值" in city_trend["legend"]  # the city has a target in this plan: its line stays
    tip = map_state["tip"]
    assert tip.count("数值") == 1 and "状态" not in tip and "渝北区" in tip
    assert map_state["noData"] == ["无数据"] and map_state["hoverLabel"] is True
    assert tooltip.count("数值") == 1 and "渝北区" in tooltip  # shown on hover
    assert "/dashboards/units/500112/" in landed and "period=2023Q4" in landed
