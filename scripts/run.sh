#!/usr/bin/env bash
# Prepare the database (create it if needed, migrate, reference data, demo data, dashboards) and serve the portal.
# With REDIS_URL set, a Celery worker and beat run beside the web server; Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-127.0.0.1}
port=${2:-8000}
py=.venv/bin/python

$py manage.py create_database
$py manage.py migrate --no-input -v0
$py manage.py load_reference
$py manage.py seed_demo
if $py manage.py help compute_dashboards >/dev/null 2>&1; then
  $py manage.py compute_dashboards
fi

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A portal worker --loglevel=INFO --concurrency=2 &
  pids+=($!)
  .venv/bin/celery -A portal beat --loglevel=INFO &
  pids+=($!)
fi
echo "门户已启动：http://$host:$port/  （Ctrl-C 停止）"
$py manage.py runserver "$host:$port" &
pids+=($!)
wait -n "${pids[@]}"
