"""How the services write: a save with its actor in the history, a submission's event, the held periods and the locked
submission row."""

from django.db import connection

from districts.models import Period, Submission, SubmissionEvent


def record_event(submission, action, user, comment="") -> SubmissionEvent:
    return SubmissionEvent.objects.create(submission=submission, action=action, actor=user, comment=comment)


def save_tracked(obj, user) -> None:
    obj._history_user = user
    obj.full_clean()
    obj.save()


def hold_periods(period_ids) -> None:
    """Keep these periods as they are (not opened, not closed) until the transaction ends: a shared lock, which
    saves and steps in the same quarters all hold at once, and only a change of the period row waits for. A close
    under way is waited for, and every statement after this one sees it; so whoever decides by the period whether a
    quarter is open takes this first. Every service locks a quarter's period before its submission, and periods in
    the order of their ids, so no two wait for each other in a ring. SQLite has no row locks (it writes one at a
    time)."""
    if connection.vendor != "postgresql" or not period_ids:
        return
    table, pk = connection.ops.quote_name(Period._meta.db_table), connection.ops.quote_name(Period._meta.pk.column)
    sql = f"SELECT {pk} FROM {table} WHERE {pk} = ANY(%s) ORDER BY {pk} FOR SHARE"  # noqa: S608 (the model's names)
    with connection.cursor() as cursor:
        cursor.execute(sql, [sorted(period_ids)])


def locked_submission(submission) -> Submission:
    """The submission, locked until the transaction ends, its period held first (`hold_periods`); read after the
    locks, so a step that started while its quarter was being closed sees it closed. Only the submission's own row
    is locked: the unit and period it reads are not (two units' steps in one quarter do not wait for each other)."""
    hold_periods([submission.period_id])
    return Submission.objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=submission.pk)
