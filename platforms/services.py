"""Writes with rules for platforms: a unit's clerk reports milestones of its own platforms."""
from django.db import transaction
from django.utils.translation import gettext as _

from districts.exceptions import AccessDenied, TransitionRefused
from districts.services import hold_periods, quarter_editable
from platforms.choices import STATUS_RANK
from platforms.models import Platform, PlatformMilestone


def status_step_problem(platform, status: str) -> str | None:
    """A milestone may keep or advance the platform's status, never move it back."""
    if status and STATUS_RANK[status] < STATUS_RANK[platform.status]:
        return _(
            "平台“%(platform)s”当前为“%(current)s”，进展的“达到状态”不能倒退；请选择“%(current)s”或之后的状态，或留空。"
        ) % {"platform": platform.name, "current": platform.get_status_display()}
    return None


@transaction.atomic
def milestone_add(*, user, platform, period, date, title: str, status: str = "", note: str = "") -> PlatformMilestone:
    """Record a milestone in a quarter the user may fill; a milestone with a status moves the platform forward."""
    hold_periods([period.id])  # a close under way is waited for, and the check below sees it
    if not (user.has_perm("platforms.add_platformmilestone")
            and quarter_editable(user=user, unit=platform.unit, period=period)):
        raise AccessDenied(_("您只能在本单位开放填报的季度为本单位的平台添加进展。"))
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    if problem := status_step_problem(platform, status):
        raise TransitionRefused(problem)
    milestone = PlatformMilestone(platform=platform, period=period, date=date, title=title.strip(), status=status,
                                  note=note.strip(), created_by=user)
    milestone._history_user = user
    milestone.full_clean()
    milestone.save()
    if status and status != platform.status:
        platform.status = status
        platform._history_user = user
        platform.full_clean()
        platform.save()
    return milestone
