"""A leader finds the quarter's brief from the overview, on a desktop and on a phone, and downloads the PDF.

Screenshots go to test-artifacts/."""
import re

import pytest

from briefs.choices import BriefTrigger
from briefs.services import brief_generate
from conftest import ARTIFACTS, log_in
from districts.models import Period, Unit
from evaluation.tests.conftest import pdf_text
from indicators.models import Plan

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [1366, 390])
def test_a_leader_opens_the_quarters_brief_from_the_overview(reported, city_viewer, live_server, chromium, width):
    brief_generate(plan=Plan.objects.get(code="guidance-2022"), period=Period.objects.get_by_code("2023Q4"),
                   trigger=BriefTrigger.COMPLETED)
    city_total = sum(reported[unit.code, "2023Q4"] for unit in Unit.objects.filter(counts_toward_city_total=True))

    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "city_viewer")
        page.goto(f"{live_server.url}/dashboards/?plan=guidance-2022&period=2023Q4")
        page.click("#brief-link")
        page.wait_for_selector("#download-brief")
        fits = page.evaluate(NO_SIDEWAYS_SCROLL)
        page.screenshot(path=str(ARTIFACTS / f"briefs-{width}.png"), full_page=True)
        href = page.get_attribute("#download-brief", "href")
        download = page.request.get(f"{live_server.url}{href}")
        content_type, pdf = download.headers["content-type"], download.body()

    assert fits
    assert content_type == "application/pdf"
    text = re.sub(r"\s+", "", pdf_text(pdf))
    assert "2023Q4季度简报" in text
    assert f"全市{city_total:,}家" in text
