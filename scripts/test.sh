#!/usr/bin/env bash
# Run the whole test suite: SQLite by default, PostgreSQL when DATABASE_URL is set, a real Celery
# worker when REDIS_URL is set. Browser tests need Debian's chromium, installed here when it can be
# (scripts/browser-packages.sh); without it they skip with a reason, unless REQUIRE_ALL=1, which CI
# sets, turns every skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/browser-packages.sh
# One process per core (at most 4), each with its own test database; a module stays in one process. Modules are
# handed out in the order collected, the slow ones first (conftest.py), not reordered by their number of tests.
exec .venv/bin/pytest --numprocesses=auto --maxprocesses=4 --dist=loadfile --no-loadscope-reorder "$@"
