"""Big imports run as Celery jobs with progress; the template round-trips."""
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import celery_broker
from districts.choices import ImportStatus
from districts.figures import quarter_values
from districts.models import ImportJob, Period, Unit
from districts.spreadsheets.columns import figure_columns
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures

TECH = "enterprises.tech_smes"


def every_unit_file(period_codes):
    """One row per unit and quarter: tech SMEs = 10 × the unit's order + the quarter."""
    rows = [["单位代码", "单位名称", "季度", header_of(TECH)]]
    for unit in Unit.objects.order_by("order"):
        for code in period_codes:
            rows.append([unit.code, unit.name, code, 10 * unit.order + int(code[-1])])
    return csv_bytes(rows), len(rows) - 1


def test_a_big_file_is_checked_and_imported_by_celery_with_progress(
    city_staff, quarter, client_for, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_ROWS = 10
    client = client_for(city_staff)
    data, rows = every_unit_file([quarter.code])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("all.csv", data), "period": quarter.pk})
    assert len(callbacks) == 1, "the check is queued after the upload commits"
    job = ImportJob.objects.get()
    assert job.rows == rows and job.status == ImportStatus.READY
    status = client.get(reverse("spreadsheets:job-status", args=[job.pk])).json()
    assert status == {"status": "ready", "label": "待确认", "progress": 100, "running": False}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spreadsheets:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.changed == rows
    for unit in Unit.objects.all():
        assert quarter_values(unit=unit, period=quarter)[TECH] == 10 * unit.order + quarter.quarter


def test_the_job_page_shows_a_progress_bar_while_the_job_runs(city_staff, quarter, client_for):
    job = ImportJob.objects.create(created_by=city_staff, file_name="big.csv", content=b"", period=quarter, rows=999)
    page = client_for(city_staff).get(reverse("spreadsheets:job", args=[job.pk])).content.decode()
    assert 'id="job-progress"' in page and reverse("spreadsheets:job-status", args=[job.pk]) in page


@pytest.mark.worker
def test_a_real_worker_checks_and_imports_a_big_file(celery_worker_process, client, settings):
    from io import StringIO

    from django.core.management import call_command

    from conftest import make_user
    from districts.services import period_open
    from portal import roles

    call_command("load_reference", stdout=StringIO())
    settings.IMPORT_ASYNC_ROWS = 10
    staff = make_user("city_staff", roles.MUNICIPAL_STAFF, is_staff=True)
    periods = [Period.objects.get_by_code(code) for code in ("2026Q2", "2026Q3")]
    for period in periods:
        period_open(user=staff, period=period, deadline=None)
    client.force_login(staff)
    data, rows = every_unit_file([p.code for p in periods])
    client.post(reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("all.csv", data), "period": periods[0].pk})
    job = ImportJob.objects.get()
    wait_for(job, ImportStatus.READY)
    client.post(reverse("spreadsheets:confirm", args=[job.pk]))
    wait_for(job, ImportStatus.DONE)
    assert job.changed == rows
    yubei = Unit.objects.get(code="500112")
    assert quarter_values(unit=yubei, period=periods[1])[TECH] == 10 * yubei.order + 3


