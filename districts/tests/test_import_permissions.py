"""The import's permission matrix: every role × own or other unit × the quarter's state.

An import is an upload (check and preview) then a confirmation; where it is refused, the database is
exactly as before and no confirmation can change that.
"""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from districts.choices import ImportStatus
from districts.models import ImportJob, Submission
from districts.services import figures_save, submission_approve, submission_submit
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures

TECH = "enterprises.tech_smes"
ROLES = ["yubei_clerk", "wanzhou_clerk", "city_staff", "city_viewer", "anonymous"]
STATES = ["open", "submitted", "approved"]  # of 渝北's quarter; 万州's stays open
ROWS = {"500112": "渝北区", "500101": "万州区"}


def allowed(role, code, state):
    return role == "city_staff" or (role == "yubei_clerk" and code == "500112" and state == "open") or (
        role == "wanzhou_clerk" and code == "500101"
    )


@pytest.fixture
def setup(request, yubei_clerk, wanzhou_clerk, city_staff, city_viewer, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={TECH: 100})
    if request.param in ("submitted", "approved"):
        submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    if request.param == "approved":
        submission_approve(user=city_staff, submission=yubei_submission)
    return request.param


def snapshot():
    return (
        list(EnterpriseFigures.objects.order_by("unit__code").values_list("unit__code", "tech_smes", "version")),
        list(EnterpriseFigures.history.values_list("pk", flat=True)),
        list(Submission.objects.order_by("pk").values_list("state", "version")),
    )


@pytest.mark.parametrize("setup", STATES, indirect=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("code", list(ROWS))
def test_every_role_importing_each_units_row(request, client, setup, role, code, quarter):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    before = snapshot()
    data = csv_bytes([["单位代码", "单位名称", header_of(TECH)], [code, ROWS[code], "150"]])
    response = client.post(reverse("spreadsheets:upload"),
                           {"file": SimpleUploadedFile("q.csv", data), "period": quarter.pk})
    job = ImportJob.objects.order_by("pk").last()
    if job is not None:
        response = client.post(reverse("spreadsheets:confirm", args=[job.pk]))
        job.refresh_from_db()
    if allowed(role, code, setup):
        assert job.status == ImportStatus.DONE, job.preview
        assert snapshot() != before
        return
    assert snapshot() == before
    if role == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    elif role == "city_viewer":
        assert response.status_code == 403 and job is None
    else:
        assert job.status == ImportStatus.REJECTED and response.status_code == 403
