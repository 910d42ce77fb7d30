"""`make bench`: generate national-scale data, run every benchmark, print the table and write it as JSON.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.run [--units 2850 --quarters 20 ...]

Each figure is put beside its baseline measured in the same run on the same database (see
docs/performance.md). `run()` is also what the smoke test calls at a tiny scale.
"""
import argparse
import json
import math
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import django

RESULTS = Path(__file__).parent / "results"
MB = "MiB"
MEASURES = ("compute", "serve", "import", "spread", "freshness", "surge", "registry")  # see the --only help
SERVED = ("serve", "freshness", "surge")  # the measures made through gunicorn on the computed dashboards
MEMORY_SAMPLE_ROWS = 10_000  # the import's peak memory is also taken at this many rows, to show it stays flat
TIMED_RUNS = 3  # measures 1 and 2 take the best of this many runs of each side, each from a settled database
IMPORT_TARGET = 0.05  # the import's check and confirmation, in rows/s, against COPY's rows/s of the same file


def measure_all(*, units: int, groups: int, quarters: int, seed: int, csv_rows: int, workbook_units: int,
                base_url: str | None, seconds: float, clients: int, log=print, measures=MEASURES,
                approvals: int = 20, worker_env=None, enterprises: int = 1_000_000, list_rows: int = 100_000,
                freshness_worker: bool = False) -> dict:
    """Generate the data, then run the chosen measures; the table's rows and the scale. `worker_env` is added to
    the environment of the Celery workers the spread measure starts; `freshness_worker` starts the freshness measure's
    worker for it (else the caller has one running)."""
    from django.db import connection

    from bench.freshness import measure_freshness
    from bench.generate import LAST_PERIOD, generate
    from bench.measure import timed
    from bench.serving import measure_serving
    from bench.spread import measure_spread
    from bench.surge import measure_surge
    from indicators.choices import RunStatus
    from indicators.models import DashboardRun, Plan

    row = Rows(log)
    grew = False  # the data grew since the snapshot was computed: the served measures need it computed again
    if "compute" in measures:
        measure_compute(row, units=units, groups=groups, quarters=quarters, seed=seed, log=log)
    else:
        log(f"generating {units} units × {quarters} quarters …")
        seconds_generate, counts = timed(lambda: generate(units=units, groups=groups, quarters=quarters, seed=seed,
                                                          log=log))
        row("生成数据", seconds_generate, "s", note=json.dumps(counts, ensure_ascii=False))
        grew = any(count for name, count in counts.items() if name not in ("units", "periods"))
    if "registry" in measures:  # before the served measures, so the dashboards are served beside a registry too
        from bench.registry import measure_generation

        measure_generation(row, enterprises=enterprises, seed=seed, log=log)
    if set(measures) & set(SERVED) and (grew or not DashboardRun.objects.filter(status=RunStatus.SUCCEEDED).exists()):
        log("computing the dashboards …")
        full_compute()
    plan = Plan.objects.filter(active=True).first()
    if "serve" in measures:
        measure_serving(plan=plan, period=LAST_PERIOD, base_url=base_url, seconds=seconds, clients=clients, row=row)
    if "freshness" in measures:
        with celery_worker(freshness_worker):  # gone before the spread measure counts its own workers
            measure_freshness(plan=plan, period=LAST_PERIOD, base_url=base_url, row=row, times=approvals, log=log)
    if "import" in measures:
        measure_imports(row, units=units, workbook_units=workbook_units, csv_rows=csv_rows, seed=seed, log=log)
    if "spread" in measures:
        measure_spread(row, log=log, env=worker_env)
    if "surge" in measures:
        measure_surge(plan=plan, base_url=base_url, seconds=seconds, clients=clients, quarters=quarters, seed=seed,
                      row=row, log=log)
    if "registry" in measures:
        from bench.registry import measure_registry

        measure_registry(row, quarters=quarters, list_rows=list_rows, base_url=base_url, seconds=seconds,
                         clients=clients, log=log)
    return {"rows": row.rows, "scale": {"units": units, "groups": groups, "quarters": quarters, "seed": seed,
                                        "enterprises": enterprises},
            "database": connection.vendor}


