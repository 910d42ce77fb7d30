"""The cultivation list: which entries reached their tier (today and by the due day), and who may change a list."""
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import ARTIFACTS
from districts.exceptions import AccessDenied
from districts.models import Period, Unit
from enterprises.cultivation import cultivation_list
from enterprises.models import CultivationEntry, CultivationNote
from enterprises.services import (
    cultivation_entry_recommend,
    cultivation_entry_save,
    cultivation_note_save,
    status_record_revoke,
    status_record_save,
)

D = datetime.date
TODAY = D(2026, 6, 30)


@pytest.fixture
def yubei_list(make_enterprise, city_staff, yubei_clerk):
    """渝北's list, each aimed at a tier by a due day, with the registry as below (worked out by hand):

    甲 → high-tech by 2026-03-31; certificate issued 2026-03-31: reached on the due day and today.
    乙 → high-tech by 2026-03-31; certificate issued 2026-04-01: not by the due day, reached today.
    丙 → 专精特新 by 2026-12-31; is a little giant from 2026-01-10: a higher tier, reached.
    丁 → high-tech by 2025-12-31; certificate 2022-12-31 (last day 2025-12-30) revoked 2025-06-01: neither.
    戊 → little giant by 2026-12-31; only 专精特新: a lower tier, neither.
    """
    yubei = Unit.objects.get(code="500112")
    made = {}
    plan = {
        "甲": ("high_tech", D(2026, 3, 31), [("high_tech", D(2026, 3, 31))]),
        "乙": ("high_tech", D(2026, 3, 31), [("high_tech", D(2026, 4, 1))]),
        "丙": ("specialised", D(2026, 12, 31), [("little_giant", D(2026, 1, 10))]),
        "丁": ("high_tech", D(2025, 12, 31), [("high_tech", D(2022, 12, 31))]),
        "戊": ("little_giant", D(2026, 12, 31), [("specialised", D(2025, 5, 1))]),
    }
    for name, (target, due, records) in plan.items():
        firm = make_enterprise("500112", f"渝北{name}科技有限公司")
        for kind, issued in records:
            record, _ = status_record_save(user=city_staff, enterprise=firm, kind=kind, issued=issued)
            if name == "丁":
                status_record_revoke(user=city_staff, record=record, on=D(2025, 6, 1), reason="复核不合格")
        made[name] = cultivation_entry_save(user=yubei_clerk, unit=yubei, enterprise=firm, target=target, due=due)
    return made


def progress(user):
    return {entry.enterprise.name[2]: (entry.reached_by_due, entry.reached_today)
            for entry in cultivation_list(user, TODAY)}


def test_an_entry_is_reached_when_the_enterprise_holds_its_tier_or_a_higher_one(yubei_list, yubei_clerk):
    assert progress(yubei_clerk) == {
        "甲": (True, True), "乙": (False, True), "丙": (True, True), "丁": (False, False), "戊": (False, False),
    }


def test_a_clerk_sees_only_their_own_units_list_and_municipal_staff_see_every_list(
        yubei_list, make_enterprise, wanzhou_clerk, city_viewer):
    wanzhou = Unit.objects.get(code="500101")
    firm = make_enterprise("500101", "万州培育有限公司")
    cultivation_entry_save(user=wanzhou_clerk, unit=wanzhou, enterprise=firm, target="high_tech", due=D(2027, 1, 1))
    assert set(progress(wanzhou_clerk)) == {"培"}
    assert len(progress(city_viewer)) == 6


def test_a_clerk_cannot_change_add_to_or_note_another_units_list(yubei_list, make_enterprise, wanzhou_clerk):
    entry = yubei_list["甲"]
    before = (CultivationEntry.objects.count(), CultivationNote.objects.count(),
              list(CultivationEntry.objects.values_list("target", "due", "recommended")))
    yubei, quarter = Unit.objects.get(code="500112"), Period.objects.get_by_code("2026Q2")
    with pytest.raises(AccessDenied):
        cultivation_entry_save(user=wanzhou_clerk, unit=yubei, enterprise=entry.enterprise, target="listed",
                               due=D(2030, 1, 1), entry=entry)
    with pytest.raises(AccessDenied):
        cultivation_entry_recommend(user=wanzhou_clerk, entry=entry, on=D(2026, 6, 1))
    with pytest.raises(AccessDenied):
        cultivation_note_save(user=wanzhou_clerk, entry=entry, period=quarter, text="越权")
    with pytest.raises(ValidationError):  # an enterprise of 渝北 the clerk cannot even see
        cultivation_entry_save(user=wanzhou_clerk, unit=Unit.objects.get(code="500101"),
                               enterprise=entry.enterprise, target="listed", due=D(2030, 1, 1))
    with pytest.raises((AccessDenied, ValidationError)):  # 渝北's list with an enterprise of their own
        cultivation_entry_save(user=wanzhou_clerk, unit=yubei, enterprise=make_enterprise("500101", "万州某公司"),
                               target="listed", due=D(2030, 1, 1))
    assert (CultivationEntry.objects.count(), CultivationNote.objects.count(),
            list(CultivationEntry.objects.values_list("target", "due", "recommended"))) == before


def test_a_list_takes_only_enterprises_registered_in_its_unit(yubei_list, make_enterprise, city_staff):
    with pytest.raises(ValidationError):
        cultivation_entry_save(user=city_staff, unit=Unit.objects.get(code="500112"),
                               enterprise=make_enterprise("500101", "万州外单位有限公司"), target="high_tech",
                               due=D(2027, 1, 1))


