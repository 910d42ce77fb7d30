"""Writes of the quarterly briefs: generate one, generate those a completed quarter calls for, mail new ones,
and a leader's subscription."""
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from briefs.choices import BriefTrigger
from briefs.content import brief_content
from briefs.models import BriefSubscription, QuarterlyBrief, briefs_allowed
from briefs.pdf import brief_pdf
from districts.models import Period
from indicators import selectors
from indicators.dashboards import latest_complete_period
from indicators.models import DashboardRun, Plan

logger = logging.getLogger(__name__)


@transaction.atomic
def brief_generate(*, plan: Plan, period: Period, trigger: str, run: DashboardRun | None = None,
                   requested_by=None) -> QuarterlyBrief:
    """Write the PDF of a plan and quarter from the current snapshot and record it."""
    if requested_by is not None and not briefs_allowed(requested_by, "add"):
        raise PermissionDenied(_("只有市级管理人员可以生成简报。"))
    run = run or selectors.latest_run()
    brief = QuarterlyBrief(plan=plan, period=period, run=run, trigger=trigger, requested_by=requested_by)
    pdf = brief_pdf(brief_content(plan=plan, period=period), generated_at=brief.generated_at, run=run)
    brief.file.save(f"{plan.code}-{period.code}.pdf", ContentFile(pdf), save=False)
    brief.full_clean()
    brief.save()
    return brief


def briefs_for_completed_quarters(*, run: DashboardRun) -> list[QuarterlyBrief]:
    """For each plan being tracked, the brief of the latest complete quarter (every expected unit approved in
    the snapshot), if it has none yet.

    Called after every succeeded run: the run that stores the last unit's approval completes the quarter; an
    approval the snapshot does not hold yet waits for its own run. Only the latest complete quarter is briefed,
    so older quarters are not briefed after the fact.
    """
    made = []
    for plan in Plan.objects.filter(active=True):
        latest = latest_complete_period(plan)
        if latest is None or QuarterlyBrief.objects.filter(
                plan=plan, period=latest, trigger=BriefTrigger.COMPLETED).exists():
            continue
        try:
            made.append(brief_generate(plan=plan, period=latest, trigger=BriefTrigger.COMPLETED, run=run))
        except IntegrityError:  # another run's task briefed it meanwhile (brief_once_on_completion)
            logger.info("%s %s was briefed by another run", plan, latest)
    return made


def briefs_mail_new() -> int:
    """Mail each brief generated on a quarter's completion, not yet mailed, to every subscriber allowed to
    read it, one mail each with the PDF attached; returns the mails sent."""
    sent = 0
    subscribers = [s.user for s in BriefSubscription.objects.select_related("user")
                   if s.user.is_active and s.user.email]
    for brief in QuarterlyBrief.objects.filter(trigger=BriefTrigger.COMPLETED, mailed_at__isnull=True).select_related(
            "plan", "period"):
        pdf = brief.file.read()
        brief.file.close()
        for user in subscribers:
            if not briefs_allowed(user, "view"):
                continue
            subject = _("【季度简报】%(plan)s %(period)s") % {"plan": brief.plan.name, "period": brief.period.code}
            body = _("%(plan)s %(period)s 季度数据已全部审核，季度简报见附件。") % {
                "plan": brief.plan.name, "period": brief.period.code}
            mail = EmailMessage(subject, body, to=[user.email])
            mail.attach(f"{brief.plan.code}-{brief.period.code}.pdf", pdf, "application/pdf")
            sent += mail.send()
        QuarterlyBrief.objects.filter(pk=brief.pk).update(mailed_at=timezone.now())
    return sent


def brief_subscription_set(*, user, subscribed: bool) -> BriefSubscription | None:
    """Subscribe a user who may read the briefs, or end their subscription."""
    if not subscribed:
        BriefSubscription.objects.filter(user=user).delete()
        return None
    if not briefs_allowed(user, "view"):
        raise PermissionDenied(_("季度简报只发送给市级用户。"))
    return BriefSubscription.objects.get_or_create(user=user)[0]
