"""The quarter pages: my quarters, the period list, one unit's quarter, a period's completeness.

Views stay thin: they find the rows through `restrict()`, call a service and turn its refusal into a
message; every rule lives in districts/services/.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from districts import services
from districts.exceptions import FiguresRejected, QuarterConflict, TransitionRefused
from districts.figures import quarter_values
from districts.forms import AccessForm, AnswerForm, CommentForm, DeadlineForm, QueryForm
from districts.models import FigureNote, Period, Submission, Unit
from districts.registry import sections
from districts.selectors import figure_history, period_completeness, quarter_blocks, return_event
from districts.validation import check_quarter, parse_value
from portal import roles
from portal.querysets import unit_id_of

RECENT_PERIODS = 12


def _period(code: str) -> Period:
    try:
        return Period.objects.get_by_code(code)
    except (ValueError, Period.DoesNotExist):
        raise Http404(_("没有这个季度")) from None


def _submission(request, period_code: str, unit_code: str) -> Submission:
    period = _period(period_code)
    unit = get_object_or_404(Unit.objects.restrict(request.user, "view"), code=unit_code)
    visible = Submission.objects.restrict(request.user, "view").select_related("unit", "period")
    submission = visible.filter(unit=unit, period=period).first()
    if submission is None:
        raise Http404(_("该季度尚未对该单位开放填报"))
    return submission


@login_required
def quarter_list(request):
    """District staff: their unit's quarters. Municipal users: the periods, with open and close for staff."""
    if roles.is_municipal(request.user):
        periods = list(Period.objects.exclude(status="planned").order_by("-ordinal")[:RECENT_PERIODS])
        # The quarters after the latest one opened; planned quarters before it were simply never used.
        later = {"ordinal__gt": periods[0].ordinal} if periods else {}
        upcoming = list(Period.objects.filter(status="planned", **later).order_by("ordinal")[:4])
        return render(request, "districts/period_list.html", {
            "periods": periods, "upcoming": upcoming, "next_planned": upcoming[0] if upcoming else None,
        })
    submissions = Submission.objects.restrict(request.user, "view").select_related("unit", "period")
    return render(request, "districts/my_quarters.html", {"submissions": submissions[: RECENT_PERIODS * 2]})


def _posted_values(request) -> dict[str, str]:
    return {slot.key: request.POST[slot.key] for slot in sections.slots() if slot.key in request.POST}


def _posted_notes(request) -> dict[str, str]:
    return {
        slot.key: request.POST[f"note:{slot.key}"] for slot in sections.slots() if f"note:{slot.key}" in request.POST
    }


def _save(request, submission) -> str:
    version = request.POST.get("version", "")
    result = services.figures_save(
        user=request.user, unit=submission.unit, period=submission.period, values=_posted_values(request),
        notes=_posted_notes(request), expected_version=int(version) if version.isdigit() else None,
    )
    counts = {"created": result.created, "updated": result.updated}
    return _("已保存：新填 %(created)s 项，修改 %(updated)s 项。") % counts


def _submit(request, submission) -> str:
    if services.quarter_editable(user=request.user, unit=submission.unit, period=submission.period):
        _save(request, submission)
    explanations = {
        key.removeprefix("explain:"): text for key, text in request.POST.items() if key.startswith("explain:")
    }
    services.submission_submit(user=request.user, submission=submission, explanations=explanations)
    return _("已提交，等待市科技局审核。")


def _approve(request, submission) -> str:
    services.submission_approve(user=request.user, submission=submission)
    unit, period = submission.unit, submission.period
    return format_html(
        _("已审核通过。看板正在按新数据更新（通常一分钟内完成，完成前页面会提示）：{link}"),
        link=format_html('<a href="{}?period={}" id="approved-on-dashboards">{}</a>',
                         reverse("dashboards:unit", args=[unit.code]), period.code,
                         _("在看板上查看%(unit)s %(period)s") % {"unit": unit.name, "period": period.code}),
    )


def _with_comment(request) -> str:
    form = CommentForm(request.POST)
    return form.cleaned_data["comment"] if form.is_valid() else ""


def _return(request, submission) -> str:
    services.submission_return(user=request.user, submission=submission, comment=_with_comment(request))
    return _("已退回，单位可修改后重新提交。")


def _reopen(request, submission) -> str:
    services.submission_reopen(user=request.user, submission=submission, reason=_with_comment(request))
    return _("已重新开放，单位可修改本季度数据。")


def _access(request, submission) -> str:
    form = AccessForm(request.POST)
    if not form.is_valid():
        raise TransitionRefused(_("请选择填报开放方式。"))
    services.submission_set_access(user=request.user, submission=submission, access=form.cleaned_data["access"])
    return _("已更新填报开放方式。")


