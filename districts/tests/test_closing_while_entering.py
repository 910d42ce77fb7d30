"""A quarter closed while a clerk saves or submits it: the clerk's step either finishes before the close (which then
finds it done) or, started once the close is under way, waits for it and is refused, with nothing written.

Each test holds one of the two in its transaction, starts the other in another thread, lets the first commit once
the other waits for it, and looks at what each did and what is stored.
"""
import threading
import time

import pytest
from django.db import connection, transaction

from conftest import is_postgres
from districts.choices import EntryAccess, ImportStatus, PeriodStatus, SubmissionState
from districts.exceptions import QuarterNotEditable, TransitionRefused
from districts.models import Period, Submission
from districts.services import figures_save, period_close, submission_set_access, submission_submit
from districts.spreadsheets import importer
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures
from tests.threads import in_threads, someone_waits_for_a_lock, while_uncommitted

pytestmark = pytest.mark.django_db(transaction=True)

TECH = "enterprises.tech_smes"
FINE = {TECH: 100, "enterprises.specialised_smes": 10, "enterprises.little_giants": 1}


@pytest.fixture(autouse=True)
def row_locks():
    if not is_postgres():
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")


@pytest.fixture
def saved(yubei_clerk, yubei, quarter, yubei_submission):
    """渝北's open 2026Q3 with figures saved once, ready to submit."""
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values=FINE)
    return Submission.objects.get(pk=yubei_submission.pk)


def stored_tech_smes(unit, period):
    return EnterpriseFigures.objects.get(unit=unit, period=period).tech_smes


def test_a_save_begun_while_the_quarter_is_being_closed_is_refused(saved, city_staff, yubei_clerk, yubei, quarter):
    closing, saving = while_uncommitted(lambda: period_close(user=city_staff, period=quarter),
                             lambda: figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={TECH: 555}))
    assert closing is None
    assert isinstance(saving, QuarterNotEditable), saving
    assert stored_tech_smes(yubei, quarter) == FINE[TECH]
    assert Submission.objects.get(pk=saved.pk).version == saved.version


def test_a_submit_begun_while_the_quarter_is_being_closed_is_refused(saved, city_staff, yubei_clerk, quarter):
    closing, submitting = while_uncommitted(lambda: period_close(user=city_staff, period=quarter),
                                 lambda: submission_submit(user=yubei_clerk, submission=saved, explanations={}))
    assert closing is None
    assert isinstance(submitting, TransitionRefused) and "填报已关闭" in str(submitting), submitting
    assert Submission.objects.get(pk=saved.pk).state == SubmissionState.DRAFT
    assert not saved.events.filter(action="submit").exists()


def test_a_save_begun_while_the_unit_is_being_closed_is_refused(saved, city_staff, yubei_clerk, yubei, quarter):
    closing, saving = while_uncommitted(
        lambda: submission_set_access(user=city_staff, submission=saved, access=EntryAccess.CLOSED),
        lambda: figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={TECH: 555}))
    assert closing is None
    assert isinstance(saving, QuarterNotEditable), saving
    assert stored_tech_smes(yubei, quarter) == FINE[TECH]
    assert Submission.objects.get(pk=saved.pk).version == saved.version


def test_a_close_begun_while_a_save_is_under_way_waits_for_it_and_keeps_it(saved, city_staff, yubei_clerk, yubei,
                                                                           quarter):
    saving, closing = while_uncommitted(
        lambda: figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={TECH: 555}),
        lambda: period_close(user=city_staff, period=quarter))
    assert saving is None and closing is None, (saving, closing)
    assert stored_tech_smes(yubei, quarter) == 555
    assert Submission.objects.get(pk=saved.pk).version == saved.version + 1
    assert Period.objects.get(pk=quarter.pk).status == PeriodStatus.CLOSED


def test_an_import_waits_for_a_close_under_way_holding_none_of_its_quarters(city_staff, yubei, monkeypatch):
    """A close of several overdue quarters locks them one after the other, by id. An import whose file reaches the
    higher quarter first, in an earlier chunk, must not hold it while it waits for the lower one: the close would
    then wait for the import, and the import for the close."""
    monkeypatch.setattr(importer, "CHUNK_QUARTERS", 1)  # each row a chunk of its own
    low, high = sorted(map(Period.objects.get_by_code, ["2026Q2", "2026Q3"]), key=lambda period: period.pk)
    content = csv_bytes([["单位代码", "季度", header_of(TECH)], [yubei.code, high.code, 7], [yubei.code, low.code, 6]])
    job, _table = importer.import_job_create(user=city_staff, file_name="two.csv", content=content, period=low)
    assert importer.import_check(job=job).status == ImportStatus.READY and importer.import_claim(job=job)
    closing, import_waits = threading.Event(), threading.Event()

    def close_both():
        with transaction.atomic():
            Period.objects.select_for_update().get(pk=low.pk)
            closing.set()
            import_waits.wait(timeout=30)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            Period.objects.select_for_update().get(pk=high.pk)
        return "both locked"

    def import_both():
        closing.wait(timeout=30)
        job.refresh_from_db()
        return importer.import_apply(job=job).status

    def watch():  # outside both transactions, where each look at the activity is a new one
        closing.wait(timeout=30)
        deadline = time.monotonic() + 30
        while not someone_waits_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
        import_waits.set()

    assert in_threads(close_both, import_both, meanwhile=watch) == ["both locked", ImportStatus.DONE]
    assert {row.period_id: row.tech_smes for row in EnterpriseFigures.objects.filter(unit=yubei)} == {
        high.pk: 7, low.pk: 6}
