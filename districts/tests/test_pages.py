"""The quarter pages as their users meet them: the entry form, conflicts, the trail, completeness."""
import pytest

from districts.models import Submission
from districts.services import (
    figure_query_raise,
    figures_save,
    submission_approve,
    submission_reopen,
    submission_submit,
)
from enterprises.models import EnterpriseFigures

URL = "/quarters/2026Q3/500112/"


def page(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_quarter_page_shows_every_section_with_last_quarter_and_last_year(
    client_for, yubei_clerk, yubei, yubei_submission, record
):
    record(yubei, "2026Q2", {"enterprises.tech_smes": 1000})
    record(yubei, "2025Q3", {"enterprises.tech_smes": 800})
    figures_save(user=yubei_clerk, unit=yubei, period=yubei_submission.period, values={"enterprises.tech_smes": 1100})
    html = page(client_for(yubei_clerk))
    for heading in ("科技企业", "研发投入与产值", "资金到位与支出", "平台进展"):
        assert heading in html
    assert 'name="enterprises.tech_smes"' in html and 'value="1100"' in html
    assert ">1000<" in html and ">800<" in html
    assert f"{(1100 - 1000) / 1000 * 100:.1f}%" in html
    assert 'name="economy.zone_output"' in html  # offered, and refused with a message if filled (no zone)


def test_a_refused_save_keeps_what_was_typed_and_names_the_problem(client_for, yubei_clerk, yubei, yubei_submission):
    client = client_for(yubei_clerk)
    response = client.post(URL, {"action": "save", "version": yubei_submission.version,
                                 "enterprises.specialised_smes": "3", "enterprises.little_giants": "4"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "“小巨人”企业数（4）多于专精特新中小企业数（3）" in html and 'value="4"' in html
    assert not EnterpriseFigures.objects.filter(unit=yubei).exists()


def test_a_second_editor_gets_a_conflict_message_and_the_first_save_stands(
    client, django_user_model, yubei_clerk, yubei, yubei_submission
):
    from conftest import make_user
    from portal import roles

    colleague = make_user("yubei_colleague", roles.DISTRICT_STAFF, "500112", is_staff=True)
    loaded = yubei_submission.version
    client.force_login(colleague)
    assert client.post(URL, {"action": "save", "version": loaded, "enterprises.tech_smes": "500"}).status_code == 302
    client.force_login(yubei_clerk)
    response = client.post(URL, {"action": "save", "version": loaded, "enterprises.tech_smes": "400"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "已被他人修改" in html and "科技型企业（入库数）：400" in html and 'value="500"' in html
    assert EnterpriseFigures.objects.get(unit=yubei).tech_smes == 500


def test_submitting_with_an_unexplained_warning_asks_for_the_explanation(
    client_for, yubei_clerk, yubei, yubei_submission, record
):
    record(yubei, "2026Q2", {"enterprises.tech_smes": 100})
    client = client_for(yubei_clerk)
    response = client.post(URL, {"action": "submit", "version": yubei_submission.version,
                                 "enterprises.tech_smes": "300"})
    html = response.content.decode()
    assert 'name="explain:enterprises.tech_smes"' in html and "超过 50%" in html
    assert Submission.objects.get(pk=yubei_submission.pk).state == "draft"
    assert EnterpriseFigures.objects.get(unit=yubei, period=yubei_submission.period).tech_smes == 300  # draft kept
    version = Submission.objects.get(pk=yubei_submission.pk).version
    client.post(URL, {"action": "submit", "version": version, "enterprises.tech_smes": "300",
                      "explain:enterprises.tech_smes": "新认定一批"})
    assert Submission.objects.get(pk=yubei_submission.pk).state == "submitted"


def test_the_trail_shows_who_changed_what_and_each_workflow_step(
    client_for, yubei_clerk, city_staff, yubei, yubei_submission
):
    period = yubei_submission.period
    figures_save(user=yubei_clerk, unit=yubei, period=period, values={"enterprises.tech_smes": 10})
    figures_save(user=yubei_clerk, unit=yubei, period=period, values={"enterprises.tech_smes": 12})
    submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    submission_approve(user=city_staff, submission=yubei_submission)
    html = page(client_for(city_staff))
    history = html[html.index('id="history"'):]
    assert history.count("yubei_staff") == 2 and "科技型企业（入库数）" in history
    assert '<td class="num">10</td><td class="num">12</td>' in history.replace("\n", "").replace("  ", "")
    events = html[html.index('id="events"'):html.index('id="history"')]
    assert "提交" in events and "审核通过" in events and "city_staff" in events


def test_after_a_reopen_the_page_shows_what_changed_since_approval(
    client_for, yubei_clerk, city_staff, yubei, yubei_submission
):
    period = yubei_submission.period
    figures_save(user=yubei_clerk, unit=yubei, period=period, values={"enterprises.tech_smes": 10})
    submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    submission_approve(user=city_staff, submission=yubei_submission)
    submission_reopen(user=city_staff, submission=yubei_submission, reason="统计口径调整")
    figures_save(user=yubei_clerk, unit=yubei, period=period, values={"enterprises.tech_smes": 11})
    html = page(client_for(yubei_clerk))
    assert html.count("审核通过时为") == 1 and "审核通过时为 10" in html


def test_city_staff_flag_a_figure_and_the_unit_answers(client_for, yubei_clerk, city_staff, yubei_submission):
    query = figure_query_raise(user=city_staff, submission=yubei_submission, figure="enterprises.high_tech",
                               text="高企数与认定名单不符")
    client = client_for(yubei_clerk)
    assert "高企数与认定名单不符" in page(client)
    client.post(URL, {"action": "answer", "note": query.pk, "answer": "已按最新名单更正"})
    query.refresh_from_db()
    assert (query.answer, query.answered_by) == ("已按最新名单更正", yubei_clerk)


def test_a_locked_quarter_shows_disabled_inputs(client_for, yubei_clerk, yubei, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=yubei_submission.period, values={"enterprises.tech_smes": 1})
    submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    html = page(client_for(yubei_clerk))
    assert "已锁定" in html and 'value="save"' not in html
    assert "disabled" in html[html.index('name="enterprises.tech_smes"') - 200:][:600]


def test_completeness_counts_units_by_state_and_lists_who_has_not_submitted(
    client_for, city_viewer, yubei_clerk, wanzhou_clerk, yubei, yubei_submission
):
    figures_save(user=yubei_clerk, unit=yubei, period=yubei_submission.period, values={"enterprises.tech_smes": 1})
    submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    total = Submission.objects.filter(period=yubei_submission.period).count()
    html = page(client_for(city_viewer), "/quarters/2026Q3/")
    assert f"未提交 {total - 1} / {total}" in html
    missing = html[html.index('id="missing"'):html.index("全部单位</h2>")]
    assert "万州区" in missing and "渝北区" not in missing
    assert wanzhou_clerk.username in missing  # whom to remind
    assert "按时" in html


def test_completeness_is_for_municipal_users(client_for, yubei_clerk, quarter):
    assert client_for(yubei_clerk).get("/quarters/2026Q3/").status_code == 403


@pytest.mark.parametrize("persona, text", [("yubei_clerk", "我的季度填报"), ("city_staff", "填报期")])
def test_each_role_finds_its_quarters_from_the_home_page(client_for, request, persona, text, quarter):
    client = client_for(request.getfixturevalue(persona))
    home = page(client, "/")
    assert text in home and 'id="quarter-card"' in home
    assert "2026Q3" in page(client, "/quarters/")


def test_the_fund_rows_show_the_years_allocation(client_for, city_staff, yubei_clerk, yubei, quarter):
    from decimal import Decimal

    from funds.models import Fund, FundAllocation

    fund = Fund.objects.order_by("order").first()
    FundAllocation.objects.create(fund=fund, unit=yubei, year=quarter.year, allocated=Decimal("1200.50"))
    html = page(client_for(yubei_clerk))
    assert f"本年下达 {Decimal('1200.50'):,} 万元" in html
