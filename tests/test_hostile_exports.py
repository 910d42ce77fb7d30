"""Every CSV and .xlsx the portal writes neutralises text a spreadsheet would run as a formula.

Hostile names (a unit, a platform, a milestone, a ledger task, an evaluation scheme) are written once,
then every download is fetched and read back cell by cell. The downloads are found by walking the
registries (export lists, API routers, admin exports), so a new list is covered without editing this.
"""
import csv
import datetime
import io
import re
from urllib.parse import unquote

import pytest
from django.contrib import admin
from import_export.mixins import BaseExportMixin
from openpyxl import load_workbook

from districts.exports import export_lists
from districts.models import Period, Unit
from evaluation.tests.conftest import draft, period, published, scheme  # noqa: F401
from indicators.tests.conftest import reported  # noqa: F401
from ledger.tests.conftest import make_task
from platforms.models import Platform, PlatformMilestone
from portal.api_urls import router
from portal.cells import neutralise

MARK = "EVIL"
HOSTILE = {
    "unit": f'=HYPERLINK("http://evil.example","{MARK}")',
    "platform": f"+{MARK} 孵化器",
    "milestone": f"-{MARK} 完成建设",
    "task": f"@SUM({MARK})",
    "office": f"\t{MARK}科",
    "scheme": f"={MARK}方案",
}
DASHBOARD_QUERY = "plan=double-doubling-2027&period=2023Q4&indicator=tech_smes"


@pytest.fixture
def hostile_names(reported, published):  # noqa: F811
    yubei = Unit.objects.get(code="500112")
    yubei.name = HOSTILE["unit"]
    yubei.save()
    platform = Platform.objects.create(unit=yubei, name=HOSTILE["platform"], kind="incubator", level="district")
    PlatformMilestone.objects.create(platform=platform, period=Period.objects.get_by_code("2023Q4"),
                                     date=datetime.date(2023, 11, 1), title=HOSTILE["milestone"])
    make_task("500112", HOSTILE["task"], office=HOSTILE["office"])
    # A report prints the scheme's name frozen with it, so the name is hostile in that copy too.
    published.scheme.name = HOSTILE["scheme"]
    published.scheme.save()
    published.method["scheme"] = HOSTILE["scheme"]
    published.save(update_fields=["method"])
    return published


def cells_of(response) -> list:
    if response["Content-Type"].startswith("text/csv"):
        return [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


def admin_exports(client):
    """Every admin list with an export, posted as its export form would be, every field ticked."""
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, BaseExportMixin):
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/export/"
        resource = model_admin.get_export_resource_classes(None)[0]
        for index, export_format in enumerate(model_admin.get_export_formats()):
            fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
            yield (f"admin {model._meta.model_name} {export_format().get_title()}",
                   client.post(url, {"format": index, "resource": 0, **fields}))


def downloads(client, evaluation):
    for export_list in export_lists:
        for extension in ("xlsx", "csv"):
            path = f"/data/export/{export_list.key}.{extension}"
            yield f"export list {export_list.key}.{extension}", client.get(path)
    yield "template", client.get("/data/template/")
    for dataset in ("trend", "units", "groups"):
        for extension in ("xlsx", "csv"):
            yield f"dashboard {dataset}.{extension}", client.get(f"/dashboards/data/{dataset}.{extension}?"
                                                                 f"{DASHBOARD_QUERY}&unit=500112")
    yield "ledger", client.get("/ledger/export/500112.xlsx")
    yield "evaluation", client.get(f"/evaluation/{evaluation.pk}/report.xlsx")
    for extension in ("xlsx", "csv"):
        yield f"cultivation list.{extension}", client.get("/registry/cultivation/", {"export": extension})
    for prefix, viewset, _basename in router.registry:
        if not hasattr(viewset, "list"):
            continue  # figures/<unit>/<period> has objects only, no list
        for extension in ("xlsx", "csv"):
            yield f"api {prefix}.{extension}", client.get(f"/api/v1/{prefix}/", {"format": extension,
                                                                                  "page_size": 1000})
    yield from admin_exports(client)


def file_names(response) -> tuple[str, str]:
    """The ASCII `filename` and the decoded `filename*` of an RFC 6266 attachment."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;"), disposition
    fallback = re.search(r'filename="([ -~]*)"', disposition)
    encoded = re.search(r"filename\*=UTF-8''([A-Za-z0-9%._~-]+)$", disposition)
    assert fallback and encoded, disposition
    return fallback.group(1), unquote(encoded.group(1), errors="strict")


def test_every_download_quotes_the_hostile_names_and_writes_no_cell_a_spreadsheet_would_run(
    hostile_names, city_staff, client_for
):
    shown, problems = set(), {}
    for name, response in downloads(client_for(city_staff), hostile_names):
        if response.status_code != 200:
            problems[name] = f"status {response.status_code}"
            continue
        ascii_name, name = file_names(response)
        if not (ascii_name.endswith(name[name.rfind("."):]) and "\n" not in name):
            problems[name] = f"file names disagree: {ascii_name!r} / {name!r}"
        cells = [cell for cell in cells_of(response) if isinstance(cell, str)]
        runnable = [cell for cell in cells if neutralise(cell) != cell]
        if runnable:
            problems[name] = f"cells a spreadsheet would run: {runnable[:3]}"
        shown.update(key for key, value in HOSTILE.items() if "'" + value in cells)
        if name.startswith(("export list platforms", "api platforms.", "admin platform ")):
            assert "'" + HOSTILE["platform"] in cells, name

    assert problems == {}
    assert shown == set(HOSTILE)  # each hostile text reached at least one download, quoted
