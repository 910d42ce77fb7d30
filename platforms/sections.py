from django.utils.translation import gettext_lazy as _

from districts.registry import Section
from platforms.models import Platform, PlatformMilestone


def milestone_context(*, unit, period, user) -> dict:
    """The unit's platforms with the milestones reported in this quarter, for the quarter page."""
    platforms = Platform.objects.restrict(user, "view").filter(unit=unit)
    milestones = PlatformMilestone.objects.restrict(user, "view").filter(platform__unit=unit, period=period)
    return {"platforms": platforms, "milestones": milestones.select_related("platform")}


# Milestones are records, not values: the section has no figures and renders its own part of the page.
MILESTONE_SECTION = Section(
    key="milestones",
    label=_("平台进展"),
    model=PlatformMilestone,
    figures=(),
    order=40,
    template="platforms/quarter_section.html",
    context=milestone_context,
)
