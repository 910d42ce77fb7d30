"""The page to import a status list: upload and check, resolve the names listed, then import (all or nothing).

The uploaded file waits in the session between the check and the import, so a person resolves names and checks
again without choosing the file again; `status_list_import` does the work each time."""
import base64
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from enterprises.choices import StatusKind
from enterprises.forms import StatusListForm
from enterprises.lists import status_list_import

SESSION_KEY = "registry-status-list"


def _resolutions(post) -> dict[str, int]:
    """{name as written: enterprise pk} from the selects of the unresolved rows."""
    chosen = {}
    for key, value in post.items():
        if key.startswith("resolve-") and value.isdigit():
            chosen[post.get(f"name-{key.removeprefix('resolve-')}", "")] = int(value)
    return chosen


@permission_required("enterprises.change_statusrecord", raise_exception=True)
def status_list_upload(request):
    form, outcome, pending = StatusListForm(), None, request.session.get(SESSION_KEY)
    action = request.POST.get("action")
    if request.method == "POST" and action == "check":
        form = StatusListForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            issued = form.cleaned_data["issued"]
            pending = {"name": upload.name, "content": base64.b64encode(upload.read()).decode(),
                       "kind": form.cleaned_data["kind"], "issued": issued.isoformat() if issued else "",
                       "resolutions": {}}
    if request.method == "POST" and action in ("check", "recheck", "import") and pending:
        # Names resolved earlier stay resolved: they leave the list of rows to resolve once matched.
        pending["resolutions"] = {**pending["resolutions"], **_resolutions(request.POST)}
        request.session[SESSION_KEY] = pending
        outcome = status_list_import(
            user=request.user, content=base64.b64decode(pending["content"]), file_name=pending["name"],
            kind=pending["kind"], issued=datetime.date.fromisoformat(pending["issued"]) if pending["issued"] else None,
            resolutions=pending["resolutions"], dry_run=action != "import",
        )
        if outcome.written:
            del request.session[SESSION_KEY]
            messages.success(request, _("已导入：%(changed)s 条记录新增或更新，%(unchanged)s 条未变。")
                             % {"changed": outcome.changed, "unchanged": outcome.unchanged})
            return redirect("enterprises:overview")
    return render(request, "enterprises/status_list_import.html", {
        "form": form, "outcome": outcome, "pending": pending,
        "kind_label": StatusKind(pending["kind"]).label if pending else "",
    })
