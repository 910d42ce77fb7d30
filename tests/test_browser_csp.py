"""The pages leaders use work under the Content-Security-Policy: no violation reported, charts drawn."""
import pytest

from conftest import ARTIFACTS, log_in
from evaluation.tests.conftest import draft, period, published, scheme  # noqa: F401
from indicators.tests.conftest import reported  # noqa: F401

pytestmark = pytest.mark.browser

# Recorded from the first script the page runs, so a violation during parsing is caught too.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI + ' ' + (event.sourceFile || ''));
});
"""
QUERY = "plan=double-doubling-2027&period=2023Q4&indicator=tech_smes"


def test_the_dashboards_quarter_page_and_report_run_under_the_csp_without_a_violation(
    reported, published, city_staff, live_server, browser  # noqa: F811
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))

    response = page.goto(f"{live_server.url}/accounts/login/")
    policy = response.headers["content-security-policy"]
    page.fill("input[name=username]", "city_staff")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    visited = {}
    for name, path, charts in (
        ("overview", f"/dashboards/?{QUERY}", "[data-chart] canvas"),
        ("unit", f"/dashboards/units/500112/?{QUERY}", "[data-chart] canvas"),
        ("quarter", "/quarters/2023Q4/500112/", None),
        ("report", f"/evaluation/{published.pk}/", "#dimension-chart canvas"),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if charts:
            page.wait_for_selector(charts, timeout=20000)
        visited[name] = (page.evaluate("window.cspViolations"), page.locator("canvas").count())
        page.screenshot(path=str(ARTIFACTS / f"csp-{name}.png"), full_page=True)

    # The language switch submits through static/js/autosubmit.js, not an inline handler.
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    switched = page.evaluate("document.documentElement.lang")

    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "frame-ancestors 'none'", "form-action 'self'", "img-src 'self' data:"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert {name: violations for name, (violations, _) in visited.items()} == dict.fromkeys(visited, [])
    assert not [text for text in console if "Content Security Policy" in text]
    assert visited["overview"][1] >= 2 and visited["unit"][1] >= 1 and visited["report"][1] >= 1
    assert switched == "en"


def test_the_admin_export_page_toggles_every_field_under_the_csp(city_staff, live_server, browser):
    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server.url, "city_staff")

    page.goto(f"{live_server.url}/admin/platforms/platform/export/")
    page.wait_for_load_state("networkidle")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    page.uncheck("#select-all-toggle")
    after_unchecking = [fields.nth(i).is_checked() for i in range(fields.count())]
    page.check("#select-all-toggle")
    after_checking = [fields.nth(i).is_checked() for i in range(fields.count())]

    assert page.evaluate("window.cspViolations") == []
    assert len(after_unchecking) >= 2
    assert not any(after_unchecking) and all(after_checking)
