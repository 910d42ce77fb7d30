from django import template
from django.http import Http404

from indicators.choices import Scope
from indicators.dashboards import Selection, plan_indicators
from indicators.models import IndicatorValue

register = template.Library()


@register.inclusion_tag("indicators/_headlines.html", takes_context=True)
def plan_headlines(context):
    """The home page's headline numbers: the active plan's city figures at the overview's default quarter."""
    user = context["request"].user
    if not user.has_perm("indicators.view_indicatorvalue"):
        return {}
    values = IndicatorValue.objects.restrict(user, "view")
    try:
        sel = Selection.from_query({}, values)
    except Http404:  # no plan yet
        return {}
    if sel.period is None:
        return {"sel": sel}
    rows = (values.filter(plan=sel.plan, period=sel.period, scope=Scope.CITY, indicator__in=plan_indicators(sel.plan))
            .select_related("indicator", "target_period").order_by("indicator__order"))
    return {"sel": sel, "rows": rows}
