"""API keys: created and revoked by municipal staff in the admin, stored hashed, scoped, throttled."""
import re

import pytest
from django.test import override_settings

from districts.models import ApiKey, Unit
from enterprises.models import EnterpriseFigures


def create_in_admin(client, **fields):
    response = client.post("/admin/districts/apikey/add/", {"throttle_rate": "1000/hour", **fields}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    return next(re.search(r"：(\S+)$", m).group(1) for m in messages if "只显示这一次" in m)


def test_city_staff_create_a_key_in_the_admin_and_see_its_secret_only_once(client_for, city_staff):
    client = client_for(city_staff)
    full_key = create_in_admin(client, name="市统计局", scope="read")
    key = ApiKey.objects.get()
    prefix, _, secret = full_key.partition(".")
    assert key.prefix == prefix and key.created_by == city_staff
    assert secret not in key.secret_hash and len(key.secret_hash) == 64
    page = client.get(f"/admin/districts/apikey/{key.pk}/change/").content.decode()
    assert secret not in page


def test_the_admin_refuses_a_write_key_without_a_unit_and_creates_nothing(client_for, city_staff):
    response = client_for(city_staff).post(
        "/admin/districts/apikey/add/", {"name": "x", "scope": "write", "throttle_rate": "1000/hour"}
    )
    assert response.status_code == 200
    assert "须选择区县单位" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_the_admin_refuses_a_malformed_throttle_rate(client_for, city_staff):
    response = client_for(city_staff).post(
        "/admin/districts/apikey/add/", {"name": "x", "scope": "read", "throttle_rate": "fast"}
    )
    assert "限流应写作" in response.content.decode()
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("persona", ["yubei_clerk", "city_viewer"])
def test_only_municipal_staff_reach_the_keys_in_the_admin(request, client_for, api_key, persona):
    api_key("read")
    client = client_for(request.getfixturevalue(persona))
    # 403 for district staff (admin users), the login page for the viewer (not an admin user)
    assert client.get("/admin/districts/apikey/").status_code in (302, 403)
    assert client.post("/admin/districts/apikey/add/", {"name": "x", "scope": "read"}).status_code in (302, 403)
    assert ApiKey.objects.count() == 1


def test_a_key_revoked_in_the_admin_is_refused_at_once(client_for, city_staff, api_client, api_key):
    full_key = api_key("read")
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {full_key}")
    assert api_client.get("/api/v1/units/").status_code == 200
    key = ApiKey.objects.get()
    client_for(city_staff).post(
        "/admin/districts/apikey/", {"action": "revoke", "_selected_action": [key.pk]}, follow=True
    )
    response = api_client.get("/api/v1/units/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    key.refresh_from_db()
    assert key.revoked and not key.user.is_active


@pytest.mark.parametrize("header", ["Api-Key nothing", "Api-Key abcd1234.wrong-secret", "Api-Key "])
def test_a_wrong_key_is_refused_with_401(api_client, api_key, header):
    api_key("read")
    api_client.credentials(HTTP_AUTHORIZATION=header)
    assert api_client.get("/api/v1/units/").status_code == 401




def test_an_indicators_key_reads_indicators_but_not_the_figures(api_client, api_key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('indicators')}")
    for url in ("/api/v1/indicators/", "/api/v1/plans/", "/api/v1/targets/", "/api/v1/units/"):
        assert api_client.get(url).status_code == 200, url
    for url in ("/api/v1/enterprise-figures/", "/api/v1/submissions/", "/api/v1/fund-allocations/"):
        response = api_client.get(url)
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"


def test_a_read_key_reads_every_unit(api_client, api_key, api_rows):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    response = api_client.get("/api/v1/enterprise-figures/", {"page_size": 1000})
    assert response.json()["count"] == EnterpriseFigures.objects.count()


def test_a_write_key_reads_only_its_own_unit(api_client, api_key, api_rows):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('write', '500112')}")
    rows = api_client.get("/api/v1/enterprise-figures/").json()["results"]
    assert rows and {row["unit"] for row in rows} == {"500112"}


def test_a_district_clerk_with_a_session_reads_only_their_own_unit(client_for, yubei_clerk, api_rows):
    rows = client_for(yubei_clerk).get("/api/v1/submissions/").json()["results"]
    assert rows and {row["unit"] for row in rows} == {"500112"}
    assert client_for(yubei_clerk).get("/api/v1/submissions/500101/2025Q4/").status_code == 404


def test_a_key_over_its_rate_gets_429_with_the_error_shape(api_client, api_key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read', throttle_rate='2/minute')}")
    assert [api_client.get("/api/v1/groups/").status_code for _ in range(2)] == [200, 200]
    response = api_client.get("/api/v1/groups/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response


def test_each_key_has_its_own_throttle(api_client, api_key):
    slow, other = api_key("read", throttle_rate="1/minute"), api_key("read", throttle_rate="1/minute")
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {slow}")
    api_client.get("/api/v1/groups/")
    assert api_client.get("/api/v1/groups/").status_code == 429
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {other}")
    assert api_client.get("/api/v1/groups/").status_code == 200


@override_settings(PUBLIC_INDICATORS=True)
def test_with_public_indicators_anyone_reads_indicators_but_not_figures(api_client, api_rows):
    for url in ("/api/v1/indicators/", "/api/v1/plans/", "/api/v1/units/", "/api/v1/periods/"):
        assert api_client.get(url).status_code == 200, url
    assert api_client.get("/api/v1/units/").json()["count"] == Unit.objects.count()
    assert api_client.get("/api/v1/enterprise-figures/").status_code == 401
