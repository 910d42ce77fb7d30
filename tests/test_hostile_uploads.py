"""Every upload form of the portal gets the same hostile files; none gives a 5xx, and none writes a figure.

The upload forms are found by reading every page of the portal (as a clerk and as city staff) for a form
that sends files; a new one fails `test_every_upload_form_is_known` until UPLOADS says what it does with them.
"""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from districts.choices import ImportStatus
from districts.models import ImportJob
from districts.tests.test_import import figures_snapshot
from districts.tests.test_import_xml_entities import EXTERNAL, LAUGHS, OUTSIDE_DTD, with_doctype
from evaluation.tests.conftest import draft, period, scheme  # noqa: F401
from ledger.models import Attachment
from tests.test_guessed_ids import every_url, yubei_objects  # noqa: F401

SIZE_LIMIT = 4096
HOSTILE_FILES = {
    "laughs.xlsx": lambda: with_doctype(LAUGHS, "lol9"),
    "external-entity.xlsx": lambda: with_doctype(EXTERNAL, "secret"),
    "outside-dtd.xlsx": lambda: with_doctype(OUTSIDE_DTD, "secret"),
    "invalid-utf8.csv": lambda: "单位代码,科技型企业\n500112,".encode() + b"\x80\xff\xfe\n",
    "nested.csv": lambda: b"[" * 3000 + b"]" * 3000,
    "huge.csv": lambda: b"1," * SIZE_LIMIT,
    "program.xlsx": lambda: b"MZ\x90\x00 a program renamed",
    "program.exe": lambda: b"MZ\x90\x00 a program",
}
# URL name of each upload form -> the hostile files it keeps. The ledger keeps documents as they came (it never
# opens them: they are downloaded as attachments); the imports open every file and keep none of these.
UPLOADS = {
    "spreadsheets:upload": set(),
    "enterprises:import": set(),
    "ledger:task": {"laughs.xlsx", "external-entity.xlsx", "outside-dtd.xlsx"},
}
FORM = re.compile(r"<form\b[^>]*enctype=\"multipart/form-data\"[^>]*>", re.S)
ACTION = re.compile(r"action=\"([^\"]+)\"")


def upload_forms(client, objects) -> dict[str, str]:
    """URL name -> URL of every form that sends files, on every page this client can read."""
    found = {}
    for url in every_url(objects):
        if "/admin/" in url or url.endswith("/logout/"):
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in FORM.findall(response.content.decode()):
            target = action.group(1) if (action := ACTION.search(form)) else url
            found[resolve(target).view_name] = target
    return found


@pytest.fixture
def forms(yubei_objects, yubei_clerk, city_staff, client_for):  # noqa: F811
    found = upload_forms(client_for(city_staff), yubei_objects)
    return found | upload_forms(client_for(yubei_clerk), yubei_objects)


def test_every_upload_form_is_known(forms):
    assert set(forms) == set(UPLOADS)


def test_every_hostile_file_to_every_upload_form_is_refused_and_writes_no_figure(
    forms, yubei_objects, yubei_clerk, client_for, settings  # noqa: F811
):
    settings.IMPORT_MAX_BYTES = SIZE_LIMIT
    client = client_for(yubei_clerk)
    figures = figures_snapshot()
    kept, answers = {}, {}
    for name, url in forms.items():
        for file_name, content in HOSTILE_FILES.items():
            attachments, jobs = Attachment.objects.count(), ImportJob.objects.count()
            data = {"file": SimpleUploadedFile(file_name, content()), "period": yubei_objects["job"].period_id}
            answers[name, file_name] = client.post(url, data).status_code
            stored = Attachment.objects.count() > attachments or (
                ImportJob.objects.count() > jobs and ImportJob.objects.latest("pk").status != ImportStatus.REJECTED)
            if stored:
                kept.setdefault(name, set()).add(file_name)
    assert {answer: status for answer, status in answers.items() if status >= 500} == {}
    assert {name: kept.get(name, set()) for name in UPLOADS} == UPLOADS
    assert figures_snapshot() == figures
