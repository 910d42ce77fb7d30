"""The swap of a spread run takes the snapshot table for a moment only: while a reader holds it up, the swap
asks again and again (`spread.LOCK_WAIT`), and the readers that come meanwhile wait no longer than that."""
import threading
import time

import psycopg2
import pytest
from django.db import connection

from bench.generate import generate
from conftest import current_database_url, is_postgres
from indicators.choices import RunStatus, RunTrigger
from indicators.models import DashboardRun, IndicatorValue
from indicators.services import dashboard_run_claim, dashboard_run_create, dashboards_compute
from indicators.spread import dashboards_spread, dashboards_stage, dashboards_swap
from tests.faults.locks import RowLock

pytestmark = pytest.mark.faults


def runs_read_by_a_reader_of_its_own() -> tuple[set[int], float]:
    """The runs in the snapshot, read on a connection of its own, and how long the read took."""
    reader = psycopg2.connect(current_database_url())
    try:
        started = time.monotonic()
        with reader.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT run_id FROM {IndicatorValue._meta.db_table}")  # table: ours
            runs = {run for (run,) in cursor.fetchall()}
        return runs, time.monotonic() - started
    finally:
        reader.close()


def test_readers_wait_a_moment_at_most_while_the_swap_waits_for_a_long_reader(transactional_db):
    if not is_postgres():
        pytest.skip("DATABASE_URL is not PostgreSQL: the swap renames tables there only")
    generate(units=20, groups=2, quarters=5, seed=3, log=lambda _: None)
    previous = dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))
    run = dashboard_run_claim(run_id=dashboard_run_create(trigger=RunTrigger.MANUAL).pk)
    spread = dashboards_spread(run=run)
    for part in spread["parts"]:
        dashboards_stage(run_id=run.pk, attempt=spread["attempt"], part=part)
    long_reader = RowLock(current_database_url(), IndicatorValue._meta.db_table, IndicatorValue.objects.first().pk)

    def swap():
        try:
            dashboards_swap(run_id=run.pk, attempt=spread["attempt"], parts=spread["parts"], covered=spread["covered"])
        finally:
            connection.close()

    swapping = threading.Thread(target=swap)
    swapping.start()
    try:
        long_reader.wait_until_someone_waits()
        reads = [runs_read_by_a_reader_of_its_own() for _ in range(5)]
    finally:
        long_reader.release()
    swapping.join(timeout=60)

    assert all(runs == {previous.pk} and seconds < 1 for runs, seconds in reads), reads
    assert DashboardRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED
    assert set(IndicatorValue.objects.values_list("run", flat=True).distinct()) == {run.pk}
