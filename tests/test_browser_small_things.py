"""Small things a newcomer notices: the admin carries the portal's name, every page has a favicon, and the
Swagger UI runs under the Content-Security-Policy without a console error."""
import pytest

from conftest import ARTIFACTS, log_in

pytestmark = pytest.mark.browser


def test_the_api_docs_run_without_console_errors_and_the_admin_is_titled_with_the_portals_name(
    city_staff, live_server, browser
):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server.url, "city_staff")
    home_icon = page.get_attribute("link[rel~=icon]", "href")

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    docs_icon = page.get_attribute("link[rel~=icon]", "href")
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"))

    page.goto(f"{live_server.url}/admin/")
    admin = page.title(), page.inner_text("#site-name"), page.get_attribute("link[rel~=icon]", "href")
    page.screenshot(path=str(ARTIFACTS / "admin-home.png"))
    icon = page.request.get(live_server.url + home_icon)

    assert errors == []
    assert admin[0] == "管理后台 | 区县科技创新监测平台" and admin[1] == "区县科技创新监测平台"
    assert home_icon == docs_icon == admin[2] and icon.ok and "svg" in icon.headers["content-type"]