def test_one_note_per_entry_and_quarter_saving_again_replaces_it(yubei_list, yubei_clerk):
    quarter = Period.objects.get_by_code("2026Q2")
    cultivation_note_save(user=yubei_clerk, entry=yubei_list["乙"], period=quarter, text="已提交申报材料")
    cultivation_note_save(user=yubei_clerk, entry=yubei_list["乙"], period=quarter, text=" 已通过专家评审 ")
    assert list(CultivationNote.objects.values_list("text", flat=True)) == ["已通过专家评审"]


def test_a_recommendation_into_the_reserve_pool_is_dated_and_can_be_withdrawn(yubei_list, yubei_clerk):
    entry = cultivation_entry_recommend(user=yubei_clerk, entry=yubei_list["丙"], on=D(2026, 5, 20))
    assert CultivationEntry.objects.get(pk=entry.pk).recommended == D(2026, 5, 20)
    cultivation_entry_recommend(user=yubei_clerk, entry=entry, on=None)
    assert CultivationEntry.objects.get(pk=entry.pk).recommended is None


def test_the_list_page_shows_the_units_entries_and_a_clerk_adds_one_of_their_own(yubei_list, make_enterprise,
                                                                                 client_for, yubei_clerk):
    client = client_for(yubei_clerk)
    page = client.get("/registry/cultivation/")
    assert page.status_code == 200 and "渝北甲科技有限公司" in page.content.decode()
    firm = make_enterprise("500112", "渝北新秀科技有限公司")
    answer = client.post("/registry/cultivation/", {"enterprise": firm.credit_code, "target": "high_tech",
                                                     "due": "2027-12-31"})
    assert answer.status_code == 302
    assert CultivationEntry.objects.get(enterprise=firm).due == D(2027, 12, 31)


def test_a_clerk_cannot_put_another_units_enterprise_on_a_list_from_the_page(yubei_list, make_enterprise,
                                                                              client_for, wanzhou_clerk):
    before = CultivationEntry.objects.count()
    firm = yubei_list["甲"].enterprise
    answer = client_for(wanzhou_clerk).post("/registry/cultivation/", {"enterprise": firm.credit_code,
                                                                        "target": "listed", "due": "2027-12-31"})
    assert answer.status_code == 200 and CultivationEntry.objects.count() == before


def test_another_units_clerk_can_neither_read_nor_change_an_entry_page(yubei_list, client_for, wanzhou_clerk):
    entry = yubei_list["乙"]
    client = client_for(wanzhou_clerk)
    before = list(CultivationEntry.objects.values_list("target", "due", "recommended", "updated_at"))
    assert client.get(f"/registry/cultivation/{entry.pk}/").status_code == 404
    for body in ({"action": "recommend"}, {"action": "target", "target": "listed", "due": "2030-01-01"},
                 {"action": "note", "period": Period.objects.get_by_code("2026Q2").pk, "text": "越权"}):
        assert client.post(f"/registry/cultivation/{entry.pk}/", body).status_code == 404
    assert list(CultivationEntry.objects.values_list("target", "due", "recommended", "updated_at")) == before
    assert not CultivationNote.objects.exists()


def test_a_municipal_viewer_reads_every_entry_but_changes_none(yubei_list, client_for, city_viewer):
    entry = yubei_list["乙"]
    client = client_for(city_viewer)
    assert client.get(f"/registry/cultivation/{entry.pk}/").status_code == 200
    assert client.post(f"/registry/cultivation/{entry.pk}/", {"action": "recommend"}).status_code == 403
    assert CultivationEntry.objects.get(pk=entry.pk).recommended is None


def test_the_unit_notes_a_quarter_and_recommends_the_enterprise_from_the_entry_page(yubei_list, client_for,
                                                                                   yubei_clerk):
    entry = yubei_list["丙"]
    client = client_for(yubei_clerk)
    today = timezone.localdate()
    quarter = Period.objects.get(year=today.year, quarter=(today.month - 1) // 3 + 1)
    assert client.post(f"/registry/cultivation/{entry.pk}/",
                       {"action": "note", "period": quarter.pk, "text": "已入选市级培育库"}).status_code == 302
    assert client.post(f"/registry/cultivation/{entry.pk}/", {"action": "recommend"}).status_code == 302
    entry.refresh_from_db()
    assert entry.recommended == today
    assert list(entry.notes.values_list("period__year", "text")) == [(today.year, "已入选市级培育库")]


def test_municipal_staff_export_the_recommended_reserve_as_csv_and_xlsx(yubei_list, client_for, city_staff,
                                                                         yubei_clerk):
    cultivation_entry_recommend(user=yubei_clerk, entry=yubei_list["丙"], on=D(2026, 5, 20))
    client = client_for(city_staff)
    response = client.get("/registry/cultivation/", {"recommended": "true", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["渝北丙科技有限公司"] and rows[1][7] == "2026-05-20"
    response = client.get("/registry/cultivation/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 5


@pytest.mark.browser
def test_the_list_and_entry_pages_read_on_a_desktop_and_a_phone(yubei_list, yubei_clerk, live_server, chromium):
    entry_url = f"{live_server.url}/registry/cultivation/{yubei_list['甲'].pk}/"
    with chromium() as browser:
        for width, height in ((1366, 900), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "yubei_staff")
            page.fill("input[name=password]", "pw-for-tests-1")
            page.click("button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{live_server.url}/registry/cultivation/")
            assert "培育清单" in page.inner_text("h1")
            assert "渝北乙科技有限公司" in page.inner_text("#cultivation-entries")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(ARTIFACTS / f"cultivation-{width}.png"), full_page=True)
            page.goto(entry_url)
            assert "渝北甲科技有限公司" in page.inner_text("h1")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(ARTIFACTS / f"cultivation-entry-{width}.png"), full_page=True)
            page.close()
