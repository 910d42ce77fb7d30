"""The cultivation list pages: a unit's list (add an enterprise, filter, export) and one entry (change its tier and
date, note a quarter, recommend it into the listing reserve pool). Every write goes through the services."""
import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from enterprises.cultivation import cultivation_list
from enterprises.filtersets import CultivationEntryFilterSet
from enterprises.forms import CultivationEntryForm, CultivationNoteForm, CultivationTargetForm
from enterprises.models import Enterprise
from enterprises.services import cultivation_entry_recommend, cultivation_entry_save, cultivation_note_save
from portal.downloads import attachment

EXPORT_FORMATS = ("csv", "xlsx")


def _yes_no(value) -> str:
    return _("是") if value else _("否")


def _export(entries, file_format: str) -> HttpResponse:
    header = [_("单位"), _("企业名称"), _("统一社会信用代码"), _("培育目标"), _("目标日期"), _("目标日期时已达到"),
              _("今天已达到"), _("推荐入上市储备库日期"), _("最近一季培育情况")]
    rows = [[entry.unit.name, entry.enterprise.name, entry.enterprise.credit_code or "", entry.get_target_display(),
             entry.due.isoformat(), _yes_no(entry.reached_by_due), _yes_no(entry.reached_today),
             entry.recommended.isoformat() if entry.recommended else "",
             next((f"{note.period.code} {note.text}" for note in entry.notes.all()), "")]
            for entry in entries.prefetch_related("notes__period")]
    stamp = f"{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel opens UTF-8 with its byte-order mark
        csv.writer(response).writerows([header, *rows])
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("培育清单"))
        for row in [header, *rows]:
            sheet.append(row)
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        book.save(response)
    response["Content-Disposition"] = attachment(f"{_('培育清单')}-{stamp}", f"cultivation-{stamp}")
    return response


@login_required
def cultivation_list_page(request):
    """The lists the user may see, filtered; a clerk adds an enterprise of their own unit."""
    today = timezone.localdate()
    entries = cultivation_list(request.user, today)
    filters = CultivationEntryFilterSet(request.GET, queryset=entries)
    shown = filters.qs if filters.is_valid() else entries.none()
    if request.GET.get("export") in EXPORT_FORMATS:
        return _export(shown, request.GET["export"])
    enterprises = Enterprise.objects.restrict(request.user, "change")
    form = CultivationEntryForm(enterprises=enterprises)
    if request.method == "POST" and request.user.has_perm("enterprises.add_cultivationentry"):
        form = CultivationEntryForm(request.POST, enterprises=enterprises)
        if form.is_valid():
            enterprise = form.cleaned_data["enterprise"]
            try:
                entry = cultivation_entry_save(user=request.user, unit=enterprise.unit, enterprise=enterprise,
                                               target=form.cleaned_data["target"], due=form.cleaned_data["due"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已将“%(name)s”加入培育清单。") % {"name": enterprise.name})
                return redirect("enterprises:cultivation_entry", pk=entry.pk)
    return render(request, "enterprises/cultivation_list.html", {
        "entries": shown, "filters": filters, "form": form, "today": today,
        "may_add": request.user.has_perm("enterprises.add_cultivationentry"),
        "query": request.GET.urlencode(),
    })


@login_required
def cultivation_entry_page(request, pk):
    """One entry: its progress and notes; the unit's staff change it, note a quarter, recommend it."""
    today = timezone.localdate()
    entry = get_object_or_404(cultivation_list(request.user, today).prefetch_related("notes__period"), pk=pk)
    target_form = CultivationTargetForm(initial={"target": entry.target, "due": entry.due})
    note_form = CultivationNoteForm(today=today)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "target":
            target_form = CultivationTargetForm(request.POST)
            if target_form.is_valid():
                cultivation_entry_save(user=request.user, unit=entry.unit, enterprise=entry.enterprise,
                                       entry=entry, **target_form.cleaned_data)
                return redirect("enterprises:cultivation_entry", pk=entry.pk)
        elif action == "note":
            note_form = CultivationNoteForm(request.POST, today=today)
            if note_form.is_valid():
                cultivation_note_save(user=request.user, entry=entry, **note_form.cleaned_data)
                return redirect("enterprises:cultivation_entry", pk=entry.pk)
        elif action in ("recommend", "withdraw"):
            cultivation_entry_recommend(user=request.user, entry=entry, on=today if action == "recommend" else None)
            return redirect("enterprises:cultivation_entry", pk=entry.pk)
    return render(request, "enterprises/cultivation_entry.html", {
        "entry": entry, "target_form": target_form, "note_form": note_form, "today": today,
        "may_change": request.user.has_perm("enterprises.change_cultivationentry"),
    })
