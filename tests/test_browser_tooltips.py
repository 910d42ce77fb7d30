"""Chart tooltips are HTML that ECharts builds from names users typed: they show the markup as text."""
import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat

from conftest import log_in
from districts.models import Unit, UnitGroup
from evaluation.tests.conftest import draft, period, published, scheme  # noqa: F401
from indicators.tests.conftest import reported  # noqa: F401

pytestmark = pytest.mark.browser

HOSTILE = '<img src="x" class="injected">'
QUERY = "plan=double-doubling-2027&period=2023Q4&indicator=tech_smes"
# Shows the tooltip of the first data item of every chart on the page, and returns what the page then holds.
SHOW_EVERY_TOOLTIP = """
(charts) => {
  charts.forEach((chart) => chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: 0 }));
  return new Promise((done) => setTimeout(() => done({
    injected: document.querySelectorAll("img.injected").length,
    // ECharts puts the tooltip's HTML in a div beside the one holding the canvas.
    tooltips: charts.flatMap((chart) => Array.from(chart.getDom().querySelectorAll(":scope > div"))
      .filter((div) => !div.querySelector("canvas")).map((div) => div.innerText)),
  }), 500));
}
"""


@pytest.fixture
def hostile_names(reported, published):  # noqa: F811
    Unit.objects.update(name=Concat(F("name"), Value(HOSTILE)))
    UnitGroup.objects.update(name=Concat(F("name"), Value(HOSTILE)))
    return published


def test_names_with_markup_show_as_text_in_every_chart_tooltip(hostile_names, city_staff, live_server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, live_server.url, "city_staff")

    shown = {}
    for name, path, charts in (
        ("overview", f"/dashboards/?{QUERY}", "window.portalCharts"),
        ("report", f"/evaluation/{hostile_names.pk}/",
         '["dimension-chart", "radar-chart"].map((id) => echarts.getInstanceByDom(document.getElementById(id)))'),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_selector("canvas", timeout=20000)
        shown[name] = page.evaluate(f"({SHOW_EVERY_TOOLTIP})({charts})")

    assert {name: result["injected"] for name, result in shown.items()} == dict.fromkeys(shown, 0)
    assert {name: any(HOSTILE in text for text in result["tooltips"]) for name, result in shown.items()} == \
        dict.fromkeys(shown, True), shown
