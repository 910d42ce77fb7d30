"""The quarter being filled in: the overview shows what is known (how many approved, the approved units
ranked, the others after them as 未审核, city and group totals waiting for named units), offers it beside
the latest complete quarter, and an approval says where its numbers will show."""
import re

import pytest

from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from enterprises.models import EnterpriseFigures
from indicators.tests.conftest import World

PLAN = "double-doubling-2027"
APPROVED = 21


@pytest.fixture
def filling_in(reported):
    """2024Q1: the first 21 units (in the units' order) approved, the others submitted."""
    period = Period.objects.get_by_code("2024Q1")
    units = list(Unit.objects.order_by("order", "code"))
    for index, unit in enumerate(units):
        EnterpriseFigures.objects.create(unit=unit, period=period, tech_smes=500 - index)
        state = SubmissionState.APPROVED if index < APPROVED else SubmissionState.SUBMITTED
        Submission.objects.create(unit=unit, period=period, state=state)
    World.compute()
    return units


def overview(client, **query):
    return client.get("/dashboards/", {"plan": PLAN, "indicator": "tech_smes", **query}).content.decode()


def ranking_rows(html: str) -> list[tuple[str, str]]:
    """(unit code, rank cell text) of each ranking row, in the page's order."""
    table = html[html.index('id="ranking"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr data-unit="([^"]+)"[^>]*>\s*<td[^>]*>(.*?)</td>', table, re.S)
    return [(code, re.sub(r"<[^>]+>", "", cell).strip()) for code, cell in rows]


def test_the_overview_of_a_quarter_being_filled_in_shows_what_is_known(filling_in, city_viewer, client_for):
    html = overview(client_for(city_viewer), period="2024Q1")

    assert f"<strong>{APPROVED}/{len(filling_in)}</strong> 已审核" in html
    rows = ranking_rows(html)
    approved_codes = [u.code for u in filling_in[:APPROVED]]
    assert [code for code, _rank in rows[:APPROVED]] == approved_codes, "approved units first, by their value"
    assert [rank for _code, rank in rows[:APPROVED]] == [str(n) for n in range(1, APPROVED + 1)]
    assert {rank for _code, rank in rows[APPROVED:]} == {"未审核"}
    waiting = [u for u in filling_in[APPROVED:] if u.counts_toward_city_total]
    assert f"全市合计等待 {len(waiting)} 个单位审核" in html
    assert all(unit.name in html[html.index('data-field="waiting"'):html.index("</details>")] for unit in waiting)


def test_the_overview_offers_the_quarter_being_filled_in_beside_the_latest_complete_one(
    filling_in, city_viewer, client_for
):
    html = overview(client_for(city_viewer))

    links = html[html.index('id="quarter-links"'):]
    links = links[:links.index("</p>")]
    assert "最新完整季度 2023Q4" in links and "正在审核的最新季度 2024Q1" in links
    assert "<strong>41/41</strong> 已审核" in html, "the default is still the latest complete quarter"


def test_an_approval_says_the_dashboards_are_being_updated_with_a_link_to_the_unit_there(
    reported, city_staff, client_for
):
    yubei, period = Unit.objects.get(code="500112"), Period.objects.get_by_code("2024Q1")
    EnterpriseFigures.objects.create(unit=yubei, period=period, tech_smes=900)
    submission = Submission.objects.create(unit=yubei, period=period, state=SubmissionState.SUBMITTED)

    response = client_for(city_staff).post(f"/quarters/{period.code}/{yubei.code}/", {"action": "approve"},
                                           follow=True)

    html = response.content.decode()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.APPROVED
    assert "看板正在按新数据更新" in html, html[html.find("messages"):html.find("messages") + 800]
    assert 'href="/dashboards/units/500112/?period=2024Q1" id="approved-on-dashboards"' in html


def test_a_viewer_cannot_approve_and_hears_nothing_of_the_dashboards(reported, city_viewer, client_for):
    yubei, period = Unit.objects.get(code="500112"), Period.objects.get_by_code("2024Q1")
    submission = Submission.objects.create(unit=yubei, period=period, state=SubmissionState.SUBMITTED)

    html = client_for(city_viewer).post(f"/quarters/{period.code}/{yubei.code}/", {"action": "approve"},
                                        follow=True).content.decode()

    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED
    assert "approved-on-dashboards" not in html


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
def test_a_leader_sees_the_quarter_being_filled_in_and_follows_a_value_to_its_quarter(
    filling_in, city_viewer, live_server, chromium, width
):
    from conftest import ARTIFACTS, log_in
    from indicators.tests.test_browser import CHARTS_READY

    first = filling_in[0]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "city_viewer")
        page.goto(f"{live_server.url}/dashboards/?plan={PLAN}&period=2024Q1&indicator=tech_smes")
        page.wait_for_function(CHARTS_READY, timeout=20000)
        count = page.inner_text("#approval-count")
        card = page.inner_text("[data-indicator=tech_smes] [data-field=waiting]")
        ranks = page.eval_on_selector_all("#ranking tbody tr td:first-child", "cells => cells.map(c => c.innerText)")
        page.screenshot(path=str(ARTIFACTS / f"dashboard-quarter-being-filled-in-{width}.png"), full_page=True)
        page.click(f"#ranking tr[data-unit='{first.code}'] [data-field=value] a")
        page.wait_for_load_state()
        landed = page.url
        events = page.inner_text("#events")

    assert count.startswith(f"{APPROVED}/{len(filling_in)} 已审核")
    assert card.startswith("全市合计等待")
    assert ranks[:3] == ["1", "2", "3"] and set(ranks[APPROVED:]) == {"未审核"}
    assert landed.endswith(f"/quarters/2024Q1/{first.code}/#events")
    assert "报送记录" in events
