"""Leaders print the overview, a unit page and the outcome page on A4: a print button on each, charts scaled
whole to the paper (axes kept), the map on the same page as its heading, every table column on the paper.
Printed with Chromium's own PDF printing; the pages are rendered to PNG in test-artifacts/ to be looked at."""
import shutil
import subprocess

import pytest

from conftest import ARTIFACTS, log_in
from indicators.tests.conftest import reported  # noqa: F401

pytestmark = pytest.mark.browser

QUERY = "plan=double-doubling-2027&period=2023Q4&indicator=tech_smes"
PAGES = {
    "overview": f"/dashboards/?{QUERY}",
    "unit": f"/dashboards/units/500112/?{QUERY}",
    "outcome": f"/dashboards/outcome/?{QUERY}",
}
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-chart]')].every(c => c.querySelector('canvas'))
  && (!document.querySelector('[data-chart=map]') || document.querySelector('[data-chart=map]').dataset.rendered)"""
# Under print media at the A4 content width: what sticks out of the paper or of its own box.
ON_PAPER = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const node of document.querySelectorAll('main table, main canvas, main h2')) {
    const box = node.getBoundingClientRect();
    if (box.right > width + 1) out.push(node.tagName + ' ' + (node.id || node.textContent.slice(0, 20)));
  }
  for (const chart of document.querySelectorAll('[data-chart]')) {
    const canvas = chart.querySelector('canvas').getBoundingClientRect(), box = chart.getBoundingClientRect();
    if (canvas.bottom > box.bottom + 1 || canvas.right > box.right + 1) out.push('chart cut ' + chart.dataset.chart);
  }
  return out;
}"""
A4_CONTENT = {"width": 687, "height": 1000}  # 210 mm less 2 × 14 mm margins, in CSS pixels


def pdf_pages_text(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def render_pngs(pdf, name):
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"print-{name}")], check=True)


@pytest.fixture
def quotas_met_at_2023q4(reported):  # noqa: F811
    """Each unit's quota of 150 tech SMEs at 2023Q4, so the outcome page has a table of all 41 units to print."""
    from districts.models import Period, Unit
    from indicators.choices import Scope
    from indicators.models import Indicator, Plan, Target
    from indicators.tests.conftest import World

    plan, period = Plan.objects.get(code="double-doubling-2027"), Period.objects.get_by_code("2023Q4")
    indicator = Indicator.objects.get(code="tech_smes")
    for unit in Unit.objects.all():
        Target.objects.create(plan=plan, indicator=indicator, period=period, scope=Scope.UNIT, unit=unit, value=150)
    World.compute()


@pytest.fixture
def poppler():
    if not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils)")


def test_the_dashboards_print_on_a4_with_whole_charts_the_map_beside_its_heading_and_every_column(
    poppler, reported, quotas_met_at_2023q4, city_viewer, live_server, chromium  # noqa: F811
):
    before, after = reported["500112", "2022Q4"], reported["500112", "2023Q4"]
    yubei_growth = f"{(after - before) / before * 100:.1f}%"  # the ranking's last column for 渝北区
    found = {}
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        log_in(context.new_page(), live_server.url, "city_viewer")
        for name, path in PAGES.items():
            page = context.new_page()
            page.goto(live_server.url + path)
            page.wait_for_function(CHARTS_DRAWN, timeout=20000)
            button = page.is_visible("button[data-print]")
            pdf = ARTIFACTS / f"print-{name}.pdf"
            page.pdf(path=str(pdf), format="A4", print_background=True)
            page.set_viewport_size(A4_CONTENT)
            page.emulate_media(media="print")
            found[name] = {"button": button, "sticking_out": page.evaluate(ON_PAPER),
                           "button_printed": page.is_visible("button[data-print]"), "pdf": pdf}

    for name, seen in found.items():
        render_pngs(seen["pdf"], name)
        assert seen["button"] and not seen["button_printed"], name
        assert seen["sticking_out"] == [], name
    pages = pdf_pages_text(found["overview"]["pdf"])
    map_page = next(i for i, text in enumerate(pages) if "区县地图" in text)
    assert "功能区（不计入" in pages[map_page] and "两江新区" in pages[map_page]  # the map's zones, same page
    ranking = "".join(pages[next(i for i, text in enumerate(pages) if "区县排名" in text):])
    assert "同比增长" in ranking and "渝北区" in ranking and yubei_growth in ranking  # the last column is on paper
    outcome = "".join(pdf_pages_text(found["outcome"]["pdf"]))
    assert "差额占目标" in outcome and "彭水" in outcome and "完成" in outcome  # every column, the last unit
