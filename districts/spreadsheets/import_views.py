"""The import pages: upload, the job's preview or progress, and the confirmation."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from districts.choices import IMPORT_RUNNING, ImportStatus
from districts.models import ImportJob
from districts.spreadsheets.forms import ImportForm
from districts.spreadsheets.importer import (
    PREVIEW_LIMIT,
    import_apply,
    import_check,
    import_claim,
    import_job_create,
    import_not_queued,
    progress_of,
)
from districts.spreadsheets.values import units_for_entry
from districts.spreadsheets.views import render_hub
from districts.tasks import import_apply_task, import_check_task
from portal.celery import send_on_commit


@login_required
@require_POST
def import_upload(request):
    if not units_for_entry(request.user).exists():
        raise PermissionDenied(_("只有区县填报人员和市级管理人员可以导入数据。"))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_hub(request, form, status=400)
    upload = form.cleaned_data["file"]
    # Read one byte past the limit so an oversized file is refused without holding all of it.
    content = upload.read(settings.IMPORT_MAX_BYTES + 1)
    job, table = import_job_create(
        user=request.user, file_name=upload.name, content=content, period=form.cleaned_data["period"], size=upload.size
    )
    if job.status == ImportStatus.CHECKING:
        if job.rows > settings.IMPORT_ASYNC_ROWS:
            send_on_commit(import_check_task, job.pk, refused=lambda _error: import_not_queued(job=job))
        else:
            import_check(job=job, table=table)
    return redirect("spreadsheets:job", pk=job.pk)


def _job_for(request, pk) -> ImportJob:
    return get_object_or_404(ImportJob.objects.restrict(request.user, "view").select_related("period"), pk=pk)


@login_required
@require_GET
def import_job(request, pk):
    job = _job_for(request, pk)
    return render(request, "districts/spreadsheets/job.html", {
        "job": job,
        "running": job.status in IMPORT_RUNNING,
        "progress": progress_of(job),
        "can_confirm": job.status == ImportStatus.READY and job.created_by_id == request.user.pk,
        "errors": [p for p in job.preview.get("problems", []) if p["level"] == "error"],
        "warnings": [p for p in job.preview.get("problems", []) if p["level"] == "warning"],
        "quarters": sorted({(c["period"], c["unit_code"], c["unit"]) for c in job.preview.get("changes", [])}),
        "preview_limit": PREVIEW_LIMIT,
    })


@login_required
@require_GET
def import_job_status(request, pk):
    job = _job_for(request, pk)
    return JsonResponse({
        "status": job.status, "label": job.get_status_display(), "progress": progress_of(job),
        "running": job.status in IMPORT_RUNNING,
    })


@login_required
@require_POST
def import_confirm(request, pk):
    job = _job_for(request, pk)
    if job.created_by_id != request.user.pk or not import_claim(job=job):
        raise PermissionDenied(_("只能由上传人确认导入，且只能确认一次检查通过的文件。"))
    if job.rows > settings.IMPORT_ASYNC_ROWS:
        send_on_commit(import_apply_task, job.pk, refused=lambda _error: import_not_queued(job=job))
    else:
        job.refresh_from_db()
        import_apply(job=job)
    return redirect("spreadsheets:job", pk=job.pk)
