"""Demo users, open/closed periods and the submissions of 2021Q4–2026Q3."""
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from districts.choices import PeriodStatus, SubmissionAction, SubmissionState
from districts.models import Membership, Period, Submission, SubmissionEvent, Unit
from portal import roles
from portal.demo import FIRST, LAST, DemoContext, build_context

DEMO_USERS = (
    # username, full name, role, unit code
    ("admin", "系统管理员", None, None),
    ("city_staff", "市科技局 张工", roles.MUNICIPAL_STAFF, None),
    ("city_viewer", "市领导 李主任", roles.MUNICIPAL_VIEWER, None),
    ("yubei_staff", "渝北区科技局 王科员", roles.DISTRICT_STAFF, "500112"),
    ("wanzhou_staff", "万州区科技局 陈科员", roles.DISTRICT_STAFF, "500101"),
    ("api_consumer", "市统计局数据接口", roles.API_CONSUMER, None),
)
# Units whose current quarter is still a draft in the demo, so their clerks can try data entry.
DRAFT_UNITS = {"500112", "500101"}


def demo_context(log) -> DemoContext:
    """The context every app's demo seeds from: the demo's quarters and every unit."""
    first = Period.objects.get(year=FIRST[0], quarter=FIRST[1])
    last = Period.objects.get(year=LAST[0], quarter=LAST[1])
    units = Unit.objects.select_related("group").order_by("order")
    return build_context(log, periods=list(Period.objects.between(first, last)), units=list(units))


def create_users():
    User = get_user_model()
    for username, full_name, role, unit_code in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if not created:
            continue
        user.first_name = full_name
        user.is_superuser = user.is_staff = role is None
        user.is_staff = user.is_staff or role in (roles.MUNICIPAL_STAFF, roles.DISTRICT_STAFF)
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        if unit_code:
            Membership.objects.create(user=user, unit=Unit.objects.get(code=unit_code))


def seed(ctx):
    create_users()
    city_staff = get_user_model().objects.get(username="city_staff")
    current = ctx.periods[-1]
    for period in ctx.periods:
        period.status = PeriodStatus.OPEN if period == current else PeriodStatus.CLOSED
        period.deadline = period.end_date + datetime.timedelta(days=75 if period == current else 25)
        period.save()

    submissions, events = [], []
    for period in ctx.periods:
        due = timezone.make_aware(datetime.datetime.combine(period.deadline, datetime.time(17)))
        for index, unit in enumerate(ctx.units):
            late = ctx.rng.random() < 0.12
            submitted = due + datetime.timedelta(days=ctx.rng.randint(1, 6) if late else -ctx.rng.randint(1, 15))
            state = SubmissionState.APPROVED
            if period == current:
                state = (
                    SubmissionState.DRAFT if unit.code in DRAFT_UNITS or index % 5 == 0
                    else SubmissionState.SUBMITTED if index % 3 == 0 else SubmissionState.APPROVED
                )
            submission = Submission(unit=unit, period=period, state=state)
            if state != SubmissionState.DRAFT:
                submission.submitted_at = submitted
                events.append((submission, SubmissionAction.SUBMIT, None, submitted))
            if state == SubmissionState.APPROVED:
                submission.approved_at = submitted + datetime.timedelta(days=2)
                events.append((submission, SubmissionAction.APPROVE, city_staff, submission.approved_at))
            submissions.append(submission)
    Submission.objects.bulk_create(submissions)
    SubmissionEvent.objects.bulk_create(
        SubmissionEvent(submission=s, action=action, actor=actor, at=at) for s, action, actor, at in events
    )
    ctx.log(f"districts: {len(DEMO_USERS)} users, {len(submissions)} submissions")
