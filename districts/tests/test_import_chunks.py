"""A file larger than a chunk: read as a stream, saved chunk by chunk, still all or nothing."""
import gc
import weakref

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from districts.choices import ImportStatus
from districts.figures import quarter_values
from districts.models import ImportJob, Submission, Unit
from districts.services import figures_save
from districts.spreadsheets import importer
from districts.spreadsheets.columns import figure_columns
from districts.spreadsheets.reader import FileRefused, read_table
from districts.tasks import import_apply_task
from districts.tests.files import csv_bytes, header_of
from districts.tests.test_import import confirm, figures_snapshot, last_job, upload

TECH = "enterprises.tech_smes"
RD = "economy.rd_spending"
CHUNK = 5


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Chunks of five quarters, so the 41 units' file spans nine of them."""
    monkeypatch.setattr(importer, "CHUNK_QUARTERS", CHUNK)


def every_unit_rows(value_of=lambda unit: 10 * unit.order + 1):
    return [["单位代码", "单位名称", header_of(TECH)],
            *([unit.code, unit.name, value_of(unit)] for unit in Unit.objects.order_by("order"))]


@pytest.fixture
def staff_client(city_staff, quarter, client_for):
    return client_for(city_staff)


def test_a_file_of_many_chunks_imports_every_row(staff_client, quarter):
    rows = every_unit_rows()
    assert len(rows) - 1 > 3 * CHUNK
    upload(staff_client, csv_bytes(rows), "all.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY, job.preview["problems"]
    confirm(staff_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.changed == len(rows) - 1
    for unit in Unit.objects.all():
        assert quarter_values(unit=unit, period=quarter)[TECH] == 10 * unit.order + 1


def test_an_error_in_the_last_chunk_leaves_the_earlier_chunks_unwritten(staff_client, quarter):
    rows = every_unit_rows()
    rows[-1][2] = "-5"
    before = figures_snapshot()
    upload(staff_client, csv_bytes(rows), "last-row-bad.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    assert [problem["row"] for problem in job.preview["problems"]] == [len(rows)]
    assert figures_snapshot() == before


def test_a_conflict_found_in_the_last_chunk_on_confirming_writes_no_chunk(staff_client, quarter, city_staff):
    rows = every_unit_rows()
    upload(staff_client, csv_bytes(rows), "late.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY
    last_unit = Unit.objects.get(code=rows[-1][0])
    figures_save(user=city_staff, unit=last_unit, period=quarter, values={TECH: 7})
    before = figures_snapshot()
    confirm(staff_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert [problem["row"] for problem in job.preview["problems"]] == [len(rows)]
    assert "已被他人修改" in job.preview["problems"][0]["message"]
    assert figures_snapshot() == before


def test_a_last_row_found_wrong_only_on_confirming_writes_no_chunk(staff_client, quarter, city_staff):
    """The check passed; then the quarter before the last row's was corrected upward, so the last row's
    year-to-date figure now falls within the year: the confirmation refuses that row and writes no chunk."""
    rows = [["单位代码", "单位名称", header_of(RD)],
            *([unit.code, unit.name, 100 + unit.order] for unit in Unit.objects.order_by("order"))]
    upload(staff_client, csv_bytes(rows), "rd.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY, job.preview["problems"]
    figures_save(user=city_staff, unit=Unit.objects.get(code=rows[-1][0]), period=quarter.shifted(-1),
                 values={RD: 100000})
    before = figures_snapshot()
    confirm(staff_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    [problem] = job.preview["problems"]
    assert problem["row"] == len(rows) and "累计数" in problem["message"]
    assert figures_snapshot() == before


def test_confirming_two_quarters_reads_no_history_of_what_the_import_itself_wrote(staff_client, quarter):
    """A chunk that spans the two quarters asks for its units in both, which includes quarters earlier chunks
    saved after the check: their version at the check is not needed (one history query each, before)."""
    units, periods = list(Unit.objects.order_by("order")), (quarter, quarter.shifted(1))
    rows = [["单位代码", "季度", header_of(TECH)],
            *([unit.code, period.code, 10 * unit.order + 1] for period in periods for unit in units)]
    upload(staff_client, csv_bytes(rows), "two-quarters.csv", quarter)
    job = last_job()
    assert job.status == ImportStatus.READY, job.preview["problems"]
    with CaptureQueriesContext(connection) as queries:
        confirm(staff_client, job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.changed == 2 * len(units)
    history_reads = [q["sql"] for q in queries.captured_queries
                     if q["sql"].startswith("SELECT") and Submission.history.model._meta.db_table in q["sql"]]
    assert history_reads == []


class WorkerDied(BaseException):
    """What a worker killed at that point looks like to the code: nothing after it runs, no handler sees it."""


def test_a_worker_that_dies_as_the_import_finishes_leaves_it_redone_or_done_never_half_recorded(
    staff_client, quarter, monkeypatch
):
    """The worker dies while the job's outcome is being recorded: the task is redelivered (acks_late) and must
    import the figures once and record what changed, not find its own committed writes (it recorded 0 changes,
    or a conflict when the quarter moved on)."""
    rows = every_unit_rows()
    upload(staff_client, csv_bytes(rows), "all.csv", quarter)
    job = last_job()
    versions = {s.unit_id: s.history.count() for s in Submission.objects.filter(period=quarter)}
    assert importer.import_claim(job=job)
    record_outcome = importer.Outcome.as_preview

    def dies_once(outcome):
        monkeypatch.setattr(importer.Outcome, "as_preview", record_outcome)
        raise WorkerDied

    monkeypatch.setattr(importer.Outcome, "as_preview", dies_once)
    with pytest.raises(WorkerDied):
        importer.import_apply(job=ImportJob.objects.get(pk=job.pk))
    import_apply_task(job.pk)  # redelivered
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.preview["problems"]
    assert job.changed == len(rows) - 1
    for unit in Unit.objects.all():
        assert quarter_values(unit=unit, period=quarter)[TECH] == 10 * unit.order + 1
        assert Submission.objects.get(unit=unit, period=quarter).history.count() == versions.get(unit.pk, 0) + 1


def test_a_quarter_repeated_chunks_later_names_its_first_row(staff_client, quarter):
    rows = every_unit_rows()
    rows.append(list(rows[1]))
    upload(staff_client, csv_bytes(rows), "repeated.csv", quarter)
    [problem] = last_job().preview["problems"]
    assert problem["row"] == len(rows) and "与第 2 行重复" in problem["message"]


def test_a_long_preview_keeps_the_first_changes_and_counts_them_all(staff_client, quarter, monkeypatch):
    monkeypatch.setattr(importer, "PREVIEW_LIMIT", 3)
    rows = every_unit_rows()
    upload(staff_client, csv_bytes(rows), "all.csv", quarter)
    job = last_job()
    assert len(job.preview["changes"]) == 3 and job.preview["counts"]["changes"] == job.changed == len(rows) - 1
    page = staff_client.get(reverse("spreadsheets:job", args=[job.pk])).content.decode()
    assert 'id="preview-truncated"' in page and str(len(rows) - 1) in page


@pytest.mark.django_db
def test_reading_a_row_does_not_read_the_rest_of_the_file(settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = [["单位代码", header_of(TECH)], *(["500112", n] for n in range(50))]
    table = read_table(csv_bytes(rows), "long.csv", figure_columns())
    assert next(table.rows()).cells == {0: "500112", 1: "0"}
    with pytest.raises(FileRefused, match="超过 10 行"):
        table.count()


@pytest.mark.django_db
def test_rows_already_read_are_not_kept_by_the_reader():
    rows = [["单位代码", header_of(TECH)], *(["500112", n] for n in range(100))]
    reading = read_table(csv_bytes(rows), "long.csv", figure_columns()).rows()
    first = weakref.ref(next(reading))
    remaining = sum(1 for _row in reading)
    gc.collect()
    assert remaining == 99 and first() is None