def wait_for(job, status, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return
        assert job.status in (ImportStatus.CHECKING, ImportStatus.APPLYING, ImportStatus.READY), job.preview
        time.sleep(0.5)
    pytest.fail(f"job stayed {job.status}, expected {status}")


def test_a_clerks_template_has_their_unit_with_its_current_figures(yubei_clerk, quarter, yubei, record, client_for):
    record(yubei, quarter.code, {TECH: 321})
    response = client_for(yubei_clerk).get(reverse("spreadsheets:template") + f"?period={quarter.code}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["季度数据"]
    rows = list(sheet.iter_rows(values_only=True))
    assert quarter.code in rows[0][0]
    assert list(rows[1]) == ["单位代码", "单位名称", "季度", *(column.header for column in figure_columns())]
    assert len(rows) == 3
    assert rows[2][:4] == ("500112", "渝北区", quarter.code, 321)


def test_municipal_staff_get_every_unit_in_the_template(city_staff, quarter, client_for):
    response = client_for(city_staff).get(reverse("spreadsheets:template") + f"?period={quarter.code}")
    sheet = load_workbook(io.BytesIO(response.content))["季度数据"]
    codes = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert codes == list(Unit.objects.order_by("order", "code").values_list("code", flat=True))


def test_a_filled_template_imports_back(yubei_clerk, quarter, yubei, client_for):
    client = client_for(yubei_clerk)
    workbook = load_workbook(io.BytesIO(client.get(reverse("spreadsheets:template")).content))
    sheet = workbook["季度数据"]
    sheet["D3"] = 456
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.post(reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("t.xlsx", buffer.getvalue()),
                                                 "period": quarter.pk})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.preview
    client.post(reverse("spreadsheets:confirm", args=[job.pk]))
    assert quarter_values(unit=yubei, period=quarter)[TECH] == 456


def test_the_hub_offers_a_clerk_the_template_the_upload_and_the_exports(yubei_clerk, quarter, client_for):
    page = client_for(yubei_clerk).get(reverse("spreadsheets:hub")).content.decode()
    assert f'href="{reverse("spreadsheets:template")}?period={quarter.code}" id="template-link"' in page
    assert 'name="file"' in page
    assert reverse("spreadsheets:export", args=["enterprises", "xlsx"]) in page


def test_a_city_viewer_sees_the_exports_but_no_upload(city_viewer, quarter, client_for):
    page = client_for(city_viewer).get(reverse("spreadsheets:hub")).content.decode()
    assert 'name="file"' not in page
    assert reverse("spreadsheets:export", args=["submissions", "csv"]) in page


def test_the_admin_lists_import_jobs_of_the_clerks_own_unit_only(yubei_clerk, wanzhou_clerk, quarter, client_for):
    for user in (yubei_clerk, wanzhou_clerk):
        ImportJob.objects.create(created_by=user, file_name=f"{user.username}.xlsx", content=b"", period=quarter)
    page = client_for(yubei_clerk).get(reverse("admin:districts_importjob_changelist")).content.decode()
    assert "yubei_staff.xlsx" in page and "wanzhou_staff.xlsx" not in page
    assert "进度" in page


def test_an_editable_quarter_page_links_its_template(yubei_clerk, quarter, client_for):
    page = client_for(yubei_clerk).get(reverse("districts:quarter", args=[quarter.code, "500112"])).content.decode()
    assert f'{reverse("spreadsheets:template")}?period={quarter.code}' in page


BROKER_DOWN = "redis://127.0.0.1:1/0"  # nothing listens there: the broker refuses at once


def test_with_the_broker_down_a_big_upload_fails_with_the_reason_and_writes_nothing(
    city_staff, quarter, client_for, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_ROWS = 10
    client = client_for(city_staff)
    data, _rows = every_unit_file([quarter.code])
    with celery_broker(BROKER_DOWN), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("spreadsheets:upload"),
                               {"file": SimpleUploadedFile("all.csv", data), "period": quarter.pk})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.FAILED and "消息队列暂不可用" in job.error_summary
    page = client.get(reverse("spreadsheets:job", args=[job.pk])).content.decode()
    assert "请稍后重新上传" in page and 'id="job-progress"' not in page, "nothing runs: no progress bar"
    assert not EnterpriseFigures.objects.filter(period=quarter).exists()


def test_with_the_broker_down_a_confirmation_waits_ready_and_imports_once_confirmed_again(
    city_staff, quarter, client_for, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_ROWS = 10
    client = client_for(city_staff)
    data, rows = every_unit_file([quarter.code])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("all.csv", data), "period": quarter.pk})
    job = ImportJob.objects.get()
    with celery_broker(BROKER_DOWN), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("spreadsheets:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportStatus.READY and "请稍后再次确认导入" in job.error_summary
    assert not EnterpriseFigures.objects.filter(period=quarter).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the broker is back
        client.post(reverse("spreadsheets:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.changed == rows and job.error_summary == ""
    assert EnterpriseFigures.objects.filter(period=quarter).count() == Unit.objects.count()
