"""Cultivation lists written through the API: the pages' services and their permission matrix, the unit always the
enterprise's, never the caller's word."""
import datetime

import pytest
from django.utils import timezone

from districts.models import Period
from enterprises.models import CultivationEntry, CultivationNote
from enterprises.services import cultivation_entry_save, cultivation_note_save
from tests.test_guessed_ids import table_digest

URL = "/api/v1/cultivation-entries/"
DUE = "2027-12-31"


@pytest.fixture
def firms(make_enterprise, city_staff):
    """渝北's 甲 (on its list, with a note) and 乙, 万州's 丙."""
    yubei = make_enterprise("500112", "渝北甲科技有限公司")
    entry = cultivation_entry_save(user=city_staff, unit=yubei.unit, enterprise=yubei, target="high_tech",
                                   due=datetime.date(2027, 6, 30))
    cultivation_note_save(user=city_staff, entry=entry, period=this_quarter(), text="已走访")
    return {"yubei": yubei, "yubei_other": make_enterprise("500112", "渝北乙科技有限公司"),
            "wanzhou": make_enterprise("500101", "万州丙科技有限公司"), "entry": entry}


def this_quarter() -> Period:
    today = timezone.localdate()
    return Period.objects.get(year=today.year, quarter=(today.month - 1) // 3 + 1)


def lists_state() -> tuple[str, str]:
    return table_digest(CultivationEntry), table_digest(CultivationNote)


def test_a_clerk_adds_their_own_units_enterprise_and_the_unit_is_the_enterprises(firms, yubei_clerk, api_client):
    api_client.force_login(yubei_clerk)
    response = api_client.post(URL, {"enterprise": firms["yubei_other"].pk, "target": "specialised", "due": DUE,
                                     "unit": "500101"}, format="json")
    assert response.status_code == 201, response.json()
    entry = CultivationEntry.objects.get(pk=response.json()["id"])
    assert (entry.unit.code, entry.target, entry.due.isoformat()) == ("500112", "specialised", DUE)
    assert response.json()["unit"] == "500112" and response.json()["reached_today"] is False
    assert entry.history.latest().history_user == yubei_clerk


def test_a_clerk_changes_recommends_and_notes_their_own_entry(firms, yubei_clerk, api_client):
    api_client.force_login(yubei_clerk)
    url = f"{URL}{firms['entry'].pk}/"
    response = api_client.patch(url, {"target": "specialised", "recommended": "2026-11-30"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["target"], response.json()["due"], response.json()["recommended"]) == (
        "specialised", "2027-06-30", "2026-11-30")

    quarter = this_quarter().code
    for text in ("第一次走访", "第二次走访：已提交材料"):
        response = api_client.post(f"{url}notes/", {"period": quarter, "text": text}, format="json")
        assert response.status_code == 201, response.json()
    notes = [(note["period"], note["text"]) for note in response.json()["notes"]]
    assert notes == [(quarter, "第二次走访：已提交材料")]

    old = Period.objects.get(ordinal=this_quarter().ordinal - 5).code
    response = api_client.post(f"{url}notes/", {"period": old, "text": "太早的季度"}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["period"])

    response = api_client.patch(url, {"recommended": None}, format="json")
    assert response.json()["recommended"] is None


def test_the_enterprise_of_an_entry_stays_its_own(firms, yubei_clerk, api_client):
    api_client.force_login(yubei_clerk)
    before = lists_state()
    response = api_client.patch(f"{URL}{firms['entry'].pk}/", {"enterprise": firms["yubei_other"].pk}, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["enterprise"])
    assert lists_state() == before


def test_a_clerk_crossing_into_another_unit_through_the_api_changes_nothing(firms, wanzhou_clerk, api_client):
    api_client.force_login(wanzhou_clerk)
    entry = f"{URL}{firms['entry'].pk}/"
    before = lists_state()
    answers = {
        "add 渝北's enterprise": api_client.post(URL, {"enterprise": firms["yubei"].pk, "target": "listed",
                                                       "due": DUE, "unit": "500112"}, format="json").status_code,
        "change 渝北's entry": api_client.patch(entry, {"target": "listed"}, format="json").status_code,
        "replace 渝北's entry": api_client.put(entry, {"enterprise": firms["wanzhou"].pk, "target": "listed",
                                                      "due": DUE}, format="json").status_code,
        "note 渝北's entry": api_client.post(f"{entry}notes/", {"period": this_quarter().code, "text": "万州"},
                                             format="json").status_code,
        "delete 渝北's entry": api_client.delete(entry).status_code,
    }
    # Naming 渝北's enterprise is a choice that does not exist for 万州; 渝北's entry is not there to change.
    assert answers == {"add 渝北's enterprise": 400, "change 渝北's entry": 404, "replace 渝北's entry": 404,
                       "note 渝北's entry": 404, "delete 渝北's entry": 404}
    assert lists_state() == before
    assert "渝北" not in str(api_client.get(URL).json()["results"])


def test_only_municipal_staff_delete_an_entry(firms, yubei_clerk, city_staff, api_client):
    url = f"{URL}{firms['entry'].pk}/"
    api_client.force_login(yubei_clerk)
    assert api_client.delete(url).status_code == 403
    api_client.force_login(city_staff)
    assert api_client.delete(url).status_code == 204
    assert not CultivationEntry.objects.exists() and not CultivationNote.objects.exists()


def test_municipal_staff_add_any_units_enterprise_to_that_units_list(firms, city_staff, api_client):
    api_client.force_login(city_staff)
    response = api_client.post(URL, {"enterprise": firms["wanzhou"].pk, "target": "high_tech", "due": DUE},
                               format="json")
    assert (response.status_code, response.json()["unit"]) == (201, "500101")


def test_readers_and_the_indicator_only_key_are_refused_before_their_body_is_read(
    firms, city_viewer, api_client, api_key
):
    before = lists_state()
    api_client.force_login(city_viewer)
    assert api_client.post(URL, {}, format="json").status_code == 403
    assert api_client.patch(f"{URL}{firms['entry'].pk}/", {"target": "listed"}, format="json").status_code == 404
    api_client.logout()
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('indicators')}")
    assert api_client.post(URL, {"enterprise": firms["yubei"].pk, "target": "listed", "due": DUE},
                           format="json").status_code == 403
    assert api_client.get(URL).status_code == 403
    assert lists_state() == before


def test_a_units_write_key_adds_only_its_own_units_enterprises(firms, api_client, api_key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('write', unit_code='500112')}")
    refused = api_client.post(URL, {"enterprise": firms["wanzhou"].pk, "target": "high_tech", "due": DUE},
                              format="json")
    taken = api_client.post(URL, {"enterprise": firms["yubei_other"].pk, "target": "high_tech", "due": DUE},
                            format="json")
    assert (refused.status_code, taken.status_code) == (400, 201)
    assert taken.json()["unit"] == "500112"
