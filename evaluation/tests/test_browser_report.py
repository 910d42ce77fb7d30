"""A leader on a phone opens the published report, sees the charts and downloads the PDF."""
import pytest

from conftest import ARTIFACTS
from evaluation.tests.conftest import pdf_text

pytestmark = pytest.mark.browser


def test_the_report_renders_with_charts_and_its_pdf_downloads_with_the_ranking(
    published, city_viewer, live_server, browser
):
    page = browser.new_page(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "city_viewer")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/evaluation/{published.pk}/")
    page.wait_for_selector("#dimension-chart canvas")
    page.wait_for_selector("#radar-chart canvas")
    assert "渝中区" in page.inner_text("#ranking tbody tr:first-child")
    page.screenshot(path=str(ARTIFACTS / "evaluation-report-phone.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("#download-pdf")
    path = ARTIFACTS / "evaluation-report.pdf"
    download_info.value.save_as(path)
    cells = pdf_text(path.read_bytes()).split("\n")
    assert "综合排名" in "".join(cells)
    at = cells.index("渝中区")
    assert cells[at - 1: at + 2] == ["1", "渝中区", "55.00"]