def full_compute():
    from indicators.choices import RunTrigger
    from indicators.services import dashboard_run_create, dashboards_compute

    return dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))


def one_unit_compute():
    """What an approval enqueues: the recompute of one unit (the middle one by id) after its last quarter."""
    from bench.generate import LAST_PERIOD
    from districts.models import Period, Unit
    from indicators.choices import RunTrigger
    from indicators.services import dashboard_run_create, dashboards_compute

    unit = Unit.objects.order_by("pk")[Unit.objects.count() // 2]
    return dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=unit,
                                                       period=Period.objects.get_by_code(LAST_PERIOD)))


def measure_compute(row, *, units: int, groups: int, quarters: int, seed: int, log) -> None:
    """1, 2 and 5: the full computation vs. one SQL statement per plan, one unit's recompute vs. the full one,
    and the computation's peak resident memory at 41 units and at full scale (the data grows in between)."""
    from bench import baseline
    from bench.generate import generate
    from bench.measure import peak_rss_mb, settle_database, timed
    from districts.models import Unit
    from indicators.models import Plan

    small = min(41, units)
    log(f"generating {small} units …")
    generate(units=small, groups=groups, quarters=quarters, seed=seed, log=log)
    small = Unit.objects.count()  # more than 41 on a database kept from a larger run: drop it to compare
    full_compute()  # warm-up: imports, caches, plans
    memory_small = peak_rss_mb(full_compute)
    log(f"generating {units} units × {quarters} quarters …")
    seconds_generate, counts = timed(lambda: generate(units=units, groups=groups, quarters=quarters, seed=seed,
                                                      log=log))
    row("生成数据", seconds_generate, "s", note=json.dumps(counts, ensure_ascii=False))

    plans = list(Plan.objects.select_related("baseline"))
    seconds_full = seconds_sql = math.inf
    for _ in range(TIMED_RUNS):  # in turn, so that the two meet the shared machine's load alike
        seconds, run = timed(full_compute, before=settle_database)
        seconds_full = min(seconds_full, seconds)
        seconds, counts = timed(lambda: [baseline.snapshot_counts(plan) for plan in plans], before=settle_database)
        seconds_sql = min(seconds_sql, seconds)
    sql_rows = sum(count[0] for count in counts)
    row("全量计算", seconds_full, "s", baseline_value=seconds_sql, ratio=seconds_full / seconds_sql, target="≤ 1.5",
        met=seconds_full <= 1.5 * seconds_sql,
        note=f"{run.rows} snapshot rows (the SQL: {sql_rows}), {len(plans)} plans")

    seconds_one, one = timed(one_unit_compute, repeat=TIMED_RUNS, before=settle_database)
    row("单个单位增量重算", seconds_one, "s", baseline_value=seconds_full, ratio=seconds_one / seconds_full,
        target="≤ 0.01", met=seconds_one <= 0.01 * seconds_full, note=one.unit.code)

    memory_large = peak_rss_mb(full_compute)
    row(f"计算峰值内存 RSS（{units} 个单位）", memory_large, MB, baseline_value=memory_small,
        ratio=memory_large / memory_small, target="≈ 1 (flat)", met=memory_large <= 1.5 * memory_small,
        note=f"{small} 个单位时 {memory_small:.1f} {MB}")


