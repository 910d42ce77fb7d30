import time

import pytest

from evaluation.choices import RunStatus
from evaluation.services import evaluation_create, evaluation_request_compute
from evaluation.tests.conftest import FIGURES, put_figures


@pytest.mark.worker
def test_a_real_worker_computes_an_evaluation_and_records_the_run(celery_worker_process, scheme, period):
    put_figures(period, FIGURES)
    evaluation = evaluation_create(scheme=scheme)
    run = evaluation_request_compute(evaluation=evaluation)  # no transaction here: queued at once
    deadline = time.monotonic() + 60
    while run.status not in (RunStatus.SUCCEEDED, RunStatus.FAILED) and time.monotonic() < deadline:
        time.sleep(0.5)
        run.refresh_from_db()
    assert (run.status, run.progress, run.error) == (RunStatus.SUCCEEDED, 100, "")
    assert run.started_at <= run.finished_at
    assert evaluation.results.get(rank=1).unit.code == "500103"
