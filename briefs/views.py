"""The briefs page (the overview links to it), a brief's PDF, generating one on demand, and subscribing."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from briefs import services
from briefs.choices import BriefTrigger
from briefs.models import BriefSubscription, QuarterlyBrief, briefs_allowed
from indicators.dashboards import Selection
from indicators.models import IndicatorValue


def _may_read(request):
    if not briefs_allowed(request.user, "view"):
        raise PermissionDenied


@login_required
def brief_list(request):
    _may_read(request)
    sel = Selection.from_query(request.GET, IndicatorValue.objects.all())
    briefs = QuarterlyBrief.objects.restrict(request.user, "view").filter(plan=sel.plan).select_related(
        "period", "run", "requested_by")
    chosen = next((b for b in briefs if b.period == sel.period), None)
    return render(request, "briefs/list.html", {
        "sel": sel, "briefs": briefs, "chosen": chosen, "can_generate": briefs_allowed(request.user, "add"),
        "subscribed": BriefSubscription.objects.filter(user=request.user).exists(),
    })


@login_required
def brief_download(request, pk):
    brief = get_object_or_404(QuarterlyBrief.objects.restrict(request.user, "view").select_related("plan", "period"),
                              pk=pk)
    return FileResponse(brief.file.open("rb"), content_type="application/pdf",
                        filename=f"{brief.plan.code}-{brief.period.code}.pdf")


@require_POST
@login_required
def brief_generate(request):
    if not briefs_allowed(request.user, "add"):
        raise PermissionDenied
    sel = Selection.from_query(request.POST, IndicatorValue.objects.all())
    if sel.period is None or sel.period.code != request.POST.get("period"):
        return HttpResponseBadRequest(_("请选择已有计算结果的季度。"))
    brief = services.brief_generate(plan=sel.plan, period=sel.period, trigger=BriefTrigger.ON_DEMAND,
                                    requested_by=request.user)
    messages.success(request, _("已生成 %(plan)s %(period)s 季度简报。") % {"plan": brief.plan.name,
                                                                     "period": brief.period.code})
    return redirect(f"{reverse('briefs:list')}?plan={sel.plan.code}&period={sel.period.code}")


@require_POST
@login_required
def subscription(request):
    if not briefs_allowed(request.user, "view"):
        raise PermissionDenied
    choice = request.POST.get("subscribed")
    if choice not in ("1", "0"):
        return HttpResponseBadRequest(_("请选择订阅或取消订阅。"))
    services.brief_subscription_set(user=request.user, subscribed=choice == "1")
    messages.success(request, _("已订阅季度简报。") if choice == "1" else _("已取消订阅季度简报。"))
    return redirect("briefs:list")