def _query(request, submission) -> str:
    form = QueryForm(request.POST, slots=sections.slots())
    if not form.is_valid():
        raise TransitionRefused(_("请选择指标并写明需要核实的内容。"))
    services.figure_query_raise(user=request.user, submission=submission, **form.cleaned_data)
    return _("已发起核实，等待单位答复。")


def _answer(request, submission) -> str:
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise TransitionRefused(_("请填写答复内容。"))
    note = get_object_or_404(FigureNote.objects.restrict(request.user, "view"), pk=form.cleaned_data["note"],
                             submission=submission)
    services.figure_query_answer(user=request.user, note=note, answer=form.cleaned_data["answer"])
    return _("已答复。")


ACTIONS = {
    "save": _save, "submit": _submit, "approve": _approve, "return": _return, "reopen": _reopen,
    "access": _access, "query": _query, "answer": _answer,
}
# The service behind each action whose permission does not depend on what is posted: checked before the form.
ACTION_SERVICES = {
    "submit": services.submission_submit, "approve": services.submission_approve,
    "return": services.submission_return, "reopen": services.submission_reopen,
    "access": services.submission_set_access, "query": services.figure_query_raise,
}


def _render_quarter(request, submission, *, problems=None, posted=None, conflict=None, status=200):
    unit, period, user = submission.unit, submission.period, request.user
    if problems is None:
        problems = check_quarter(unit=unit, period=period, values={})
    editable = services.quarter_editable(user=user, unit=unit, period=period)
    own_unit = roles.is_district_staff(user) and unit_id_of(user) == unit.pk
    context = {
        "submission": submission,
        "blocks": quarter_blocks(submission=submission, user=user, problems=problems, posted=posted),
        "problems": problems,
        "editable": editable,
        "can_submit": own_unit and submission.is_open_for_entry,
        "can_answer": own_unit or roles.is_municipal_staff(user),
        "conflict": conflict,
        "returned": return_event(submission),
        "events": submission.events.select_related("actor"),
        "history": figure_history(unit=unit, period=period),
        "access_form": AccessForm(initial={"access": submission.access}),
        "query_form": QueryForm(slots=sections.slots()),
    }
    return render(request, "districts/quarter.html", context, status=status)


@login_required
def quarter_page(request, period_code: str, unit_code: str):
    submission = _submission(request, period_code, unit_code)
    if request.method != "POST":
        return _render_quarter(request, submission)
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        return HttpResponseBadRequest(_("未知的操作"))
    if action in ACTION_SERVICES:
        ACTION_SERVICES[action].check_permission(request.user, submission=submission)
    try:
        messages.success(request, handler(request, submission))
    except FiguresRejected as rejected:
        submission.refresh_from_db()
        return _render_quarter(request, submission, problems=rejected.problems, posted=_posted_values(request))
    except QuarterConflict as conflict:
        submission.refresh_from_db()
        stored = quarter_values(unit=submission.unit, period=submission.period)
        known = sections.slots_by_key()
        unsaved = [
            (known[key].label, raw) for key, raw in _posted_values(request).items()
            if _differs(raw, stored.get(key))
        ]
        return _render_quarter(request, submission, conflict={"message": str(conflict), "unsaved": unsaved},
                               status=409)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect("districts:quarter", period_code=submission.period.code, unit_code=submission.unit.code)


def _differs(raw: str, stored) -> bool:
    try:
        return parse_value(raw) != stored
    except ValueError:
        return True


@login_required
def completeness(request, period_code: str):
    if not roles.is_municipal(request.user):
        raise PermissionDenied
    report = period_completeness(user=request.user, period=_period(period_code))
    return render(request, "districts/completeness.html", {"report": report})


@login_required
@require_POST
def period_action(request, period_code: str, action: str):
    period = _period(period_code)
    service = {"open": services.period_open, "close": services.period_close}.get(action)
    if service is None:
        raise Http404
    service.check_permission(request.user, period=period)
    try:
        if action == "open":
            form = DeadlineForm(request.POST)
            if not form.is_valid():
                raise TransitionRefused(_("请填写截止日期，格式如 2026-10-25。"))
            created = services.period_open(user=request.user, period=period, deadline=form.cleaned_data["deadline"])
            message = _("%(period)s 已开放填报，新建 %(count)s 份报送。") % {"period": period, "count": created}
            messages.success(request, message)
        else:
            services.period_close(user=request.user, period=period)
            messages.success(request, _("%(period)s 已关闭填报。") % {"period": period})
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    return redirect("districts:quarters")
