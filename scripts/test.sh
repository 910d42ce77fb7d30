#!/usr/bin/env bash
# Run the whole test suite: SQLite by default, PostgreSQL when DATABASE_URL is set, a real Celery
# worker when REDIS_URL is set. Browser tests need Debian's chromium (skipped with a reason if absent,
# unless REQUIRE_ALL=1, which CI sets, turns every skip into a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
# One process per core and one more (at most 4: CI gives each a Redis database), each with its own test database:
# much of a test's time is spent waiting on a Celery worker, Chromium or PostgreSQL, which the extra process fills.
# A module stays in one process. Modules are handed out in the order collected, the slow ones first (conftest.py),
# not reordered by their number of tests.
processes=$(( $(nproc) + 1 ))
exec .venv/bin/pytest --numprocesses=$(( processes < 4 ? processes : 4 )) --dist=loadfile --no-loadscope-reorder "$@"
