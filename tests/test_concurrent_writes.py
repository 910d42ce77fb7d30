"""Two writers who read the same version of a quarter save at the same moment, on every write path (the quarter
form, the API's PATCH, the API's bulk write, the import confirmation): exactly one wins, the other gets a
version conflict, and the winner's value is the one stored.

Both run in threads of their own against the real database of the run: PostgreSQL with DATABASE_URL, else
SQLite. The test holds the lock both need (the quarter's row on PostgreSQL, the database's write lock on
SQLite), lets both reach it, and lets go, so they overlap for real.
"""
import contextlib
import datetime
import sqlite3
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import current_database_url, is_postgres
from districts.choices import ImportStatus
from districts.models import ImportJob, Period, Submission, Unit
from districts.services import figures_save, period_open
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures
from tests.threads import at_once, in_threads

TECH = "enterprises.tech_smes"
VALUES = (111, 222)  # what each of the two writers saves


@pytest.fixture
def quarter(transactional_db, city_staff, yubei_clerk):
    """渝北's 2026Q3, open, with a figure saved once (the version both writers read)."""
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    figures_save(user=yubei_clerk, unit=Unit.objects.get(code="500112"), period=period, values={TECH: 7})
    return period


@contextlib.contextmanager
def database_shared_by_threads(tmp_path):
    """PostgreSQL as it is. SQLite's in-memory test database shares one cache between threads, with table
    locks unlike a file's: the test data is copied to a file, which the threads open as a server would."""
    if connection.vendor != "sqlite":
        yield
        return
    settings_dict = connection.settings_dict  # the dict every thread's connection is made from
    in_memory = settings_dict["NAME"]
    connection.ensure_connection()
    # Django never closes an in-memory database (it would vanish): set it aside, and give it back after.
    memory = connection.connection
    with sqlite3.connect(tmp_path / "shared.sqlite3") as on_file:
        memory.backup(on_file)
    connection.connection = None
    settings_dict["NAME"] = str(tmp_path / "shared.sqlite3")
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = in_memory
        connection.connection = memory


class WriteLock:
    """The lock both writers need, held by a connection of the test's own until `release`."""

    def __init__(self, submission: Submission):
        if is_postgres():
            from tests.faults.locks import RowLock

            self.row_lock = RowLock(current_database_url(), Submission._meta.db_table, submission.pk)
        else:
            self.row_lock = None
            self.holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
            self.holder.execute("BEGIN IMMEDIATE")

    def wait_until_both_wait(self) -> None:
        if self.row_lock:
            self.row_lock.wait_until_someone_waits(waiting=2)
        else:
            self.hold_a_moment()

    @staticmethod
    def hold_a_moment() -> None:
        time.sleep(1.5)  # SQLite does not say who waits for its lock; every thread reaches BEGIN well within this

    def release(self) -> None:
        if self.row_lock:
            self.row_lock.release()
        else:
            self.holder.rollback()
            self.holder.close()


def logged_in(user, client_class=APIClient):
    client = client_class()
    client.force_login(user)
    return client


def form_writer(user, version, value):
    client = logged_in(user)
    url = reverse("districts:quarter", kwargs={"period_code": "2026Q3", "unit_code": "500112"})
    return lambda: client.post(url, {"action": "save", "version": version, TECH: value}).status_code


def patch_writer(user, version, value):
    client = logged_in(user)
    body = {"values": {TECH: str(value)}, "expected_version": version}
    return lambda: client.patch("/api/v1/figures/500112/2026Q3/", body, format="json").status_code


def bulk_writer(user, version, value):
    client = logged_in(user)
    body = {"period": "2026Q3", "rows": [{"unit": "500112", "version": str(version), TECH: str(value)}]}

    def write():
        response = client.post("/api/v1/figures/bulk/", body, format="json")
        codes = {conflict["code"] for conflict in response.json().get("conflicts", [])}
        return 409 if codes == {"version_conflict"} else response.status_code

    return write


def import_writer(user, version, value):
    """A file checked now (at `version`), confirmed when let go."""
    client = logged_in(user)
    content = csv_bytes([["单位代码", "单位名称", header_of(TECH)], ["500112", "渝北区", str(value)]])
    client.post(reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("渝北.csv", content),
                                                 "period": Period.objects.get_by_code("2026Q3").pk})
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportStatus.READY, job.error_summary

    def confirm():
        client.post(reverse("spreadsheets:confirm", args=[job.pk]))
        status = ImportJob.objects.get(pk=job.pk).status
        return {ImportStatus.DONE: 200, ImportStatus.REJECTED: 409}.get(status, status)

    return confirm


WRITERS = {"form": form_writer, "api-patch": patch_writer, "api-bulk": bulk_writer, "import": import_writer}


@pytest.mark.parametrize("path", list(WRITERS))
def test_two_writers_of_the_same_version_one_wins_the_other_gets_a_conflict(
    quarter, yubei_clerk, tmp_path, path
):
    with database_shared_by_threads(tmp_path):
        submission = Submission.objects.get(unit__code="500112", period=quarter)
        read = submission.version
        writers = [WRITERS[path](yubei_clerk, read, value) for value in VALUES]
        answers = at_once(WriteLock(submission), *writers, wait=WriteLock.wait_until_both_wait)

        assert sorted(answers, key=str) == [200, 409] or sorted(answers, key=str) == [302, 409], answers
        winner = VALUES[answers.index(409) ^ 1]
        assert EnterpriseFigures.objects.get(unit__code="500112", period=quarter).tech_smes == winner
        assert Submission.objects.get(pk=submission.pk).version == read + 1


def test_parallel_reads_while_a_write_is_under_way_all_answer(quarter, yubei_clerk, tmp_path):
    """Readers wait for a write in progress at most a moment (SQLite) or not at all (PostgreSQL): never a 503."""
    with database_shared_by_threads(tmp_path):
        submission = Submission.objects.get(unit__code="500112", period=quarter)
        readers = []
        for _ in range(8):
            client = logged_in(yubei_clerk)
            readers.append(lambda client=client: client.get("/api/v1/figures/500112/2026Q3/").status_code)
        # Readers do not wait behind a row lock on PostgreSQL: hold it a moment rather than wait for them.
        answers = at_once(WriteLock(submission), *readers, wait=lambda lock: lock.hold_a_moment())
        assert answers == [200] * 8


def test_two_units_saving_the_same_quarter_do_not_wait_for_each_other(quarter, city_staff, yubei_clerk):
    """A save locks its own quarter's rows, not the quarter (period) or the unit they belong to: while one unit's
    correction is still open, another unit's correction of the same quarter goes through."""
    if not is_postgres():
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    yubei, wanzhou = Unit.objects.get(code="500112"), Unit.objects.get(code="500101")
    figures_save(user=city_staff, unit=wanzhou, period=quarter, values={TECH: 5})  # both quarters have rows
    first_saved, second_done = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={TECH: 8})
            first_saved.set()
            second_done.wait(timeout=30)  # its locks held until the other save has finished or given up
        return "saved"

    def second():
        first_saved.wait(timeout=30)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                figures_save(user=city_staff, unit=wanzhou, period=quarter, values={TECH: 6})
            return "saved"
        finally:
            second_done.set()

    assert in_threads(first, second) == ["saved", "saved"]
    assert dict(EnterpriseFigures.objects.filter(period=quarter).values_list("unit__code", TECH.split(".")[1])) == {
        "500112": 8, "500101": 6}

