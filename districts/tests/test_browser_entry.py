"""The main path in a real browser: a clerk fills and submits a quarter, city staff approve, the clerk is locked out."""
import pytest

from conftest import ARTIFACTS, log_in
from districts.models import Submission
from enterprises.models import EnterpriseFigures

pytestmark = pytest.mark.browser
URL = "/quarters/2026Q3/500112/"


def phone_logged_in(browser, live_server, username):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # a phone
    log_in(page, live_server.url, username)
    page.goto(f"{live_server.url}{URL}")
    page.wait_for_selector("#quarter-form")
    return page


def test_a_clerk_submits_with_an_explanation_city_staff_approve_and_the_quarter_locks(
    live_server, chromium, yubei_clerk, city_staff, yubei, yubei_submission, record
):
    record(yubei, "2026Q2", {"enterprises.tech_smes": 100})
    with chromium() as browser:
        clerk = phone_logged_in(browser, live_server, "yubei_staff")
        clerk.fill("[name='enterprises.tech_smes']", "300")
        clerk.fill("[name='enterprises.specialised_smes']", "10")
        clerk.fill("[name='enterprises.little_giants']", "1")
        clerk.click("button[value=submit]")
        explanation = clerk.locator("[name='explain:enterprises.tech_smes']")
        explanation.wait_for()
        warning = clerk.inner_text("#problems")
        clerk.fill("[name='enterprises.little_giants']", "2")
        clerk.click("button[value=save]")  # a draft saves without the explanation (only submitting needs it)
        clerk.wait_for_selector(".message-success")
        explanation.fill("本季度新入库企业集中认定")
        clerk.screenshot(path=str(ARTIFACTS / "quarter-warning-phone.png"), full_page=True)
        clerk.click("button[value=submit]")
        clerk.wait_for_selector("#state")
        state_after_submit = clerk.inner_text("#state")

        staff = phone_logged_in(browser, live_server, "city_staff")
        staff.click("button[value=approve]")
        staff.wait_for_selector("#state")
        state_after_approval = staff.inner_text("#state")

        clerk.reload()
        locked = clerk.is_disabled("[name='enterprises.tech_smes']")
        save_buttons = clerk.locator("button[value=save]").count()
        clerk.screenshot(path=str(ARTIFACTS / "quarter-approved-phone.png"), full_page=True)

    assert "超过 50%" in warning
    assert (state_after_submit, state_after_approval) == ("已提交", "已审核通过")
    assert locked and save_buttons == 0
    submission = Submission.objects.get(pk=yubei_submission.pk)
    assert submission.state == "approved"
    assert submission.notes.get(kind="explanation").text == "本季度新入库企业集中认定"
    figures = EnterpriseFigures.objects.get(unit=yubei, period=submission.period)
    assert (figures.tech_smes, figures.little_giants) == (300, 2)