def measure_imports(row, *, units: int, workbook_units: int, csv_rows: int, seed: int, log) -> None:
    """4. The import check (every row read, validated and saved, then rolled back) and the confirmed import vs.
    COPY of the same rows.

    Speed is the upload as a person makes it (the job recorded with its file, its rows counted, then
    checked), then the confirmation (claimed and written; rolled back here after the deferred foreign keys
    are checked, so the bench data stays as generated). Memory is the peak resident memory of the check
    alone, of a job already recorded, in a fresh process (`bench/import_memory.py`), once at
    MEMORY_SAMPLE_ROWS rows and once at the full size: the check streams, so the two should be about the same.
    """
    from django.db import connection

    from bench import baseline, write_floor
    from bench.api_client import user_with_role
    from bench.generate import LAST_PERIOD
    from bench.import_memory import check_memory_mb
    from bench.imports import as_csv, as_workbook, import_rows
    from bench.measure import timed
    from districts.models import Period
    from districts.spreadsheets.importer import import_apply, import_check, import_claim, import_job_create
    from portal import roles

    staff = user_with_role("bench_staff", roles.MUNICIPAL_STAFF, is_staff=True)
    period = Period.objects.get_by_code(LAST_PERIOD).shifted(1)

    def recorded(file_name, content):
        return import_job_create(user=staff, file_name=file_name, content=content, period=period)[0]

    def applied(job, *, keep_rows: bool):
        """The confirmation's seconds (claimed, imported, the foreign keys checked as the commit would), the job,
        and with `keep_rows` the rows it wrote (`bench.write_floor`); rolled back."""
        def confirm():
            import_claim(job=job)
            job.refresh_from_db()
            return import_apply(job=job)

        return write_floor.rolled_back(confirm, keep=write_floor.written_models() if keep_rows else None)

    def against_copy(rate, copy_rate, target):  # the workbook, a few dozen rows, is reported without a target
        ratio = rate / copy_rate
        return {"baseline_value": copy_rate, "ratio": ratio, "target": target and f"≥ {target}",
                "met": None if target is None else ratio >= target}

    for name, count, build, file_name, of_units, target in (
        (f"导入工作簿（{workbook_units} 个单位）", workbook_units, as_workbook, "bench.xlsx", workbook_units, None),
        (f"导入 CSV（{csv_rows} 行）", csv_rows, as_csv, "bench.csv", units, IMPORT_TARGET),
    ):
        header, body = import_rows(rows=count, units=of_units, seed=seed)
        content = build(header, body)
        log(f"{name}: {len(body)} rows, {len(content)} bytes …")
        seconds_import, job = timed(lambda file_name=file_name, content=content: import_check(
            job=recorded(file_name, content)))
        seconds_copy, copied = timed(lambda header=header, body=body: baseline.copy_rows(header, body))
        rate, copy_rate = len(body) / seconds_import, copied / seconds_copy
        row(f"{name} 速度", rate, "rows/s", **against_copy(rate, copy_rate, target),
            note=f"{len(body)} rows, status {job.status}, {job.changed} values, {len(content)} bytes, "
                 f"{seconds_import:.1f} s")
        seconds_apply, done, kept = applied(job, keep_rows=target is not None and connection.vendor == "postgresql")
        rate = len(body) / seconds_apply
        row(f"{name} 确认导入速度", rate, "rows/s", **against_copy(rate, copy_rate, target),
            note=f"status {done.status}, {done.changed} values, {seconds_apply:.1f} s (rolled back)")
        if kept:
            seconds_floor, written = write_floor.copy_back(kept)
            rate = len(body) / seconds_floor
            row(f"{name} 确认导入的写入下限", rate, "rows/s", **against_copy(rate, copy_rate, None),
                note=f"the {written} rows the confirmation wrote, put back by COPY with their keys checked, "
                     f"{seconds_floor:.1f} s (rolled back)")
        sample = build(header, body[:MEMORY_SAMPLE_ROWS]) if len(body) > MEMORY_SAMPLE_ROWS else None
        job = recorded(file_name, content)
        before, memory = check_memory_mb(job)
        note = f"进程 {before:.1f} → 峰值 {memory:.1f} {MB}"
        if sample is not None:
            before_sample, memory_sample = check_memory_mb(recorded(file_name, sample))
            row(f"{name} 检查峰值内存 RSS", memory, MB, baseline_value=memory_sample, ratio=memory / memory_sample,
                target="≈ 1 (flat)", met=memory <= 1.5 * memory_sample,
                note=f"{note}; {MEMORY_SAMPLE_ROWS} 行时 {before_sample:.1f} → {memory_sample:.1f} {MB}")
        else:
            row(f"{name} 检查峰值内存 RSS", memory, MB, note=note)


