"""A clerk imports last year's high-tech list on the page: checks, resolves a name listed twice, imports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from conftest import ARTIFACTS
from districts.tests.files import csv_bytes
from enterprises import lists
from enterprises.models import StatusRecord

LIST = csv_bytes([["2025年高新技术企业名单"], ["企业名称", "证书编号", "发证日期"],
                  ["重庆（渝北）甲科技有限公司", "GR202550000001", "2025-11-20"],
                  ["重庆同名有限公司", "GR202550000002", "2025-11-20"]], encoding="gbk")


@pytest.fixture
def yubei_registry(make_enterprise):
    first = make_enterprise("500112", "重庆(渝北)甲科技有限公司", credit_code=None)
    twins = [make_enterprise("500112", "重庆同名有限公司", credit_code=None) for _n in range(2)]
    return first, twins


def upload(client):
    return client.post("/registry/import/", {"action": "check", "kind": "high_tech", "issued": "",
                                             "file": SimpleUploadedFile("名单.csv", LIST)})


def test_a_clerk_checks_resolves_and_imports_a_list(yubei_registry, client_for, yubei_clerk):
    first, twins = yubei_registry
    client = client_for(yubei_clerk)
    checked = upload(client)
    assert [row["name"] for row in checked.context["outcome"].unresolved] == ["重庆同名有限公司"]
    assert not StatusRecord.objects.exists()
    # Importing with a row still unresolved writes nothing.
    assert client.post("/registry/import/", {"action": "import"}).context["outcome"].unresolved
    assert not StatusRecord.objects.exists()
    rechecked = client.post("/registry/import/", {"action": "recheck", "name-4": "重庆同名有限公司",
                                                  "resolve-4": str(twins[1].pk)})
    assert not rechecked.context["outcome"].has_errors
    done = client.post("/registry/import/", {"action": "import"})
    assert done.status_code == 302
    assert sorted(StatusRecord.objects.values_list("enterprise_id", "number")) == sorted(
        [(first.pk, "GR202550000001"), (twins[1].pk, "GR202550000002")])


@pytest.mark.django_db(transaction=True)
def test_the_import_after_a_clean_check_on_the_page_writes_what_the_check_compared(yubei_registry, client_for,
                                                                                   yubei_clerk, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a check is kept on PostgreSQL only")
    first, twins = yubei_registry
    client = client_for(yubei_clerk)
    upload(client)
    client.post("/registry/import/", {"action": "recheck", "name-4": "重庆同名有限公司", "resolve-4": str(twins[0].pk)})
    monkeypatch.setattr(lists, "read_sheet", None)  # each request its own transaction: the check was kept
    assert client.post("/registry/import/", {"action": "import"}).status_code == 302
    assert sorted(StatusRecord.objects.values_list("enterprise_id", "number")) == sorted(
        [(first.pk, "GR202550000001"), (twins[0].pk, "GR202550000002")])


def test_another_units_clerk_matches_nothing_and_writes_nothing(yubei_registry, client_for, wanzhou_clerk):
    checked = upload(client_for(wanzhou_clerk))
    assert [row["candidates"] for row in checked.context["outcome"].unresolved] == [[], []]
    client_for(wanzhou_clerk).post("/registry/import/", {"action": "recheck", "name-4": "重庆同名有限公司",
                                                         "resolve-4": str(yubei_registry[1][0].pk)})
    client_for(wanzhou_clerk).post("/registry/import/", {"action": "import"})
    assert not StatusRecord.objects.exists()


def test_a_municipal_viewer_cannot_open_the_import(client_for, city_viewer):
    assert client_for(city_viewer).get("/registry/import/").status_code == 403


@pytest.mark.browser
def test_the_import_page_reads_on_a_desktop_and_a_phone(yubei_registry, yubei_clerk, live_server, browser, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_bytes(LIST)
    for width, height in ((1366, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "yubei_staff")
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/registry/import/")
        page.select_option("select[name=kind]", "high_tech")
        page.set_input_files("input[name=file]", str(path))
        page.click("button[value=check]")
        page.wait_for_selector("#unresolved")
        assert "重庆同名有限公司" in page.inner_text("#unresolved")
        assert page.is_disabled("button[value=import]")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"registry-import-{width}.png"), full_page=True)
        page.close()


def test_a_hostile_name_in_a_list_is_shown_escaped(client_for, yubei_clerk, chongqing):
    hostile = '<script>alert(1)</script>'
    content = csv_bytes([["企业名称", "发证日期"], [hostile, "2025-11-20"]])
    response = client_for(yubei_clerk).post("/registry/import/", {
        "action": "check", "kind": "high_tech", "file": SimpleUploadedFile("名单.csv", content)})
    page = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
