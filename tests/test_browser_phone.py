"""Leaders and clerks read the portal on phones: at 390 px no page scrolls sideways, the menu folds behind
one button, wide tables scroll inside their own box with the row's name kept in view, and Chinese labels
never stack one character a line. Every page of each persona's menu is visited, as found in the menu."""
import pytest

from conftest import ARTIFACTS, log_in
from indicators.tests.conftest import reported  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
QUERY = "plan=double-doubling-2027&period=2023Q4&indicator=tech_smes"
# Pages reached from the menu's pages rather than the menu itself, checked as well.
LINKED = [f"/dashboards/units/500112/?{QUERY}", "/dashboards/outcome/?plan=guidance-2022",
          "/quarters/2023Q4/500112/", "/quarters/2023Q4/"]

LAYOUT = """() => {
  const squeezed = [];
  const labels = 'main :is(th, td, a, button, label, h1, h2, h3, li, span, strong, mark, p)';
  for (const node of document.querySelectorAll(labels)) {
    const text = (node.innerText || '').trim();
    if (!node.offsetParent || text.length < 2) continue;
    const size = parseFloat(getComputedStyle(node).fontSize), box = node.getBoundingClientRect();
    if (box.width < size * 1.9 && box.height > size * 2.6) squeezed.push(text.slice(0, 20));
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth, squeezed};
}"""


def menu_links(page) -> list[str]:
    return page.eval_on_selector_all("#nav-links a[href^='/']", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("persona", ["city_viewer", "city_staff", "yubei_clerk"])
def test_at_390_px_no_page_of_the_menu_scrolls_sideways_and_no_label_stacks_one_character_a_line(
    persona, request, reported, live_server, chromium  # noqa: F811
):
    user = request.getfixturevalue(persona)
    found = {}
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        log_in(page, live_server.url, user.username)
        links = menu_links(page)
        for path in ["/", *links, *LINKED]:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            found[path] = page.evaluate(LAYOUT)
            shot = path.strip("/").split("?")[0].replace("/", "-") or "home"
            page.screenshot(path=str(ARTIFACTS / f"phone-{persona}-{shot}.png"))

    assert len(links) >= 5, links

    assert {path: f["scrollWidth"] for path, f in found.items() if f["scrollWidth"] > f["innerWidth"]} == {}
    assert {path: f["squeezed"] for path, f in found.items() if f["squeezed"]} == {}


def test_on_a_phone_the_menu_folds_behind_one_button_and_opens_on_a_tap(city_viewer, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    log_in(page, live_server.url, "city_viewer")
    folded = page.is_visible("#nav-links a[href='/dashboards/']")
    header_height = page.eval_on_selector("header", "h => h.getBoundingClientRect().height")
    page.click("label[for=nav-open]")
    opened = page.is_visible("#nav-links a[href='/dashboards/']")
    page.screenshot(path=str(ARTIFACTS / "phone-menu-open.png"))
    page.set_viewport_size({"width": 1366, "height": 800})
    page.reload()
    on_a_desk = page.is_visible("#nav-links a[href='/dashboards/']"), page.is_visible("label[for=nav-open]")

    assert not folded and header_height < 110
    assert opened
    assert on_a_desk == (True, False)


def test_on_a_phone_the_ranking_scrolls_in_its_box_with_the_unit_name_kept_in_view(
    reported, city_viewer, live_server, browser  # noqa: F811
):
    page = browser.new_page(viewport=PHONE)
    log_in(page, live_server.url, "city_viewer")
    page.goto(f"{live_server.url}/dashboards/?{QUERY}")
    box = page.eval_on_selector("#ranking", "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    page.eval_on_selector("#ranking", "t => { t.parentElement.scrollLeft = 400; t.scrollIntoView(); }")
    name = page.eval_on_selector("#ranking tr[data-unit='500112'] a", "a => a.getBoundingClientRect().left")
    page.screenshot(path=str(ARTIFACTS / "phone-ranking-scrolled.png"))

    assert box[0] > box[1]  # wider than the phone: it scrolls inside its box
    assert 0 <= name < 60  # the unit's name stays at the left edge after scrolling
