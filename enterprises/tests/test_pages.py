"""The registry page: the registry's count beside the reported figure, and the forecast, for whom may see them."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import ARTIFACTS, make_user
from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from enterprises.comparison import Cell
from enterprises.lists import status_list_import
from enterprises.models import EnterpriseFigures
from enterprises.services import enterprise_update, status_record_revoke, status_record_save

D = datetime.date


@pytest.fixture
def yubei_reported(make_enterprise, city_staff):
    """渝北 reported 5 high-tech enterprises for 2025Q4 (approved); the registry holds 3 on 31 December."""
    yubei, quarter = Unit.objects.get(code="500112"), Period.objects.get_by_code("2025Q4")
    EnterpriseFigures.objects.create(unit=yubei, period=quarter, tech_smes=40, high_tech=5)
    Submission.objects.create(unit=yubei, period=quarter, state=SubmissionState.APPROVED)
    for n, issued in enumerate((D(2023, 1, 1), D(2024, 6, 1), D(2025, 12, 31), D(2026, 1, 1))):
        firm = make_enterprise("500112", f"渝北高新{n}有限公司")
        status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=issued)
    status_record_save(user=city_staff, enterprise=make_enterprise("500101", "万州高新有限公司"), kind="high_tech",
                       issued=D(2025, 3, 1))


def rows_of(client, **query):
    response = client.get("/registry/", {"period": "2025Q4", "target": "2026-12-31", **query})
    assert response.status_code == 200
    return {row.label: row for row in response.context["rows"]}


def test_the_registry_count_stands_beside_the_approved_reported_figure(yubei_reported, client_for, city_viewer):
    rows = rows_of(client_for(city_viewer))
    tech, high_tech = rows["渝北区"].cells[:2]
    assert (tech, high_tech, high_tech.difference) == (Cell(40, 0), Cell(5, 3), -2)
    assert rows["万州区"].cells[1] == Cell(None, 1)  # not approved: no reported figure to compare
    city = rows["全市（不含功能区）"]
    assert city.missing == 37 and city.cells[1] == Cell(None, 4)  # 37 divisions not approved


def test_the_chain_counts_each_status_held_at_the_quarters_end(yubei_reported, client_for, city_viewer):
    rows = rows_of(client_for(city_viewer))
    # Kinds in the chain's order: tech-based, high-tech, 专精特新, little giant, listed, listing reserve.
    assert rows["渝北区"].chain == [0, 3, 0, 0, 0, 0]  # the certificate of 1 January 2026 is not yet issued
    assert rows["全市（不含功能区）"].chain == [0, 4, 0, 0, 0, 0]


def test_a_clerk_sees_only_their_own_unit_and_no_city_total(yubei_reported, client_for, wanzhou_clerk):
    assert list(rows_of(client_for(wanzhou_clerk))) == ["万州区"]


@pytest.mark.browser
def test_the_page_reads_on_a_desktop_and_a_phone(yubei_reported, city_viewer, live_server, browser):
    for width, height in ((1366, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "city_viewer")
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/registry/?period=2025Q4&target=2026-12-31")
        assert "企业名录统计" in page.inner_text("h1")
        assert "渝北区" in page.inner_text("#registry-comparison")
        # The wide tables scroll inside their box; the page itself does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"registry-{width}.png"), full_page=True)
        page.close()


def test_the_page_shows_the_conversions_and_this_years_movers_of_the_users_units(make_enterprise, city_staff,
                                                                                   client_for, wanzhou_clerk):
    today = timezone.localdate()
    year = today.year - 3
    yubei_firm = make_enterprise("500112", "渝北转化有限公司")
    wanzhou_firm = make_enterprise("500101", "万州转化有限公司")
    for firm in (yubei_firm, wanzhou_firm):
        status_record_save(user=city_staff, enterprise=firm, kind="tech_sme", issued=D(year, 3, 1),
                           valid_until=D(year, 12, 31))
    status_record_save(user=city_staff, enterprise=wanzhou_firm, kind="high_tech", issued=D(year + 1, 3, 1))
    status_record_save(user=city_staff, enterprise=yubei_firm, kind="high_tech", issued=D(today.year, 1, 1))
    response = client_for(wanzhou_clerk).get("/registry/")
    rows = {row.year: (row.registered, row.converted) for row in response.context["conversions"]}
    assert rows[year] == (1, 1)  # 万州's own registration only
    assert list(response.context["movers"]) == []  # 渝北's first certificate is not theirs to see
    city = client_for(city_staff).get("/registry/")
    assert {row.year: (row.registered, row.converted) for row in city.context["conversions"]}[year] == (2, 1)
    assert [record.enterprise.name for record in city.context["movers"]] == ["渝北转化有限公司"]


def test_each_change_of_the_registry_shows_at_once_on_a_page_seen_before(make_enterprise, city_staff, client_for,
                                                                         django_capture_on_commit_callbacks):
    today = timezone.localdate()
    client = client_for(city_staff)
    firm = make_enterprise("500112", "渝北新秀有限公司")

    def seen(**query):
        page = client.get("/registry/", {"period": "2025Q4", "target": "2026-12-31", **query}).context
        return ({row.label: row.chain[1] for row in page["rows"]}["渝北区"], page["movers_total"],
                [record.enterprise.name for record in page["movers"]])

    assert seen() == (0, 0, [])
    with django_capture_on_commit_callbacks(execute=True):
        record = status_record_save(user=city_staff, enterprise=firm, kind="high_tech",
                                    issued=D(today.year, 1, 2))[0]
        status_record_save(user=city_staff, enterprise=make_enterprise("500112", "渝北老牌有限公司"),
                           kind="high_tech", issued=D(2024, 1, 2))
    assert seen() == (1, 1, ["渝北新秀有限公司"])  # held on 31 December 2025: the 2024 certificate
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_update(user=city_staff, enterprise=firm, name="渝北更名有限公司")
    assert seen() == (1, 1, ["渝北更名有限公司"])
    with django_capture_on_commit_callbacks(execute=True):
        status_record_revoke(user=city_staff, record=record, on=record.issued, reason="撤销")
    assert seen() == (1, 0, [])
    assert seen(period="2024Q4") == (1, 0, [])  # another quarter is counted, not taken from the one kept


def test_a_repeat_view_of_an_unchanged_registry_reads_only_the_movers_shown(yubei_reported, client_for,
                                                                            city_viewer):
    client = client_for(city_viewer)
    with CaptureQueriesContext(connection) as first:
        client.get("/registry/", {"period": "2025Q4"})
    with CaptureQueriesContext(connection) as repeat:
        client.get("/registry/", {"period": "2025Q4"})

    def reading_records(queries):
        return [query["sql"] for query in queries if "enterprises_statusrecord" in query["sql"]]

    assert len(reading_records(first.captured_queries)) > 1
    assert len(reading_records(repeat.captured_queries)) == 1  # the records of the movers shown


def test_a_list_imported_after_a_view_shows_at_once(make_enterprise, city_staff, client_for,
                                                    django_capture_on_commit_callbacks):
    firm = make_enterprise("500112", "渝北名单有限公司")
    client = client_for(city_staff)

    def yubei_high_tech():
        page = client.get("/registry/", {"period": "2025Q4", "target": "2026-12-31"}).context
        return {row.label: row.chain[1] for row in page["rows"]}["渝北区"]

    assert yubei_high_tech() == 0
    content = f"统一社会信用代码,企业名称,证书编号,发证日期\n{firm.credit_code},{firm.name},GR202450000001,2024-12-01\n"
    with django_capture_on_commit_callbacks(execute=True):
        done = status_list_import(user=city_staff, content=content.encode(), file_name="名单.csv", kind="high_tech",
                                  dry_run=False)
    assert done.written and done.changed == 1
    assert yubei_high_tech() == 1


def test_a_person_who_may_see_no_record_gets_an_empty_page(yubei_reported, client_for):
    """A signed-in account without a role (or a clerk without a unit) sees the page with nothing on it."""
    nobody = make_user("nobody")
    response = client_for(nobody).get("/registry/", {"period": "2025Q4"})
    assert response.status_code == 200
    assert (list(response.context["rows"]), list(response.context["movers"]), response.context["movers_total"]) == \
        ([], [], 0)
