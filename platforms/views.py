from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from districts.exceptions import TransitionRefused
from districts.models import Period, Submission
from platforms.forms import MilestoneForm
from platforms.models import Platform
from platforms.services import milestone_add
from portal import roles


@login_required
def platform_list(request):
    platforms = Platform.objects.restrict(request.user, "view").select_related("unit")
    return render(request, "platforms/platform_list.html", {"platforms": platforms})


def _fillable_periods(user, platform):
    """Quarters the user may report a milestone in: any opened one for city staff, the unit's open ones for a clerk."""
    if roles.is_municipal_staff(user):
        return Period.objects.filter(Q(status="open") | Q(submissions__unit=platform.unit)).distinct()
    open_ids = Submission.objects.open_for_entry().filter(unit=platform.unit).values("period_id")
    return Period.objects.filter(pk__in=open_ids)


@login_required
def platform_detail(request, pk: int):
    platform = get_object_or_404(Platform.objects.restrict(request.user, "view").select_related("unit"), pk=pk)
    periods = _fillable_periods(request.user, platform)
    latest = periods.order_by("-ordinal").first()
    form = MilestoneForm(request.POST or None, periods=periods, initial={"period": latest})
    if request.method == "POST" and form.is_valid():
        try:
            milestone_add(user=request.user, platform=platform, **form.cleaned_data)
        except TransitionRefused as refused:
            form.add_error("status", str(refused))
        else:
            messages.success(request, _("已添加进展。"))
            return redirect("platforms:detail", pk=platform.pk)
    milestones = platform.milestones.select_related("period", "created_by")
    can_add = request.user.has_perm("platforms.add_platformmilestone") and periods.exists()
    return render(request, "platforms/platform_detail.html",
                  {"platform": platform, "milestones": milestones, "form": form, "can_add": can_add})
