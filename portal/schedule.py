"""The whole beat schedule, in one place. Entries are written to django-celery-beat's tables by
`load_reference` (created when missing, never overwritten), where municipal staff can see, pause
and change them in the admin. Every entry expires, so a backlog after an outage is not replayed.
"""
from django_celery_beat.models import CrontabSchedule, PeriodicTask

HOUR = 3600

BEAT_SCHEDULE = {
    # Lock quarters whose deadline has passed, early in the morning before staff arrive.
    "关闭已过截止日期的填报期": {
        "task": "districts.tasks.close_overdue_periods",
        "crontab": {"minute": "5", "hour": "1"},
        "expires": 12 * HOUR,
    },
    # Rebuild every dashboard snapshot from the approved figures, after the periods are closed; approvals
    # during the day recompute their unit at once, this catches target edits and anything missed.
    "重新计算指标看板": {
        "task": "indicators.tasks.compute_dashboards_nightly",
        "crontab": {"minute": "30", "hour": "2"},
        "expires": 6 * HOUR,
    },
    # Approvals made while Redis was down left pending runs whose task was never sent: send them again.
    "补发未提交的看板计算": {
        "task": "indicators.tasks.enqueue_waiting_dashboard_runs",
        "crontab": {"minute": "*/5"},
        "expires": 4 * 60,
    },
    # Mail each unit its overdue ledger tasks on weekday mornings, before the working day starts.
    "催办逾期台账任务": {
        "task": "ledger.tasks.remind_overdue_tasks",
        "crontab": {"minute": "30", "hour": "8", "day_of_week": "1-5"},
        "expires": 6 * HOUR,
    },
    # Mail the briefs of quarters that have just become complete to the subscribed leaders, within half an hour.
    "发送季度简报": {
        "task": "briefs.tasks.mail_new_briefs",
        "crontab": {"minute": "*/30"},
        "expires": 25 * 60,
    },
}


def sync_beat_schedule(schedule: dict = BEAT_SCHEDULE) -> int:
    created = 0
    for name, entry in schedule.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(**entry["crontab"], timezone="Asia/Shanghai")
        PeriodicTask.objects.create(name=name, task=entry["task"], crontab=crontab, expire_seconds=entry["expires"])
        created += 1
    return created
