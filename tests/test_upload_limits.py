"""Every way in for a large body has a limit, refused with a message and nothing written.

The import page (size, rows, zip bombs, XML entities) is tested in districts/tests/test_import*.py;
here the ledger's attachments and the API's bulk write, in JSON and in CSV.
"""
import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from districts.models import Period
from districts.services import period_open
from enterprises.models import EnterpriseFigures
from ledger.models import Attachment
from ledger.tests.conftest import make_task
from ledger.validators import MAX_ATTACHMENT_MB

BODY_LIMIT = 4096


def test_an_attachment_over_the_limit_is_refused_with_the_limit_named(yubei_clerk, client_for):
    task = make_task("500112", "国家高新区创建")
    oversized = SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4" + b"0" * (MAX_ATTACHMENT_MB * 1024 * 1024))
    response = client_for(yubei_clerk).post(f"/ledger/{task.pk}/", {"file": oversized})
    assert response.status_code == 200
    assert f"附件不能超过 {MAX_ATTACHMENT_MB} MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_attachment_of_a_type_not_listed_is_refused(yubei_clerk, client_for):
    task = make_task("500112", "国家高新区创建")
    response = client_for(yubei_clerk).post(f"/ledger/{task.pk}/", {"file": SimpleUploadedFile("run.exe", b"MZ")})
    assert response.status_code == 200
    assert not Attachment.objects.exists()


@pytest.fixture
def yubei_writer(city_staff, api_key, api_client, settings):
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('write', '500112')}")
    return api_client


def rows(count):
    return [{"unit": "500112", "enterprises.tech_smes": str(number)} for number in range(count)]


@pytest.mark.parametrize("content_type", ["application/json", "text/csv"])
def test_a_bulk_write_body_over_the_limit_is_refused_and_nothing_is_written(yubei_writer, content_type):
    if content_type == "text/csv":
        body = "unit,enterprises.tech_smes\n" + "500112,1\n" * (BODY_LIMIT // 9 + 1)
    else:
        body = json.dumps({"period": "2026Q3", "rows": rows(BODY_LIMIT // 30 + 1)})
    assert len(body.encode()) > BODY_LIMIT
    response = yubei_writer.post("/api/v1/figures/bulk/?period=2026Q3", body, content_type=content_type)
    assert response.status_code == 413, response.status_code
    assert response.json()["code"] == "request_too_large"
    assert not EnterpriseFigures.objects.exists()


def test_a_bulk_write_body_under_the_limit_is_written(yubei_writer):
    body = json.dumps({"period": "2026Q3", "rows": rows(1)})
    assert len(body.encode()) < BODY_LIMIT
    response = yubei_writer.post("/api/v1/figures/bulk/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert EnterpriseFigures.objects.get().tech_smes == 0
