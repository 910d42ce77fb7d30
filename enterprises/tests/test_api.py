"""The registry's API: every filter on a small registry computed by hand, and who reads what."""
import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from enterprises.models import Enterprise
from enterprises.serializers import EnterpriseSerializer
from enterprises.services import enterprise_update, status_record_revoke, status_record_save

D = datetime.date


@pytest.fixture
def registry(make_enterprise, city_staff):
    def status(firm, kind, issued):
        return status_record_save(user=city_staff, enterprise=firm, kind=kind, issued=issued)[0]

    a = make_enterprise("500112", "重庆甲科技有限公司")
    status(a, "high_tech", D(2023, 12, 12))  # to 2026-12-11
    status(a, "tech_sme", D(2025, 3, 1))
    b = make_enterprise("500101", "万州乙有限公司")
    status(b, "high_tech", D(2022, 6, 1))  # to 2025-05-31
    c = make_enterprise("500103", "渝中丙有限公司")
    status_record_revoke(user=city_staff, record=status(c, "specialised", D(2024, 1, 1)), on=D(2024, 6, 1), reason="x")
    d = make_enterprise("500101", "万州丁有限公司")
    status(d, "little_giant", D(2021, 7, 1))  # to 2024-06-30
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def reader(api_client, api_key, registry):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    return api_client


def names(client, url, **query):
    response = client.get(f"/api/v1/{url}/", {**query, "page_size": 1000})
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    return sorted(row.get("enterprise_name") or row["name"] for row in rows)


@pytest.mark.parametrize("query, enterprises, records", [
    ({}, ["万州丁有限公司", "万州乙有限公司", "渝中丙有限公司", "重庆甲科技有限公司"], 5),
    ({"unit": "500112"}, ["重庆甲科技有限公司"], 2),
    ({"group": "central"}, ["渝中丙有限公司", "重庆甲科技有限公司"], 3),
    ({"kind": "high_tech"}, ["万州乙有限公司", "重庆甲科技有限公司"], 2),
    ({"kind": "high_tech", "valid_at": "2025-06-01"}, ["重庆甲科技有限公司"], 1),  # 乙's ended on 31 May
    ({"kind": "high_tech", "valid_at": "2025-05-31"}, ["万州乙有限公司", "重庆甲科技有限公司"], 2),
    ({"valid_at": "2024-03-01"}, ["万州丁有限公司", "万州乙有限公司", "渝中丙有限公司", "重庆甲科技有限公司"], 4),
    ({"valid_at": "2024-06-01"}, ["万州丁有限公司", "万州乙有限公司", "重庆甲科技有限公司"], 3),  # 丙 revoked that day
    ({"valid_at": "2024-07-01", "unit": "500101"}, ["万州乙有限公司"], 1),
    ({"search": "甲科技"}, ["重庆甲科技有限公司"], 2),
    ({"updated_after": "2999-01-01T00:00:00+08:00"}, [], 0),
])
def test_a_filter_selects_the_enterprises_and_records_worked_out_by_hand(reader, query, enterprises, records):
    assert names(reader, "enterprises", **query) == enterprises
    assert len(names(reader, "status-records", **query)) == records


def test_expiring_before_lists_what_ends_between_today_and_that_day(reader, make_enterprise, city_staff):
    today = timezone.localdate()
    for name, ends_in, revoked in (("九天后到期", 9, False), ("昨天已到期", -1, False), ("四十天后到期", 40, False),
                                   ("已撤销", 9, True)):
        firm = make_enterprise("500114", f"黔江{name}公司")
        record, _ = status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2020, 1, 1),
                                       valid_until=today + datetime.timedelta(days=ends_in))
        if revoked:
            status_record_revoke(user=city_staff, record=record, on=today, reason="x")
    soon = (today + datetime.timedelta(days=30)).isoformat()
    assert names(reader, "status-records", unit="500114", expiring_before=soon) == ["黔江九天后到期公司"]
    assert names(reader, "enterprises", unit="500114", expiring_before=soon) == ["黔江九天后到期公司"]


def test_the_list_gives_exactly_what_the_documented_serializer_gives(reader, registry, make_enterprise, city_staff):
    enterprise_update(user=city_staff, enterprise=registry["a"], name="重庆甲新名科技有限公司")  # an earlier name
    make_enterprise("500112", "重庆戊制造有限公司", founded=D(2019, 5, 6), industry="C3911")
    rows = reader.get("/api/v1/enterprises/", {"page_size": 1000}).json()["results"]
    documented = EnterpriseSerializer(Enterprise.objects.all(), many=True).data
    assert [list(row) for row in rows] == [list(row) for row in documented]  # same keys in the same order
    assert rows == json.loads(JSONRenderer().render(documented))
    assert {"2019-05-06"} < {row["founded"] for row in rows} and any(row["earlier_names"] for row in rows)


def test_a_credit_code_is_found_however_it_is_typed(reader, registry):
    code = registry["a"].credit_code
    typed = f" {code[:6]} {code[6:]}".lower()
    assert names(reader, "enterprises", credit_code=typed) == ["重庆甲科技有限公司"]
    assert names(reader, "enterprises", search=code[:12]) != []


@pytest.mark.parametrize("word, found", [
    ("abc", ["重庆ABC科技有限公司", "重庆Abc智能有限公司"]),
    ("ÉLAN", ["重庆élan材料有限公司"]),
    ("ａｂｃ", ["重庆ＡＢＣ光电有限公司"]),  # full-width letters have a case too
    ("科技", ["重庆ABC科技有限公司", "重庆甲科技有限公司"]),
    ("2049", ["重庆2049实验室有限公司"]),
    ("100%", []),  # % and _ are the characters typed, not patterns
])
def test_a_search_finds_part_of_the_name_whatever_its_case(reader, make_enterprise, word, found):
    if connection.vendor == "sqlite" and any(not c.isascii() and c.lower() != c.upper() for c in word):
        pytest.skip("SQLite (development) folds the case of ASCII letters only")
    for name in ("重庆ABC科技有限公司", "重庆Abc智能有限公司", "重庆élan材料有限公司", "重庆ＡＢＣ光电有限公司",
                 "重庆2049实验室有限公司"):
        make_enterprise("500112", name)
    assert names(reader, "enterprises", search=word) == found


def test_the_indicator_only_key_does_not_reach_the_registry(api_client, api_key, registry):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('indicators')}")
    for url in ("/api/v1/enterprises/", "/api/v1/status-records/", "/api/v1/cultivation-entries/"):
        assert api_client.get(url).status_code == 403, url


def test_a_units_key_and_clerk_read_only_their_own_units_enterprises(api_client, api_key, registry, client_for,
                                                                      wanzhou_clerk):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('write', '500112')}")
    assert names(api_client, "enterprises") == ["重庆甲科技有限公司"]
    clerk = client_for(wanzhou_clerk)
    assert names(clerk, "enterprises") == ["万州丁有限公司", "万州乙有限公司"]
    assert clerk.get(f"/api/v1/enterprises/{registry['a'].pk}/").status_code == 404
    record = registry["a"].statuses.first()
    assert clerk.get(f"/api/v1/status-records/{record.pk}/").status_code == 404
