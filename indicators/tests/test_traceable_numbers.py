"""Traceable numbers: a unit's value on the dashboards links to the quarter it came from, where its approval (who,
when) and its figure's history (who entered it, when, old → new) are, within the viewer's access; a city total
says how many units it sums and links to their list."""
import re

import pytest

from districts.models import Period, Submission, Unit
from districts.services import ExplanationsMissing, figures_save, period_open, submission_approve, submission_submit
from indicators.tests.conftest import World

PLAN = "double-doubling-2027"
SMES = "enterprises.tech_smes"


@pytest.fixture
def corrected(reported, yubei_clerk, city_staff):
    """渝北 enters 2024Q1 (900), submits; city staff approve it, then correct it to 905. Others not approved."""
    yubei, period = Unit.objects.get(code="500112"), Period.objects.get_by_code("2024Q1")
    period_open(user=city_staff, period=period, deadline=None)
    figures_save(user=yubei_clerk, unit=yubei, period=period, values={SMES: 900})
    submission = Submission.objects.get(unit=yubei, period=period)
    try:
        submission_submit(user=yubei_clerk, submission=submission)
    except ExplanationsMissing as missing:  # a jump from 2023Q4: explain it
        submission_submit(user=yubei_clerk, submission=submission,
                          explanations={w.figure: "新增入库企业" for w in missing.problems})
    submission_approve(user=city_staff, submission=submission)
    figures_save(user=city_staff, unit=yubei, period=period, values={SMES: 905})
    World.compute()
    return yubei, period


def ranking_value_link(html: str, code: str) -> str | None:
    row = re.search(rf'<tr data-unit="{code}".*?</tr>', html, re.S).group(0)
    link = re.search(r'data-field="value"><a href="([^"]+)"', row)
    return link.group(1) if link else None


def test_a_units_value_in_the_ranking_leads_to_its_approval_and_its_figures_history(
    corrected, city_viewer, client_for
):
    client = client_for(city_viewer)
    html = client.get("/dashboards/", {"plan": PLAN, "period": "2024Q1", "indicator": "tech_smes"}).content.decode()

    link = ranking_value_link(html, "500112")
    assert link == "/quarters/2024Q1/500112/#events"
    assert ranking_value_link(html, "500101") is None, "万州 is not approved: nothing to trace yet"
    quarter = client.get(link.split("#")[0]).content.decode()
    events = quarter[quarter.index('id="events"'):quarter.index('id="history"')]
    assert re.search(r"<td>审核通过</td><td>city_staff</td>", events)
    history = quarter[quarter.index('id="history"'):]
    change = r'<td>{who}</td><td>[^<]*科技型企业[^<]*</td>\s*<td class="num">{old}</td><td class="num">{new}</td>'
    assert re.search(change.format(who="city_staff", old="900", new="905"), history)
    assert re.search(change.format(who="yubei_staff", old="—", new="900"), history)


def test_the_unit_page_links_each_approved_value_to_its_quarter(corrected, city_viewer, client_for):
    page = client_for(city_viewer).get("/dashboards/units/500112/", {"plan": PLAN, "period": "2024Q1"})

    html = page.content.decode()

    row = re.search(r'<tr data-indicator="tech_smes">.*?</tr>', html, re.S).group(0)
    assert 'href="/quarters/2024Q1/500112/#events"' in row


def test_a_clerk_of_another_district_cannot_follow_the_trace(corrected, wanzhou_clerk, client_for):
    client = client_for(wanzhou_clerk)
    html = client.get("/dashboards/", {"plan": PLAN, "period": "2024Q1", "indicator": "tech_smes"}).content.decode()

    assert "/quarters/2024Q1/500112/" not in html
    assert client.get("/quarters/2024Q1/500112/").status_code == 404


def test_a_city_total_says_how_many_units_it_sums_and_links_to_their_list(reported, city_viewer, client_for):
    html = client_for(city_viewer).get("/dashboards/", {"plan": PLAN, "period": "2023Q4"}).content.decode()

    card = html[html.index('data-indicator="tech_smes"'):]
    card = card[:card.index("</article>")]
    counted = Unit.objects.filter(counts_toward_city_total=True).count()
    link = rf'<a href="\?[^"]*indicator=tech_smes[^"]*#ranking">合计 {counted} 个区县（功能区不计入）</a>'
    assert re.search(link, card)
