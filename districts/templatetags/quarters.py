from django import template

from districts.choices import PeriodStatus
from districts.models import Period, Submission
from districts.selectors import return_event
from portal import roles

register = template.Library()


@register.inclusion_tag("districts/home_card.html", takes_context=True)
def quarter_card(context):
    """The home page card: a clerk's current quarter, or the completeness of the open period for the city."""
    user = context["request"].user
    if roles.is_district_staff(user):
        submission = Submission.objects.restrict(user, "view").select_related("unit", "period").first()
        return {"submission": submission, "returned": return_event(submission)}
    if roles.is_municipal(user):
        period = Period.objects.filter(status=PeriodStatus.OPEN).order_by("-ordinal").first()
        submissions = Submission.objects.restrict(user, "view").filter(period=period)
        return {"period": period, "total": submissions.count(),
                "done": submissions.filter(state__in=("submitted", "approved")).count()}
    return {}
