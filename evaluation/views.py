"""Evaluation pages: the list, the report (HTML, PDF, Excel), the sensitivity view and staff actions."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import services
from evaluation.extremes import extreme_moves
from evaluation.method import Method
from evaluation.models import Evaluation, Scheme
from evaluation.pdf import report_pdf
from evaluation.report import build_report, visible_evaluations
from evaluation.sensitivity import fixed_weights, sensitivity, weight_choices
from evaluation.xlsx import XLSX, report_workbook
from portal import roles
from portal.downloads import attachment


def _evaluation(request, pk) -> Evaluation:
    return get_object_or_404(visible_evaluations(request.user).select_related("scheme"), pk=pk)


def _staff_only(request):
    if not (roles.is_municipal_staff(request.user) and request.user.has_perm("evaluation.change_evaluation")):
        raise PermissionDenied


@login_required
def evaluation_list(request):
    staff = roles.is_municipal_staff(request.user)
    return render(request, "evaluation/list.html", {
        "evaluations": visible_evaluations(request.user).prefetch_related("runs"),
        "schemes": Scheme.objects.select_related("period") if staff else [], "can_manage": staff,
    })


@login_required
def report(request, pk):
    evaluation = _evaluation(request, pk)
    return render(request, "evaluation/report.html", {
        "report": build_report(evaluation), "evaluation": evaluation, "run": evaluation.runs.first(),
        "can_manage": roles.is_municipal_staff(request.user),
    })


def _download(content: bytes, content_type: str, evaluation, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment(
        f"{evaluation.scheme}-{_('评价报告')}-v{evaluation.version}.{extension}",
        f"evaluation-{evaluation.pk}.{extension}",
    )
    return response


@login_required
def report_pdf_download(request, pk):
    evaluation = _evaluation(request, pk)
    return _download(report_pdf(build_report(evaluation)), "application/pdf", evaluation, "pdf")


@login_required
def report_xlsx_download(request, pk):
    evaluation = _evaluation(request, pk)
    return _download(report_workbook(build_report(evaluation)), XLSX, evaluation, "xlsx")


@login_required
def sensitivity_view(request, pk):
    evaluation = _evaluation(request, pk)
    choices = weight_choices(evaluation)
    moved = request.GET.get("weight") or (choices[0][0] if choices else "")
    if moved not in dict(choices):
        moved = choices[0][0] if choices else ""
    rows = sensitivity(evaluation, moved) if moved else []
    return render(request, "evaluation/sensitivity.html", {
        "evaluation": evaluation, "method": Method.of(evaluation), "choices": choices, "moved": moved,
        "moved_label": dict(choices).get(moved, ""), "fixed": fixed_weights(evaluation),
        "rows": rows, "changed": sum(1 for row in rows if row["shift"]),
        "moves": extreme_moves(evaluation) if evaluation.computed_at else [],
    })


@require_POST
@login_required
def scheme_compute(request, pk):
    _staff_only(request)
    scheme = get_object_or_404(Scheme, pk=pk)
    try:
        run, started = services.scheme_request_compute(scheme=scheme, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("evaluation:list")
    if started:
        messages.success(request, _("已开始计算“%(scheme)s”的新版本：%(evaluation)s。计算完成后本页显示结果。")
                         % {"scheme": scheme.name, "evaluation": run.evaluation})
    else:
        messages.info(request, _("“%(scheme)s”已有一次计算正在进行（%(evaluation)s，%(status)s），未重复开始。")
                      % {"scheme": scheme.name, "evaluation": run.evaluation, "status": run.get_status_display()})
    return redirect("evaluation:report", pk=run.evaluation_id)


@require_POST
@login_required
def publish(request, pk):
    _staff_only(request)
    evaluation = _evaluation(request, pk)
    try:
        services.evaluation_publish(evaluation=evaluation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已发布，结果已冻结。"))
    return redirect("evaluation:report", pk=pk)


@require_POST
@login_required
def new_version(request, pk):
    _staff_only(request)
    fresh = services.evaluation_new_version(evaluation=_evaluation(request, pk), actor=request.user)
    messages.success(request, _("已按当前数据新建第%s版，正在计算。") % fresh.version)
    return redirect("evaluation:report", pk=fresh.pk)
