"""Reporting periods: open, close, and the schedule's close of overdue periods."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from districts.choices import PeriodStatus, SubmissionAction
from districts.exceptions import TransitionRefused
from districts.models import Period, Submission, SubmissionEvent, Unit
from districts.services.access import permission_first, require_municipal_staff
from districts.services.trail import save_tracked


def _units_joined_by(period):
    return Unit.objects.filter(Q(joined__isnull=True) | Q(joined__ordinal__lte=period.ordinal))


def _record_for_period(period, action, user, comment) -> None:
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(submission=s, action=action, actor=user, comment=comment)
        for s in Submission.objects.filter(period=period)
    )


@permission_first(require_municipal_staff)
@transaction.atomic
def period_open(*, user, period, deadline) -> int:
    """Open a quarter for entry (or move its deadline) and give every unit that has joined a draft; returns
    how many drafts were created."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    period.status, period.deadline = PeriodStatus.OPEN, deadline
    save_tracked(period, user)
    existing = set(Submission.objects.filter(period=period).values_list("unit_id", flat=True))
    drafts = [Submission(unit=unit, period=period) for unit in _units_joined_by(period) if unit.pk not in existing]
    bulk_create_with_history(drafts, Submission, default_user=user)
    comment = _("开放填报，截止日期 %(deadline)s") % {"deadline": deadline} if deadline else _("开放填报，未设截止日期")
    _record_for_period(period, SubmissionAction.OPEN, user, comment)
    return len(drafts)


@permission_first(require_municipal_staff)
@transaction.atomic
def period_close(*, user, period) -> None:
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status != PeriodStatus.OPEN:
        raise TransitionRefused(_("%(period)s 当前为“%(status)s”，只有填报中的季度可以关闭。")
                                % {"period": period.code, "status": period.get_status_display()})
    period.status = PeriodStatus.CLOSED
    save_tracked(period, user)
    _record_for_period(period, SubmissionAction.CLOSE, user, _("关闭填报期"))




@transaction.atomic
def periods_close_overdue(*, actor=None, today=None) -> list[str]:
    """Close every open period whose deadline has passed, recorded as `period_close` records it (the actor is None
    when the schedule closes them: no person did); returns the codes closed."""
    today = today or timezone.localdate()
    # In the order of their ids, as a save holds them (`trail.hold_periods`): the two never wait in a ring.
    overdue = list(Period.objects.select_for_update().filter(status=PeriodStatus.OPEN, deadline__lt=today)
                   .order_by("pk"))
    for period in overdue:
        period.status = PeriodStatus.CLOSED
        save_tracked(period, actor)
        _record_for_period(period, SubmissionAction.CLOSE, actor,
                           _("截止日期 %(deadline)s 已过，自动关闭填报期") % {"deadline": period.deadline.isoformat()})
    return [period.code for period in overdue]
