"""What a clerk and city staff see first: a returned quarter says why, who and when at the top of the quarter page
and on the home card; the periods list offers one clear action per quarter. Checked at a desk and on a phone."""
import datetime

import pytest

from conftest import ARTIFACTS, log_in
from districts.models import Period
from districts.services import figures_save, period_close, period_open, submission_return, submission_submit

pytestmark = pytest.mark.browser
WIDTHS = [1366, 390]
REASON = "研发经费投入比去年同期下降 45%，请核实第三季度的累计数并补充情况说明。"


@pytest.fixture
def returned(yubei_submission, yubei_clerk, city_staff, yubei):
    figures_save(user=yubei_clerk, unit=yubei, period=yubei_submission.period, values={"enterprises.tech_smes": 10})
    submission_submit(user=yubei_clerk, submission=yubei_submission)
    city_staff.first_name = "张工"
    city_staff.save()
    submission = submission_return(user=city_staff, submission=yubei_submission, comment=REASON)
    return submission.events.get(action="return")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_returned_quarter_shows_the_reason_who_and_when_on_the_home_card_and_above_the_form(
    width, returned, live_server, chromium
):
    when = returned.at.astimezone().strftime("%Y-%m-%d %H:%M")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "yubei_staff")
        card = page.inner_text("#quarter-card #returned")
        page.screenshot(path=str(ARTIFACTS / f"returned-home-{width}.png"))
        page.goto(f"{live_server.url}/quarters/2026Q3/500112/")
        banner = page.inner_text("#returned")
        banner_top = page.eval_on_selector("#returned", "b => b.getBoundingClientRect().top")
        form_top = page.eval_on_selector("#quarter-form", "f => f.getBoundingClientRect().top")
        page.screenshot(path=str(ARTIFACTS / f"returned-quarter-{width}.png"))

    for text in (card, banner):
        assert REASON in text and "张工" in text and when in text
    assert banner_top < form_top and banner_top < 900  # seen without scrolling, before the figures


def test_a_quarter_that_was_resubmitted_no_longer_shows_the_return_banner(returned, yubei_clerk, client_for):
    submission_submit(user=yubei_clerk, submission=returned.submission)
    html = client_for(yubei_clerk).get("/quarters/2026Q3/500112/").content.decode()
    assert 'id="returned"' not in html


@pytest.mark.parametrize("width", WIDTHS)
def test_the_periods_list_offers_one_clear_action_per_quarter(width, quarter, city_staff, live_server, chromium):
    for code in ("2026Q1", "2026Q2"):
        period = Period.objects.get_by_code(code)
        period_open(user=city_staff, period=period, deadline=datetime.date(2026, 7, 25))
        period_close(user=city_staff, period=period)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, live_server.url, "city_staff")
        page.goto(f"{live_server.url}/quarters/")
        rows = page.eval_on_selector_all("tr[data-status]", """rows => rows.map(row => ({
            status: row.dataset.status,
            buttons: [...row.querySelectorAll('button')].filter(b => b.checkVisibility()).map(b => b.innerText.trim()),
            dates: [...row.querySelectorAll('input[type=date]')].filter(i => i.checkVisibility()).length}))""")
        page.screenshot(path=str(ARTIFACTS / f"periods-{width}.png"))
        scroll = page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    by_status = {}
    for row in rows:
        by_status.setdefault(row["status"], []).append(row)
    assert [(r["buttons"], r["dates"]) for r in by_status["open"]] == [(["关闭填报"], 0)]
    assert by_status["closed"] and all(r["buttons"] == [] and r["dates"] == 0 for r in by_status["closed"])
    planned = by_status["planned"]
    assert (planned[0]["buttons"], planned[0]["dates"]) == (["开放填报"], 1)  # the next quarter only
    assert all(r["buttons"] == [] for r in planned[1:])
    assert scroll
