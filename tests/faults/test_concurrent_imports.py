"""The same file imported twice at the same moment, and one import confirmed twice at the same moment (two
tabs, a double click reaching two server processes), on real PostgreSQL: the figures are written once.

Both attempts are made to overlap for real: the test holds a row lock both need, waits until both wait
for it, and lets go.
"""
from collections import Counter

import pytest

from conftest import current_database_url
from districts.choices import ImportStatus
from districts.models import ImportJob, Submission, Unit
from districts.spreadsheets.importer import import_apply, import_check, import_claim, import_job_create
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures
from tests.faults.locks import RowLock
from tests.threads import at_once


def both_wait(lock: RowLock) -> None:
    lock.wait_until_someone_waits(waiting=2)

pytestmark = pytest.mark.faults

TECH = "enterprises.tech_smes"


def checked_job(user, period, content) -> ImportJob:
    job, table = import_job_create(user=user, file_name="两区.csv", content=content, period=period)
    return import_check(job=job, table=table)


@pytest.fixture
def two_units_file(chongqing):
    units = list(Unit.objects.filter(code__in=["500112", "500101"]).order_by("order", "code"))
    in_file = {unit.code: 400 + index for index, unit in enumerate(units)}
    rows = [[unit.code, unit.name, in_file[unit.code]] for unit in units]
    return units, in_file, csv_bytes([["单位代码", "单位名称", header_of(TECH)], *rows])


def written(period) -> tuple[dict, Counter, dict]:
    return (
        dict(EnterpriseFigures.objects.filter(period=period).values_list("unit__code", "tech_smes")),
        Counter(EnterpriseFigures.history.filter(period=period).values_list("unit__code", flat=True)),
        dict(Submission.objects.filter(period=period).values_list("unit__code", "version")),
    )


def test_the_same_file_imported_twice_at_once_writes_its_figures_once(quarter, city_staff, two_units_file):
    units, in_file, content = two_units_file
    jobs = [checked_job(city_staff, quarter, content) for _ in range(2)]
    assert all(import_claim(job=job) for job in jobs)
    _figures, _history, versions_before = written(quarter)
    lock = RowLock(current_database_url(), Submission._meta.db_table,
                   Submission.objects.get(unit=units[0], period=quarter).pk)

    applies = (lambda job=job: import_apply(job=ImportJob.objects.get(pk=job.pk)) for job in jobs)
    results = at_once(lock, *applies, wait=both_wait)

    figures, history, versions = written(quarter)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert figures == in_file
    assert history == Counter(in_file.keys()), "each figure written once"
    assert versions == {code: v + (code in in_file) for code, v in versions_before.items()}
    statuses = sorted(ImportJob.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True))
    assert ImportStatus.DONE in statuses
    assert statuses in ([ImportStatus.DONE, ImportStatus.DONE], [ImportStatus.DONE, ImportStatus.REJECTED])


def test_one_import_confirmed_twice_at_once_is_claimed_and_written_once(quarter, city_staff, two_units_file):
    _units, in_file, content = two_units_file
    job = checked_job(city_staff, quarter, content)
    lock = RowLock(current_database_url(), ImportJob._meta.db_table, job.pk)

    claims = at_once(lock, lambda: import_claim(job=job), lambda: import_claim(job=job),
                     wait=both_wait)
    for _claimed in filter(None, claims):
        import_apply(job=ImportJob.objects.get(pk=job.pk))

    figures, history, _versions = written(quarter)
    assert sorted(claims) == [False, True]
    assert figures == in_file and history == Counter(in_file.keys())