class Rows:
    """The table being measured: `row(measure, value, unit, ...)` adds a line and logs it."""

    def __init__(self, log):
        self.rows, self.log = [], log

    def __call__(self, measure, value, unit, *, baseline_value=None, ratio=None, target=None, met=None, note=""):
        self.rows.append({"measure": measure, "value": value, "unit": unit, "baseline": baseline_value,
                          "ratio": ratio, "target": target, "met": met, "note": note})
        ratio_text = f" (ratio {ratio:.3g}, target {target})" if ratio is not None else ""
        self.log(f"  {measure}: {value:.4g} {unit}{ratio_text}")


def print_table(result: dict, out=None):
    out = out or sys.stdout
    out.write(f"\n{'measure':<34} {'value':>12} {'unit':<8} {'baseline':>12} {'ratio':>9} {'target':<11} met\n")
    for r in result["rows"]:
        def fmt(x):
            return f"{x:.4g}" if isinstance(x, float) else ("" if x is None else str(x))
        met = {True: "yes", False: "NO", None: ""}[r["met"]]
        out.write(f"{r['measure']:<34} {fmt(r['value']):>12} {r['unit']:<8} {fmt(r['baseline']):>12} "
                  f"{fmt(r['ratio']):>9} {r['target'] or '':<11} {met}\n")


def start_gunicorn(port: int) -> subprocess.Popen:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning"], env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2)
            return server
        except urllib.error.HTTPError:  # answering at all is enough (a 503 names a service the bench does not need)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


@contextmanager
def celery_worker(start: bool):
    """A real Celery worker while the block runs, if `start`."""
    worker = start_worker() if start else None
    try:
        yield
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait()


def start_worker() -> subprocess.Popen:
    """A real Celery worker on the bench's database and Redis, one task at a time, as the portal deploys it."""
    from portal.celery import app

    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.settings"}
    worker = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency", "1", "--loglevel", "warning",
         "-n", f"bench-{os.getpid()}@%h"], env=env,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.terminate()
            raise RuntimeError("the Celery worker did not start")
    return worker


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2850)
    parser.add_argument("--groups", type=int, default=31)
    parser.add_argument("--quarters", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--csv-rows", type=int, default=100_000)
    parser.add_argument("--workbook-units", type=int, default=41)
    parser.add_argument("--enterprises", type=int, default=1_000_000, help="on the registry (measure 9)")
    parser.add_argument("--list-rows", type=int, default=100_000, help="of the status list imported (measure 9)")
    parser.add_argument("--seconds", type=float, default=15, help="load per served endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=MEASURES,
                        help="run only these measures (compute: 1, 2 and 5; serve: 3; import: 4; spread: 6, a full "
                             "run on one Celery worker, then on two; freshness: 7; surge: 8; registry: 9); data "
                             "generation always runs")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so an interrupted run still stops its gunicorn
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.core.management import call_command

    from portal.databases import ensure_database

    ensure_database()  # a fresh machine has the server, not the bench's database
    call_command("migrate", verbosity=0)
    server = start_gunicorn(args.port) if set(args.only) & {*SERVED, "registry"} else None
    try:
        result = measure_all(units=args.units, groups=args.groups, quarters=args.quarters, seed=args.seed,
                             csv_rows=args.csv_rows, workbook_units=args.workbook_units,
                             base_url=f"http://127.0.0.1:{args.port}", seconds=args.seconds, clients=args.clients,
                             measures=args.only, enterprises=args.enterprises, list_rows=args.list_rows,
                             freshness_worker=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    result["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "host": platform.node()}
    print_table(result)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
