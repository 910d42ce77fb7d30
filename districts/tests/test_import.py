"""Importing quarterly figures from Excel and CSV: preview, all-or-nothing confirm, access, hostile files."""
import io
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from districts.choices import ImportStatus, SubmissionState
from districts.figures import quarter_values
from districts.models import ImportJob, Submission, Unit
from districts.services import figures_save
from districts.tests.files import csv_bytes, header_of, xlsx_bytes
from enterprises.models import EnterpriseFigures
from funds.models import EconomyFigures

TECH = "enterprises.tech_smes"
SPECIALISED = "enterprises.specialised_smes"
GIANTS = "enterprises.little_giants"
RD = "economy.rd_spending"


def header(*keys):
    return ["单位代码", "单位名称", *(header_of(key) for key in keys)]


def zip_bomb() -> bytes:
    """A few kilobytes that unpack to more than the limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (settings.IMPORT_MAX_UNPACKED_BYTES + 1))
    return buffer.getvalue()


def upload(client, data, name, period):
    response = client.post(
        reverse("spreadsheets:upload"), {"file": SimpleUploadedFile(name, data), "period": period.pk}
    )
    return response


def last_job():
    return ImportJob.objects.latest("pk")


def confirm(client, job):
    return client.post(reverse("spreadsheets:confirm", args=[job.pk]))


def figures_snapshot():
    """Every stored figure and its history, to show that a refused import wrote nothing."""
    return (
        list(EnterpriseFigures.objects.values_list("unit__code", "period__ordinal", "tech_smes", "version")),
        list(EconomyFigures.objects.values_list("unit__code", "period__ordinal", "rd_spending", "version")),
        EnterpriseFigures.history.count(),
        EconomyFigures.history.count(),
    )


@pytest.fixture
def yubei_client(yubei_clerk, quarter, client_for):
    return client_for(yubei_clerk)


def test_a_clerk_sees_the_preview_and_nothing_is_written_until_they_confirm(yubei_client, quarter, yubei):
    rows = [["单位代码", "单位名称", header_of(TECH), "全社会研发经费投入（元）"],
            ["500112 ", "渝北区  ", "１,２００", "352,500,000"]]
    data = xlsx_bytes(rows, title="渝北区 2026年三季度", merge_title=True)
    response = upload(yubei_client, data, "渝北.xlsx", quarter)
    job = last_job()
    assert response.status_code == 302 and response["Location"] == reverse("spreadsheets:job", args=[job.pk])
    assert job.status == ImportStatus.READY
    page = yubei_client.get(response["Location"]).content.decode()
    assert "将要写入的变更" in page and "确认导入" in page
    changes = {change["label"]: (change["row"], change["column"], change["old"], change["new"])
               for change in job.preview["changes"]}
    assert changes == {
        "科技型企业（入库数）": (3, "C", "", "1200"),
        "全社会研发经费投入（万元）": (3, "D", "", str(Decimal(352_500_000) / 10_000)),
    }
    assert quarter_values(unit=yubei, period=quarter) == {}

    confirm(yubei_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.changed == 2
    stored = quarter_values(unit=yubei, period=quarter)
    assert stored[TECH] == 1200 and stored[RD] == Decimal("35250")
    assert EnterpriseFigures.history.get().history_user.username == "yubei_staff"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(yubei_client, quarter):
    data = csv_bytes([header(TECH), ["500112", "渝北区", "1,300"]])
    upload(yubei_client, data, "a.csv", quarter)
    confirm(yubei_client, last_job())
    before = figures_snapshot()

    upload(yubei_client, data, "a.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY
    assert job.preview["changes"] == [] and job.preview["unchanged"] == 1
    confirm(yubei_client, job)
    assert last_job().status == ImportStatus.DONE
    assert figures_snapshot() == before


def test_a_clerk_importing_another_districts_row_is_refused_and_nothing_is_written(yubei_client, quarter):
    before = figures_snapshot()
    data = csv_bytes([header(TECH), ["500112", "渝北区", "10"], ["500101", "万州区", "20"]])
    upload(yubei_client, data, "two.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    [problem] = [p for p in job.preview["problems"] if p["level"] == "error"]
    assert problem["row"] == 3 and "万州区" in problem["message"]
    assert confirm(yubei_client, job).status_code == 403
    assert figures_snapshot() == before


def test_a_city_viewer_may_not_upload_or_download_a_template(city_viewer, quarter, client_for):
    client = client_for(city_viewer)
    before = figures_snapshot()
    response = upload(client, csv_bytes([header(TECH), ["500112", "渝北区", "10"]]), "v.csv", quarter)
    assert response.status_code == 403
    assert client.get(reverse("spreadsheets:template")).status_code == 403
    assert not ImportJob.objects.exists()
    assert figures_snapshot() == before


def test_an_approved_quarter_is_refused_and_nothing_is_written(yubei_client, quarter, yubei):
    Submission.objects.filter(unit=yubei, period=quarter).update(state=SubmissionState.APPROVED)
    before = figures_snapshot()
    upload(yubei_client, csv_bytes([header(TECH), ["500112", "渝北区", "10"]]), "late.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    assert "已审核通过" in job.preview["problems"][0]["message"]
    assert figures_snapshot() == before


def test_one_invalid_row_leaves_every_row_of_the_file_unwritten(city_staff, quarter, client_for):
    client = client_for(city_staff)
    before = figures_snapshot()
    rows = [header(TECH, SPECIALISED, GIANTS), ["500112", "渝北区", 100, 10, 2], ["500101", "万州区", 50, 3, 5]]
    upload(client, xlsx_bytes(rows), "city.xlsx", quarter)
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    assert any(p["row"] == 3 and "小巨人" in p["message"] for p in job.preview["problems"])
    assert "确认导入" not in client.get(reverse("spreadsheets:job", args=[job.pk])).content.decode()
    assert confirm(client, job).status_code == 403
    assert figures_snapshot() == before


def test_cells_that_cannot_be_read_are_listed_by_row_and_column(city_staff, quarter, client_for):
    rows = [header(TECH), ["500999", "", "10"], ["500112", "渝北区", "约120"], ["", "", "5"],
            ["500101", "渝北区", "5"], ["500112", "渝北区", "7"]]
    upload(client_for(city_staff), csv_bytes(rows), "bad.csv", quarter)
    problems = {(p["row"], p["column"]): p["message"] for p in last_job().preview["problems"]}
    assert "500999" in problems[(2, "A")]
    assert "约120" in problems[(3, "C")]
    assert "单位代码或单位名称" in problems[(4, None)]
    assert "不一致" in problems[(5, "B")]
    assert "与第 3 行重复" in problems[(6, None)]


def test_units_are_found_by_old_code_or_by_name_with_stray_spaces(city_staff, quarter, client_for):
    client = client_for(city_staff)
    rows = [header(TECH), ["500227", "", "11"], ["", " 万州区 ", "22"]]
    upload(client, csv_bytes(rows, "gbk"), "gbk.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY, job.preview["problems"]
    assert {(c["unit_code"], c["new"]) for c in job.preview["changes"]} == {("500120", "11"), ("500101", "22")}


def test_a_warning_is_shown_but_does_not_block_the_import(yubei_client, quarter, yubei, record):
    record(yubei, "2026Q2", {TECH: 100})
    upload(yubei_client, csv_bytes([header(TECH), ["500112", "渝北区", "400"]]), "jump.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY
    warnings = [p for p in job.preview["problems"] if p["level"] == "warning"]
    assert warnings and warnings[0]["column"] == "C"
    assert "提醒" in yubei_client.get(reverse("spreadsheets:job", args=[job.pk])).content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("formula.xlsx", lambda: xlsx_bytes([header(TECH), ["500112", "渝北区", "=SUM(1,2)"]]), "单元格 C2 是公式"),
        ("renamed.xlsx", lambda: b"MZ\x90\x00 an exe renamed to xlsx", "不是有效的 Excel"),
        ("wrong.xlsx", lambda: xlsx_bytes([["姓名", "电话"], ["张三", "1"]], sheet="Sheet1"), "找不到表头"),
        ("utf16.csv", lambda: ",".join(header(TECH)).encode("utf-16"), "编码"),
        ("notes.pdf", lambda: b"%PDF-1.4", "只接受 .xlsx 或 .csv"),
        ("old.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "另存为” .xlsx"),
        ("bomb.xlsx", lambda: zip_bomb(), "压缩炸弹"),
        ("big.csv", lambda: b"1," * (settings.IMPORT_MAX_BYTES // 2 + 1), "超过上限"),
    ],
)
def test_a_hostile_or_unreadable_file_is_refused_and_nothing_is_written(yubei_client, quarter, name, data, message):
    before = figures_snapshot()
    upload(yubei_client, data(), name, quarter)
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    assert message in job.error_summary
    assert message in yubei_client.get(reverse("spreadsheets:job", args=[job.pk])).content.decode()
    assert bytes(job.content) == b""
    assert figures_snapshot() == before


def test_a_file_over_the_size_limit_is_refused_saying_its_own_size(yubei_client, quarter, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = b"1," * 1500  # 3,000 bytes: the message names these, not the limit plus the one byte read past it
    upload(yubei_client, data, "big.csv", quarter)
    assert "文件大小 3000 字节，超过上限 1000 字节" in last_job().error_summary


def test_a_file_of_a_hundred_thousand_rows_is_refused_saying_the_limit(yubei_client, quarter, settings):
    lines = [",".join(header(TECH))] + ["500112,渝北区,1"] * 100_000
    before = figures_snapshot()
    upload(yubei_client, "\n".join(lines).encode(), "huge.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    assert f"超过 {settings.IMPORT_MAX_ROWS} 行" in job.error_summary
    assert figures_snapshot() == before


def test_a_confirmed_job_cannot_be_confirmed_again(yubei_client, quarter):
    upload(yubei_client, csv_bytes([header(TECH), ["500112", "渝北区", "10"]]), "once.csv", quarter)
    job = last_job()
    assert confirm(yubei_client, job).status_code == 302
    assert confirm(yubei_client, job).status_code == 403


def test_another_clerk_cannot_see_or_confirm_a_job(yubei_client, quarter, wanzhou_clerk, client_for):
    upload(yubei_client, csv_bytes([header(TECH), ["500112", "渝北区", "10"]]), "mine.csv", quarter)
    job = last_job()
    other = client_for(wanzhou_clerk)
    assert other.get(reverse("spreadsheets:job", args=[job.pk])).status_code == 404
    assert confirm(other, job).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.READY
    assert not EnterpriseFigures.objects.exists()


def test_a_row_that_names_a_unit_but_gives_no_figure_is_ignored(yubei_client, quarter, yubei):
    rows = [header(TECH), ["500112", "渝北区", "10"], ["500101", "万州区", ""]]
    upload(yubei_client, csv_bytes(rows), "blank-row.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY, job.preview["problems"]
    assert [change["unit_code"] for change in job.preview["changes"]] == ["500112"]


def test_a_quarter_saved_by_someone_else_after_the_preview_is_a_conflict_and_nothing_is_written(
    yubei_client, quarter, yubei, city_staff
):
    upload(yubei_client, csv_bytes([header(TECH, RD), ["500112", "渝北区", "10", "5"]]), "late.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY
    figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 99})
    before = figures_snapshot()
    confirm(yubei_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert "已被他人修改" in job.preview["problems"][0]["message"]
    assert figures_snapshot() == before


def test_a_conflict_names_the_version_the_preview_saw_whether_the_file_changed_the_quarter_or_not(
    city_staff, quarter, yubei, client_for
):
    wanzhou = Unit.objects.get(code="500101")
    figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 10})
    figures_save(user=city_staff, unit=wanzhou, period=quarter, values={TECH: 20})
    previewed = {unit.code: Submission.objects.get(unit=unit, period=quarter).version for unit in (yubei, wanzhou)}
    client = client_for(city_staff)
    rows = [header(TECH), ["500112", "渝北区", "10"], ["500101", "万州区", "21"]]  # 渝北 as stored, 万州 changed
    upload(client, csv_bytes(rows), "two.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY and job.changed == 1
    figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 11})
    figures_save(user=city_staff, unit=wanzhou, period=quarter, values={TECH: 22})
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    messages = [(problem["row"], problem["message"]) for problem in job.preview["problems"]]
    assert len(messages) == 2
    for (row, message), code in zip(messages, ["500112", "500101"], strict=True):
        assert row == ["500112", "500101"].index(code) + 2
        assert f"预览时为第 {previewed[code]} 版，现为第 {previewed[code] + 1} 版" in message, message


def test_a_quarter_whose_figures_came_without_history_is_still_a_conflict_when_changed_after_the_preview(
    yubei_client, quarter, yubei, city_staff
):
    # Figures loaded by a path that keeps no history (the demo, a restore): the quarter has no history row.
    figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 7999})
    Submission.history.all().delete()
    EnterpriseFigures.history.all().delete()
    upload(yubei_client, csv_bytes([header(TECH), ["500112", "渝北区", "7612"]]), "old.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY
    figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 8001})
    confirm(yubei_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert "已被他人修改" in job.preview["problems"][0]["message"]
    assert EnterpriseFigures.objects.get(unit=yubei, period=quarter).tech_smes == 8001


def test_a_quarter_created_after_the_preview_is_a_conflict(city_staff, quarter, client_for):
    wanshan = Unit.objects.get(code="500110")  # a quarter no draft was made for: absent at the preview
    Submission.objects.filter(unit=wanshan, period=quarter).delete()
    client = client_for(city_staff)
    upload(client, csv_bytes([header(TECH), ["500110", wanshan.name, "12"]]), "new.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY
    figures_save(user=city_staff, unit=wanshan, period=quarter, values={TECH: 30})
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert EnterpriseFigures.objects.get(unit=wanshan, period=quarter).tech_smes == 30
