"""The snapshot follows workflow steps whose runs a real Celery worker computes, through Redis: the state machine of
test_snapshot_follows_every_change.py with each step waiting for its runs to land. A module of its own, so that it
runs beside that module's long eager run instead of after it.
"""
import time

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.stateful import run_state_machine_as_test

from indicators.choices import RunStatus
from indicators.models import DashboardRun
from indicators.tests.test_snapshot_follows_every_change import SnapshotMachine
from indicators.tests.test_snapshot_follows_every_change import small_world as small_world  # the fixture

pytestmark = pytest.mark.slow


class WorkerLanding:
    """A step commits at once; its runs land when the real worker has finished every run requested."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            return False
        deadline = time.monotonic() + 60
        busy = DashboardRun.objects.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING])
        while busy.exists():
            assert time.monotonic() < deadline, f"runs still busy: {list(busy.values('pk', 'status', 'error'))}"
            time.sleep(0.2)
        failed = DashboardRun.objects.filter(status=RunStatus.FAILED)
        assert not failed.exists(), list(failed.values_list("error", flat=True))
        return False


@pytest.mark.worker
def test_the_snapshot_follows_workflow_steps_computed_by_a_real_worker(small_world, celery_worker_process):
    world, staff, clerks, platforms = small_world
    SnapshotMachine.world, SnapshotMachine.staff, SnapshotMachine.clerks = world, staff, clerks
    SnapshotMachine.platforms, SnapshotMachine.settle = platforms, staticmethod(WorkerLanding)
    SnapshotMachine.steps, SnapshotMachine.rollback_each_example = 0, False
    try:
        run_state_machine_as_test(SnapshotMachine, settings=hypothesis_settings(
            max_examples=1, stateful_step_count=20, deadline=None, phases=["generate"]))
    finally:
        SnapshotMachine.rollback_each_example = True
    assert SnapshotMachine.steps >= 10
