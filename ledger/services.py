"""Writes with rules for the ledger: tasks, progress notes, attachments, scheduling rounds, reminders.

Every write by a person re-checks, inside the transaction, that the row is still within what
`restrict(actor, action)` lets them touch, so a clerk can never move a task to another unit.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from districts.models import Period
from ledger.models import Attachment, ProgressNote, Round, RoundItem, Task
from portal import roles

TASK_FIELDS = ("unit", "kind", "title", "article", "office", "owner", "start", "due", "status", "progress",
               "investment", "description")


def _still_allowed(model, pk, actor, action) -> None:
    if not model.objects.restrict(actor, action).filter(pk=pk).exists():
        raise PermissionDenied(_("您无权修改其他单位的台账。"))


@transaction.atomic
def task_create(*, actor, **data) -> Task:
    task = Task(**{name: data[name] for name in TASK_FIELDS if name in data})
    task.full_clean()
    task.save()
    _still_allowed(Task, task.pk, actor, "add")
    return task


@transaction.atomic
def task_update(*, task: Task, actor, **data) -> Task:
    _still_allowed(Task, task.pk, actor, "change")
    for name in TASK_FIELDS:
        if name in data:
            setattr(task, name, data[name])
    task.full_clean()
    task.save()
    _still_allowed(Task, task.pk, actor, "change")
    return task


@transaction.atomic
def progress_note_save(*, task: Task, period: Period, progress: int, text: str, actor) -> ProgressNote:
    """The task's note for a quarter (one per quarter, replaced when written again); the task takes its progress."""
    _still_allowed(Task, task.pk, actor, "change")
    note = ProgressNote.objects.filter(task=task, period=period).first() or ProgressNote(task=task, period=period)
    note.progress, note.text, note.author = progress, text, actor
    note.full_clean()
    note.save()
    if task.progress != progress:
        task_update(task=task, actor=actor, progress=progress)
    return note


@transaction.atomic
def attachment_add(*, task: Task, file, actor) -> Attachment:
    _still_allowed(Task, task.pk, actor, "change")
    attachment = Attachment(task=task, file=file, name=file.name[:200], uploaded_by=actor)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def round_start(*, title: str, due: datetime.date, tasks, actor, instructions: str = "") -> Round:
    """Open a scheduling round asking the tasks' units for an update by `due`."""
    if not roles.is_municipal_staff(actor):
        raise PermissionDenied(_("只有市级管理人员可以发起调度。"))
    round_ = Round(title=title, due=due, instructions=instructions, created_by=actor)
    round_.full_clean()
    tasks = list(tasks)
    if not tasks:
        raise ValidationError({"tasks": _("请至少选择一项要调度的任务。")})
    round_.save()
    bulk_create_with_history([RoundItem(round=round_, task=task) for task in tasks], RoundItem)
    return round_


@transaction.atomic
def round_answer(*, item: RoundItem, answer: str, progress: int | None, actor) -> RoundItem:
    """A unit's answer to a round: recorded on the item and, when a progress is given, on the task."""
    _still_allowed(RoundItem, item.pk, actor, "change")
    item.answer, item.progress = answer.strip(), progress
    item.answered_by, item.answered_at = actor, timezone.now()
    item.full_clean()
    item.save()
    if progress is not None and progress != item.task.progress:
        task_update(task=item.task, actor=actor, progress=progress)
    return item


def tasks_remind_overdue(*, today: datetime.date | None = None) -> int:
    """Mail each unit's staff the list of its overdue tasks, at most once a day; returns the mails sent."""
    today = today or timezone.localdate()
    due = Task.objects.overdue(today).exclude(reminded_on=today).select_related("unit").order_by("unit", "due")
    by_unit: dict = {}
    for task in due:
        by_unit.setdefault(task.unit, []).append(task)
    sent = 0
    for unit, tasks in by_unit.items():
        recipients = [m.user.email for m in unit.members.select_related("user") if m.user.email and m.user.is_active]
        if not recipients:
            continue
        lines = [f"· {t.title}（责任科室：{t.office}，完成时限：{t.due:%Y-%m-%d}，进度：{t.progress}%）" for t in tasks]
        body = _("%(unit)s：以下 %(count)s 项任务已超过完成时限，请尽快推进并在平台更新进展。") % {
            "unit": unit.name, "count": len(tasks)}
        sent += send_mail(_("【任务台账】%(unit)s有 %(count)s 项任务逾期") % {"unit": unit.name, "count": len(tasks)},
                          "\n".join([body, "", *lines]), None, recipients)
        # reminded_on is bookkeeping kept out of the history, so a plain update is enough
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(reminded_on=today)
    return sent
