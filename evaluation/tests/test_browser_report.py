"""A leader on a phone opens the published report, sees the charts and downloads the PDF."""
import pytest

from conftest import ARTIFACTS, log_in
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


@pytest.mark.parametrize("width", [1366, 390])
def test_the_methods_appendix_and_extremes_fit_the_screen_at_desk_and_phone_width(
    published, city_viewer, live_server, browser, width
):
    page = browser.new_page(viewport={"width": width, "height": 900})
    log_in(page, live_server.url, "city_viewer")
    page.goto(f"{live_server.url}/evaluation/{published.pk}/")
    methods = page.inner_text("#methods")
    assert "越低越好" in methods and "江北区（小巨人（测试：越少越好））" in methods
    # the appendix: 江北区 reported 30 tech SMEs, 5 high-tech enterprises and no little giants
    row = page.locator("#inputs tbody tr", has_text="江北区").inner_text().split("\t")
    assert [cell.strip() for cell in row] == ["江北区", "30", "5", "缺失"]
    page.locator("#inputs").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # wide tables scroll in their box
    page.screenshot(path=str(ARTIFACTS / f"evaluation-methods-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/evaluation/{published.pk}/sensitivity/")
    assert "重新归一仍为 1" in page.inner_text("#fixed-weights")
    assert "落选：江北区" in page.locator("#extremes tbody tr", has_text="科技型企业数").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"evaluation-sensitivity-{width}.png"), full_page=True)
