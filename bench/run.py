"""`make bench`: generate national-scale data, run every benchmark, print the table and write it as JSON.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.run [--units 2850 --quarters 20 ...]

Each figure is put beside its baseline measured in the same run on the same database (see README,
"Performance"). `run()` is also what the smoke test calls at a tiny scale.
"""
import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import django

RESULTS = Path(__file__).parent / "results"
MB = "MiB"
MEASURES = ("compute", "serve", "import")  # 1, 2 and 5; 3; 4


def measure_all(*, units: int, groups: int, quarters: int, seed: int, csv_rows: int, workbook_units: int,
                base_url: str | None, seconds: float, clients: int, only=MEASURES, log=print) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import baseline
    from bench.generate import LAST_PERIOD, generate
    from bench.imports import as_csv, as_workbook, import_rows
    from bench.load import hammer
    from bench.measure import peak_memory_mb, timed
    from districts.models import Period, Unit
    from districts.spreadsheets.importer import import_check, import_job_create
    from indicators.choices import RunTrigger
    from indicators.models import Plan
    from indicators.services import dashboard_run_create, dashboards_compute
    from portal import roles

    rows = []

    def row(measure, value, unit, *, baseline_value=None, ratio=None, target=None, met=None, note=""):
        rows.append({"measure": measure, "value": value, "unit": unit, "baseline": baseline_value, "ratio": ratio,
                     "target": target, "met": met, "note": note})
        ratio_text = f" (ratio {ratio:.3g}, target {target})" if ratio is not None else ""
        log(f"  {measure}: {value:.4g} {unit}{ratio_text}")

    def full_compute():
        return dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))

    small = min(41, units)
    log(f"generating {small} units …")
    generate(units=small, groups=groups, quarters=quarters, seed=seed, log=log)
    small = Unit.objects.count()  # more than 41 on a database kept from a larger run: drop it to compare
    full_compute()  # warm-up: imports, caches, plans
    memory_small = peak_memory_mb(full_compute) if "compute" in only else None
    log(f"generating {units} units × {quarters} quarters …")
    seconds_generate, counts = timed(lambda: generate(units=units, groups=groups, quarters=quarters, seed=seed,
                                                      log=log))
    row("生成数据", seconds_generate, "s", note=json.dumps(counts, ensure_ascii=False))

    # 1. full computation vs. one SQL statement per plan
    seconds_full, run = timed(full_compute)  # also the snapshot the pages serve
    plans = list(Plan.objects.select_related("baseline"))
    last = Period.objects.get_by_code(LAST_PERIOD)
    if "compute" in only:
        seconds_sql, _ = timed(lambda: [baseline.run_sums_and_progress(plan) for plan in plans], repeat=3)
        row("全量计算", seconds_full, "s", baseline_value=seconds_sql, ratio=seconds_full / seconds_sql, target="≤ 3",
            met=seconds_full <= 3 * seconds_sql, note=f"{run.rows} snapshot rows, {len(plans)} plans")

        # 2. recompute of one unit (what an approval enqueues) vs. the full computation
        unit = Unit.objects.order_by("pk")[units // 2]
        seconds_one, _ = timed(lambda: dashboards_compute(
            run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=unit, period=last)))
        row("单个单位增量重算", seconds_one, "s", baseline_value=seconds_full, ratio=seconds_one / seconds_full,
            target="< 0.02", met=seconds_one < 0.02 * seconds_full, note=unit.code)

        # 5. peak memory of the computation as units grow
        memory_large = peak_memory_mb(full_compute)
        row(f"计算峰值内存（{units} 个单位）", memory_large, MB, baseline_value=memory_small,
            ratio=memory_large / memory_small, target="≈ 1 (flat)", met=memory_large <= 1.5 * memory_small,
            note=f"{small} 个单位时 {memory_small:.1f} {MB}")

    # 3. serving
    viewer, _ = get_user_model().objects.get_or_create(username="bench_viewer")
    viewer.groups.add(Group.objects.get(name=roles.MUNICIPAL_VIEWER))
    client = Client()
    client.force_login(viewer)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    plan = next(p for p in plans if p.active)
    indicator = "tech_smes"
    query = f"plan={plan.code}&period={LAST_PERIOD}&indicator={indicator}"
    client.get(f"/dashboards/?{query}")  # warm the snapshot caches
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/dashboards/?{query}")
    row("总览页 SQL 查询数（缓存已热）", len(queries), "queries")
    if base_url and "serve" in only:
        endpoints = {"总览页": f"/dashboards/?{query}", "单位表 CSV": f"/dashboards/data/units.csv?{query}"}
        if client.get(f"/api/v1/indicator-values/?period={LAST_PERIOD}").status_code == 200:
            endpoints |= {"API JSON": f"/api/v1/indicator-values/?period={LAST_PERIOD}&plan={plan.code}",
                          "API CSV": f"/api/v1/indicator-values/?period={LAST_PERIOD}&plan={plan.code}&format=csv"}
        bare = hammer(f"{base_url}/bench/bare-values/?{query}", cookie=cookie, seconds=seconds, clients=clients)
        row("裸视图 .values() JSON", bare["rps"], "req/s", note=json.dumps(bare))
        for name, path in endpoints.items():
            result = hammer(base_url + path, cookie=cookie, seconds=seconds, clients=clients)
            ratio = result["rps"] / bare["rps"] if bare["rps"] else None
            row(f"{name} 吞吐", result["rps"], "req/s", baseline_value=bare["rps"], ratio=ratio, target="≥ 0.5",
                met=bool(ratio and ratio >= 0.5 and result["errors"] == 0), note=json.dumps(result))
            row(f"{name} p95", result["p95_ms"], "ms", note=f"errors {result['errors']}")

    # 4. import (check: every row parsed, validated and saved, then rolled back) vs. COPY of the same rows
    staff, _ = get_user_model().objects.get_or_create(username="bench_staff", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=roles.MUNICIPAL_STAFF))
    first_period = Period.objects.filter(ordinal__gt=last.ordinal).order_by("ordinal").first()
    for name, count, build, file_name in (
        (f"导入工作簿（{workbook_units} 个单位）", workbook_units, as_workbook, "bench.xlsx"),
        (f"导入 CSV（{csv_rows} 行）", csv_rows, as_csv, "bench.csv"),
    ) if "import" in only else ():
        header, body = import_rows(rows=count, units=workbook_units if build is as_workbook else units, seed=seed)
        content = build(header, body)

        def check(file_name=file_name, content=content):
            job, table = import_job_create(user=staff, file_name=file_name, content=content, period=first_period)
            return import_check(job=job, table=table)

        seconds_import, job = timed(check)
        memory = peak_memory_mb(check)
        seconds_copy, copied = timed(lambda header=header, body=body: baseline.copy_rows(header, body))
        rate, copy_rate = len(body) / seconds_import, copied / seconds_copy
        row(f"{name} 速度", rate, "rows/s", baseline_value=copy_rate, ratio=rate / copy_rate,
            note=f"status {job.status}, {job.changed} values, {len(content)} bytes")
        row(f"{name} 峰值内存", memory, MB)
    return {"rows": rows, "scale": {"units": units, "groups": groups, "quarters": quarters, "seed": seed},
            "database": connection.vendor}


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2850)
    parser.add_argument("--groups", type=int, default=31)
    parser.add_argument("--quarters", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--csv-rows", type=int, default=100_000)
    parser.add_argument("--workbook-units", type=int, default=41)
    parser.add_argument("--seconds", type=float, default=15, help="load per served endpoint")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=MEASURES,
                        help="run only these measures (compute: 1, 2 and 5; serve: 3; import: 4)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so an interrupted run still stops its gunicorn
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    server = start_gunicorn(args.port) if "serve" in args.only else None
    try:
        result = measure_all(units=args.units, groups=args.groups, quarters=args.quarters, seed=args.seed,
                             csv_rows=args.csv_rows, workbook_units=args.workbook_units,
                             base_url=f"http://127.0.0.1:{args.port}", seconds=args.seconds, clients=args.clients,
                             only=args.only)
    finally:
        if server:
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
