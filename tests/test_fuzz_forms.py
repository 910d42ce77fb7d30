"""A bounded fuzz run over the forms, through the real views: random text, numbers, unicode and huge values.

Whatever arrives, a form either saves or answers with its errors: never a 500 (the test client raises
it), and a refused form writes nothing at all. Each example runs in a transaction rolled back
afterwards, so examples do not see each other's writes. The hypothesis profile (root conftest.py)
bounds the run and, in CI, fixes the examples.
"""
import datetime
import hashlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from districts.models import FigureNote, Period, Submission, SubmissionEvent, Unit
from districts.registry import sections
from districts.services import period_open
from ledger.models import Task
from ledger.tests.conftest import make_task
from platforms.models import Platform, PlatformMilestone

# What a person, a browser or a script may type into a field.
FIELD_VALUE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.integers().map(str),
    st.integers(min_value=10**15, max_value=10**60).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e400", "１２３", "1,234", "二百", "\x00", "<script>", "=1+1", "NaN",
                     "2026-02-30", "9999-12-31", "0000-00-00", "100%"]),
)


# The rows a form may write: the figures apps' (with their edit history) and the quarter's trail.
FIGURES_APPS = ("enterprises", "funds", "platforms")
QUARTER_ROWS = [*(model for app in FIGURES_APPS for model in apps.get_app_config(app).get_models()),
                Submission, SubmissionEvent, FigureNote]


def database_state(models) -> str:
    digest = hashlib.sha256()
    for model in models:
        digest.update(repr(list(model._default_manager.order_by("pk").values())).encode())
    return digest.hexdigest()


def post_and_check(client, url, data, *, rows, saves=True):
    """Post inside a rolled-back transaction: answered 200 (the form with errors), 302 or 400, and a form
    that did not save (or, with saves=False, any answer) leaves `rows` exactly as they were."""
    with transaction.atomic():
        before = database_state(rows)
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400), response.status_code
        if not (saves and response.status_code == 302):
            assert database_state(rows) == before
        transaction.set_rollback(True)


@pytest.fixture
def open_quarter(city_staff):
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    return period


def slot_keys(section):
    return [slot.key for slot in section.slots()]


@pytest.mark.parametrize("section_key", [section.key for section in sections if section.figures])
def test_the_quarter_form_of_every_section_saves_or_explains(section_key, open_quarter, yubei_clerk, client_for):
    client = client_for(yubei_clerk)
    keys = slot_keys(sections[section_key])
    version = Submission.objects.get(unit__code="500112", period=open_quarter).version

    @given(values=st.fixed_dictionaries(dict.fromkeys(keys, FIELD_VALUE)), action=st.sampled_from(["save", "submit"]))
    def fuzz(values, action):
        post_and_check(client, "/quarters/2026Q3/500112/", {"action": action, "version": version, **values},
                       rows=QUARTER_ROWS)

    fuzz()


def test_the_platform_milestone_form_saves_or_explains(open_quarter, yubei_clerk, client_for):
    platform = Platform.objects.create(unit=Unit.objects.get(code="500112"), name="渝北孵化器", kind="incubator",
                                       level="district")
    client = client_for(yubei_clerk)

    @given(data=st.fixed_dictionaries({"period": st.one_of(st.just(str(open_quarter.pk)), FIELD_VALUE),
                                       "date": FIELD_VALUE, "title": FIELD_VALUE, "status": FIELD_VALUE,
                                       "note": FIELD_VALUE}))
    def fuzz(data):
        post_and_check(client, f"/platforms/{platform.pk}/", data, rows=[PlatformMilestone])

    fuzz()


def test_the_platform_admin_form_saves_or_explains(city_staff, client_for):
    client = client_for(city_staff)
    yubei = str(Unit.objects.get(code="500112").pk)

    @given(data=st.fixed_dictionaries({"unit": st.one_of(st.just(yubei), FIELD_VALUE), "name": FIELD_VALUE,
                                       "kind": st.one_of(st.just("incubator"), FIELD_VALUE), "level": FIELD_VALUE,
                                       "status": FIELD_VALUE, "theme": FIELD_VALUE, "description": FIELD_VALUE}))
    def fuzz(data):
        post_and_check(client, "/admin/platforms/platform/add/", data, rows=[Platform, Platform.history.model])

    fuzz()


TASK_FIELDS = ("kind", "title", "article", "office", "owner", "start", "due", "status", "progress", "investment",
               "description")


def test_the_ledger_task_forms_save_or_explain(yubei_clerk, client_for):
    task = make_task("500112", "国家高新区创建")
    client = client_for(yubei_clerk)

    @given(data=st.fixed_dictionaries(dict.fromkeys(TASK_FIELDS, FIELD_VALUE)),
           url=st.sampled_from(["/ledger/new/", f"/ledger/{task.pk}/edit/"]))
    def fuzz(data, url):
        post_and_check(client, url, data, rows=[Task, Task.history.model])

    fuzz()


def test_the_import_form_refuses_random_bytes_without_writing_figures(open_quarter, yubei_clerk, client_for):
    client = client_for(yubei_clerk)

    @given(content=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.csv", "a.txt", "a", "a.xls"]),
           period=st.one_of(st.just(str(open_quarter.pk)), FIELD_VALUE))
    def fuzz(content, name, period):
        # An upload is checked and previewed (its ImportJob row); figures change only on confirmation.
        post_and_check(client, "/data/import/", {"file": SimpleUploadedFile(name, content), "period": period},
                       rows=QUARTER_ROWS, saves=False)

    fuzz()


def test_the_login_form_answers_anything_without_logging_in(city_viewer, client):
    @given(username=FIELD_VALUE, password=FIELD_VALUE)
    def fuzz(username, password):
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code in (200, 429)  # 429: django-axes locked the pair out
        assert "_auth_user_id" not in client.session

    fuzz()
