"""The Excel and CSV hub (template, upload form, exports, recent imports) and the downloads."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from districts.exports import export_lists
from districts.models import ImportJob, Period
from districts.spreadsheets.exporting import FORMATS, export_response
from districts.spreadsheets.forms import ImportForm, default_period, recent_periods
from districts.spreadsheets.template import build_template
from districts.spreadsheets.values import units_for_entry
from portal.downloads import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_exports(user):
    return [item for item in export_lists
            if user.has_perm(f"{item.model._meta.app_label}.view_{item.model._meta.model_name}")]


def _period_from(request):
    code = request.GET.get("period")
    if not code:
        return None
    try:
        return Period.objects.get_by_code(code)
    except (ValueError, Period.DoesNotExist) as exc:
        raise Http404(_("季度“%(code)s”不存在") % {"code": code}) from exc


@login_required
@require_GET
def hub(request):
    return render_hub(request, ImportForm())


def render_hub(request, form, status=200):
    return render(request, "districts/spreadsheets/hub.html", {
        "form": form,
        "can_import": units_for_entry(request.user).exists(),
        "periods": recent_periods()[:8],
        "default_period": default_period(),
        "exports": visible_exports(request.user),
        "formats": list(FORMATS),
        "jobs": ImportJob.objects.restrict(request.user, "view").select_related("created_by", "period")[:15],
    }, status=status)


@login_required
@require_GET
def template_download(request):
    units = list(units_for_entry(request.user))
    if not units:
        raise PermissionDenied(_("只有区县填报人员和市级管理人员可以下载填报模板。"))
    period = _period_from(request) or default_period()
    content = build_template(period=period, units=units)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment(f"{_('填报模板')}-{period}.xlsx", f"template-{period.code}.xlsx")
    return response


@login_required
@require_GET
def export_download(request, key, extension):
    export_list = export_lists.get(key)
    if export_list is None or extension not in FORMATS or export_list not in visible_exports(request.user):
        raise Http404(_("没有这个导出列表"))
    return export_response(export_list=export_list, user=request.user, extension=extension,
                           period=_period_from(request))


