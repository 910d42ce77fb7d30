import datetime
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from conftest import make_user
from districts.models import Period
from ledger.models import RoundItem, Task
from ledger.services import round_start, tasks_remind_overdue
from ledger.tests.conftest import TODAY, make_task
from portal import roles


def test_a_round_shows_which_units_answered(client_for, city_staff, yubei_clerk, yubei_task, wanzhou_task):
    response = client_for(city_staff).post("/ledger/rounds/new/", {
        "title": "2026年第四季度重点任务调度", "due": "2026-12-10", "instructions": "请反馈进展",
        "tasks": [yubei_task.pk, wanzhou_task.pk],
    })
    assert response.status_code == 302
    item = RoundItem.objects.get(task=yubei_task)

    clerk = client_for(yubei_clerk)
    answer = {f"{item.pk}-answer": "已完成专家评审", f"{item.pk}-progress": 95}
    clerk.post(f"/ledger/rounds/items/{item.pk}/answer/", answer)
    item.refresh_from_db()
    assert item.answered and item.answered_by == yubei_clerk
    yubei_task.refresh_from_db()
    assert yubei_task.progress == 95

    page = client_for(city_staff).get(f"/ledger/rounds/{item.round_id}/").content.decode()
    assert "1 / 2 个单位已全部反馈" in page
    assert "已完成专家评审" in page


def test_a_clerk_cannot_answer_for_another_district(client_for, city_staff, yubei_clerk, wanzhou_task):
    round_ = round_start(title="调度", due=TODAY, tasks=[wanzhou_task], actor=city_staff)
    item = round_.items.get()
    response = client_for(yubei_clerk).post(f"/ledger/rounds/items/{item.pk}/answer/",
                                            {f"{item.pk}-answer": "代答", f"{item.pk}-progress": 100})
    assert response.status_code == 404
    item.refresh_from_db()
    assert not item.answered and item.answer == ""


def test_only_municipal_staff_start_a_round(client_for, yubei_clerk, yubei_task):
    assert client_for(yubei_clerk).get("/ledger/rounds/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        round_start(title="调度", due=TODAY, tasks=[yubei_task], actor=yubei_clerk)


def test_reminders_go_to_each_unit_with_overdue_tasks_once_a_day(chongqing, yubei_clerk, wanzhou_clerk):
    yubei_clerk.email = "yubei@example.cn"
    yubei_clerk.save()
    late = make_task("500112", "逾期任务甲", start=datetime.date(2026, 1, 1), due=datetime.date(2026, 11, 1))
    make_task("500112", "已完成任务", start=datetime.date(2026, 1, 1), due=datetime.date(2026, 11, 1),
              status="done", progress=100)
    make_task("500112", "未到期任务", due=datetime.date(2026, 12, 31))
    make_task("500101", "万州逾期任务", start=datetime.date(2026, 1, 1), due=datetime.date(2026, 11, 1))  # no email

    assert tasks_remind_overdue(today=TODAY) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["yubei@example.cn"]
    assert "渝北区有 1 项任务逾期" in message.subject
    assert late.title in message.body and "已完成任务" not in message.body and "未到期任务" not in message.body

    assert tasks_remind_overdue(today=TODAY) == 0  # the beat may run twice: no second mail the same day
    assert len(mail.outbox) == 1


def test_the_beat_entry_runs_the_reminder_task(chongqing):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="ledger.tasks.remind_overdue_tasks")
    assert entry.expire_seconds


def test_the_excel_ledger_is_printable_and_neutralises_formulas(client_for, yubei_clerk):
    make_task("500112", "=HYPERLINK(\"http://x\")", office="@科室", investment=1200)
    response = client_for(yubei_clerk).get("/ledger/export/500112.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert "渝北区" in sheet["A1"].value
    assert sheet["C3"].value == "任务（项目）名称"
    assert sheet["C4"].value == "'=HYPERLINK(\"http://x\")"
    assert sheet["E4"].value == "'@科室"
    assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet["C4"].border.left.style == "thin"


def test_a_clerk_cannot_export_another_units_ledger(client_for, yubei_clerk, wanzhou_task):
    assert client_for(yubei_clerk).get("/ledger/export/500101.xlsx").status_code == 404


def test_a_quarterly_note_and_an_attachment_are_kept_with_the_task(client_for, yubei_clerk, yubei_task,
                                                                   settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(yubei_clerk)
    period = Period.objects.get_by_code("2026Q3")
    client.post(f"/ledger/{yubei_task.pk}/", {"period": period.pk, "progress": 92, "text": "完成选址"})
    upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(f"/ledger/{yubei_task.pk}/", {"file": upload})
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    client.post(f"/ledger/{yubei_task.pk}/", {"file": bad})

    task = Task.objects.get(pk=yubei_task.pk)
    assert task.progress == 92
    assert task.notes.get().text == "完成选址"
    assert [a.name for a in task.attachments.all()] == ["方案.pdf"]
    wanzhou_clerk = make_user("wz2", roles.DISTRICT_STAFF, "500101")
    attachment = task.attachments.get()
    assert client_for(wanzhou_clerk).get(f"/ledger/attachments/{attachment.pk}/").status_code == 404


def test_overdue_and_at_risk_are_told_apart(chongqing):
    overdue = make_task("500112", "a", start=datetime.date(2026, 1, 1), due=datetime.date(2026, 11, 1))
    behind = make_task("500112", "b", start=datetime.date(2026, 1, 1), due=datetime.date(2027, 1, 31), progress=30)
    on_track = make_task("500112", "c", start=datetime.date(2026, 1, 1), due=datetime.date(2027, 6, 30), progress=80)
    assert overdue.is_overdue(TODAY) and not overdue.is_at_risk(TODAY)
    assert behind.is_at_risk(TODAY) and not behind.is_overdue(TODAY)
    assert not on_track.is_at_risk(TODAY)


def test_an_answer_that_breaks_a_task_rule_is_refused_whole(client_for, city_staff, yubei_clerk, chongqing):
    done = make_task("500112", "已完成的任务", status="done", progress=100)
    item = round_start(title="调度", due=TODAY, tasks=[done], actor=city_staff).items.get()
    response = client_for(yubei_clerk).post(f"/ledger/rounds/items/{item.pk}/answer/",
                                            {f"{item.pk}-answer": "进度回调", f"{item.pk}-progress": 80},
                                            follow=True)
    assert "状态为“已完成”时，完成进度应为 100%" in response.content.decode()
    item.refresh_from_db()
    done.refresh_from_db()
    assert not item.answered and done.progress == 100
