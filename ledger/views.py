"""Ledger pages: thin views over restrict(), the forms and the services."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from districts.models import Unit
from districts.panels import unit_facts
from ledger import services
from ledger.export import XLSX, ledger_workbook
from ledger.filtersets import TaskFilterSet
from ledger.forms import AttachmentForm, ProgressNoteForm, RoundAnswerForm, RoundForm, TaskForm
from ledger.models import Attachment, Round, RoundItem, Task
from ledger.selectors import leader_units, leader_watchlist
from portal import roles
from portal.downloads import attachment

PAGE_SIZE = 25


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def task_list(request):
    today = timezone.localdate()
    filters = TaskFilterSet(request.GET or None,
                            queryset=Task.objects.restrict(request.user, "view").select_related("unit", "article"))
    tasks = filters.qs if filters.is_valid() else filters.queryset
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ledger/task_list.html", {
        "filters": filters.form, "page": page, "query": query.urlencode(), "today": today,
        "can_add": request.user.has_perm("ledger.add_task"),
        "units": Unit.objects.restrict(request.user, "view"),
    })


@login_required
def task_form(request, pk=None):
    task = None
    if pk is not None:
        task = get_object_or_404(Task.objects.restrict(request.user, "change"), pk=pk)
    elif not request.user.has_perm("ledger.add_task"):
        raise PermissionDenied
    form = TaskForm(request.POST or None, instance=task, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {"unit": form.instance.unit} | {name: form.cleaned_data[name] for name in form.fields}
        try:
            if task is None:
                task = services.task_create(actor=request.user, **data)
            else:
                task = services.task_update(task=task, actor=request.user, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存：%s") % task.title)
            return redirect("ledger:task", pk=task.pk)
    return render(request, "ledger/task_form.html", {"form": form, "task": task})


@login_required
def task_detail(request, pk):
    task = get_object_or_404(Task.objects.restrict(request.user, "view").select_related("unit", "article"), pk=pk)
    can_change = Task.objects.restrict(request.user, "change").filter(pk=pk).exists()
    note_form, upload_form = ProgressNoteForm(), AttachmentForm()
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if "file" in request.FILES:
            upload_form = AttachmentForm(request.POST, request.FILES)
            if upload_form.is_valid():
                return _saved(request, task, services.attachment_add, upload_form,
                              file=upload_form.cleaned_data["file"])
        else:
            note_form = ProgressNoteForm(request.POST)
            if note_form.is_valid():
                return _saved(request, task, services.progress_note_save, note_form, **note_form.cleaned_data)
    return render(request, "ledger/task_detail.html", {
        "task": task, "can_change": can_change, "note_form": note_form, "upload_form": upload_form,
        "notes": task.notes.select_related("period", "author"), "attachments": task.attachments.all(),
        "today": timezone.localdate(),
    })


def _saved(request, task, service, form, **data):
    try:
        service(task=task, actor=request.user, **data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已保存。"))
    return redirect("ledger:task", pk=task.pk)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
def ledger_export(request, unit_code):
    unit = get_object_or_404(Unit.objects.restrict(request.user, "view"), code=unit_code)
    tasks = Task.objects.restrict(request.user, "view").filter(unit=unit).select_related("article")
    response = HttpResponse(ledger_workbook(unit, tasks, today=timezone.localdate()), content_type=XLSX)
    response["Content-Disposition"] = attachment(f"{unit.name}-{_('任务台账')}.xlsx", f"{unit.code}-ledger.xlsx")
    return response


@login_required
def leader_page(request):
    rows = leader_watchlist(request.user)
    facts = unit_facts(units=list(rows), user=request.user)
    for unit, row in rows.items():
        row["facts"] = facts.get(unit.pk, [])
    return render(request, "ledger/leader.html", {"rows": rows, "has_units": leader_units(request.user).exists()})


@login_required
def round_list(request):
    visible = RoundItem.objects.restrict(request.user, "view")
    rounds = Round.objects.filter(pk__in=visible.values("round")).annotate(
        asked=Count("items", filter=Q(items__in=visible)),
        answered=Count("items", filter=Q(items__in=visible, items__answered_at__isnull=False)),
    )
    return render(request, "ledger/round_list.html", {
        "rounds": rounds, "can_start": roles.is_municipal_staff(request.user),
    })


@login_required
def round_create(request):
    if not roles.is_municipal_staff(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = services.round_start(title=data["title"], due=data["due"], instructions=data["instructions"],
                                      tasks=data["tasks"], actor=request.user)
        messages.success(request, _("已发起调度：%s") % round_.title)
        return redirect("ledger:round", pk=round_.pk)
    return render(request, "ledger/round_form.html", {"form": form})


@login_required
def round_detail(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    items = list(RoundItem.objects.restrict(request.user, "view").filter(round=round_)
                 .select_related("task__unit", "answered_by"))
    if not items and not roles.is_municipal(request.user):
        raise PermissionDenied
    # units answer for themselves; the bureau reads the answers
    answering = RoundItem.objects.restrict(request.user, "change") if roles.is_district_staff(request.user) else None
    changeable = set(answering.filter(round=round_).values_list("pk", flat=True)) if answering is not None else set()
    by_unit: dict = {}
    for item in items:
        item.form = RoundAnswerForm(instance=item, prefix=str(item.pk)) if item.pk in changeable else None
        by_unit.setdefault(item.task.unit, []).append(item)
    units = [{"unit": unit, "items": rows, "answered": all(i.answered for i in rows)} for unit, rows in by_unit.items()]
    return render(request, "ledger/round_detail.html", {
        "round": round_, "units": units, "answered": sum(u["answered"] for u in units),
    })


@require_POST
@login_required
def round_answer(request, pk):
    item = get_object_or_404(RoundItem.objects.restrict(request.user, "change"), pk=pk)
    form = RoundAnswerForm(request.POST, instance=item, prefix=str(item.pk))
    if form.is_valid():
        try:
            services.round_answer(item=item, answer=form.cleaned_data["answer"],
                                  progress=form.cleaned_data["progress"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已反馈：%s") % item.task.title)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("ledger:round", pk=item.round_id)
