"""Measure 9: the enterprise registry at national scale (1,000,000 enterprises, about 3,000,000 status records over the
bench's units), each figure beside a baseline measured in the same run:

- the quarter-end counts of every unit, kind and quarter by the portal's selector vs. one GROUP BY statement;
- the registry list (`/api/v1/enterprises/`, one unit, searched by name or by credit code) under gunicorn vs. a
  bare indexed `.values()` view of the same rows;
- a 100,000-row status list checked and imported (`enterprises.lists`, with the foreign keys its commit would check)
  vs. COPY of the same rows; the floor under it, the rows it wrote put back by COPY alone with their keys checked
  (`bench.write_floor`); and the check's peak memory at 10,000 and at 100,000 rows, in a fresh process.

The registry comes from `enterprises.synthetic`, as the demo's: each unit's counts at every year end follow its
lognormal size and growth (`bench.generate.unit_profile`), so large units hold most enterprises.
"""
import csv
import datetime
import io
import json
import statistics
from urllib.parse import urlencode

from django.db import connection, transaction

from bench import write_floor
from bench.generate import LAST_PERIOD, analyze, unit_profile
from bench.measure import timed
from districts.models import Period, Unit
from enterprises import synthetic
from enterprises.choices import StatusKind
from enterprises.models import Enterprise, StatusRecord, StatusValidity
from enterprises.selectors import quarter_counts

MOVED_ON = datetime.date(2024, 7, 1)
# Holders at the last year end per enterprise on the registry, by kind (tech-based registrations are yearly, so
# most enterprises on the registry hold one; a few in ten are high-tech).
SHARES = {StatusKind.TECH_SME: 0.715, StatusKind.HIGH_TECH: 0.105, StatusKind.SPECIALISED: 0.047,
          StatusKind.LITTLE_GIANT: 0.0042}
YEARS = 5  # year ends counted, up to LAST_PERIOD


def registry_targets(units: list[Unit], *, enterprises: int, seed: int) -> dict:
    """{year end: {unit id: {kind: holders}}}: each unit's share of the enterprises by its size, growing yearly."""
    last = Period.objects.get_by_code(LAST_PERIOD).end_date
    profiles = {unit.pk: unit_profile(seed, unit.code) for unit in units}
    total = sum(profile["size"] for profile in profiles.values())
    targets = {}
    for back in range(YEARS):
        day = last.replace(year=last.year - back)
        targets[day] = {
            unit.pk: {kind: round(enterprises * share * profile["size"] / total
                                  / (1 + min(max(profile["growth"], 0), 0.2)) ** back)
                      for kind, share in SHARES.items()}
            for unit in units for profile in (profiles[unit.pk],)
        }
    return targets


@transaction.atomic
def generate_registry(*, enterprises: int, seed: int, log=print) -> dict:
    """The registry over every unit of the bench, unless one is there already."""
    if Enterprise.objects.exists():
        return {"enterprises": Enterprise.objects.count(), "status_records": StatusRecord.objects.count()}
    units = list(Unit.objects.select_related("group").order_by("pk"))
    neighbours = {}
    for unit in units:
        neighbours.setdefault(unit.group_id, []).append(unit.pk)
    rules = {rule.kind: rule for rule in StatusValidity.objects.all()}
    registry = synthetic.build(registry_targets(units, enterprises=enterprises, seed=seed), rules=rules,
                               neighbours={u.pk: [o for o in neighbours[u.group_id][:50] if o != u.pk] for u in units},
                               moved_on=MOVED_ON, seed=seed)
    log(f"registry: {len(registry.firms)} enterprises, {len(registry.records)} status records …")
    synthetic.write(registry, regions={unit.pk: unit.code if unit.code.isdigit() else f"{unit.pk:06d}"
                                       for unit in units})
    analyze()
    return {"enterprises": len(registry.firms), "status_records": len(registry.records)}


def counts_by_sql(periods: list[Period]) -> dict[tuple[int, int, str], int]:
    """(period id, unit id, kind) -> enterprises holding a status of the kind at the quarter's end, in one
    statement."""
    days = ", ".join(["(%s, %s)"] * len(periods))
    sql = f"""
        WITH quarter(id, day) AS (VALUES {days})
        SELECT quarter.id, registration.unit_id, record.kind, COUNT(DISTINCT record.enterprise_id)
        FROM quarter
        JOIN enterprises_statusrecord record ON record.issued <= quarter.day
            AND (record.valid_until IS NULL OR record.valid_until >= quarter.day)
            AND (record.revoked IS NULL OR record.revoked > quarter.day)
        JOIN enterprises_registration registration ON registration.enterprise_id = record.enterprise_id
            AND (registration.since IS NULL OR registration.since <= quarter.day)
            AND (registration.until IS NULL OR registration.until >= quarter.day)
        GROUP BY quarter.id, registration.unit_id, record.kind
    """  # noqa: S608 (placeholders only)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for period in periods for value in (period.pk, period.end_date)])
        return {(period, unit, kind): n for period, unit, kind, n in cursor.fetchall()}


def counts_by_selector(periods: list[Period]) -> dict[tuple[int, int, str], int]:
    found = {}
    for period in periods:
        for unit, counts in quarter_counts(period).units.items():
            for kind, n in counts.items():
                found[period.pk, unit, kind] = n
    return found


def measure_counts(row, *, quarters: int) -> None:
    last = Period.objects.get_by_code(LAST_PERIOD)
    periods = list(Period.objects.filter(ordinal__gt=last.ordinal - quarters, ordinal__lte=last.ordinal))
    seconds_selector, by_selector = timed(lambda: counts_by_selector(periods), repeat=2)
    seconds_sql, by_sql = timed(lambda: counts_by_sql(periods), repeat=2)
    assert by_selector == by_sql, "the selector and the SQL must count the same"
    ratio = seconds_selector / seconds_sql
    row(f"名录季末计数（{len(periods)} 个季度）", seconds_selector, "s", baseline_value=seconds_sql, ratio=ratio,
        target="≤ 2", met=ratio <= 2, note=f"{len(by_sql)} (quarter, unit, kind) counts, equal to the SQL's")


def list_paths(client) -> tuple[dict[str, str], dict[str, str]]:
    """For the unit with the most enterprises: a name search and a credit-code search, as the API and the bare
    view take them."""
    from django.db.models import Count

    unit = (Enterprise.objects.values("unit").annotate(n=Count("pk")).order_by("-n").first() or {})["unit"]
    code = Unit.objects.get(pk=unit).code
    sample = Enterprise.objects.filter(unit=unit).order_by("pk").first()
    word, prefix = sample.name[2:4], sample.credit_code[:12]
    api = {"名录 API 按名称": "/api/v1/enterprises/?" + urlencode({"unit": code, "search": word}),
           "名录 API 按信用代码": "/api/v1/enterprises/?" + urlencode({"unit": code, "search": prefix})}
    bare = {"名录 API 按名称": "/bench/bare-enterprises/?" + urlencode({"unit": code, "name": word}),
            "名录 API 按信用代码": "/bench/bare-enterprises/?" + urlencode({"unit": code, "code": prefix})}
    for name, path in api.items():
        served = client.get(path).json()
        rows = client.get(bare[name]).json()["results"]
        assert [r["credit_code"] for r in served["results"]] == [r["credit_code"] for r in rows], name
    return api, bare


def measure_list(row, *, base_url: str | None, seconds: float, clients: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from bench.load import hammer
    from portal import roles

    viewer, _ = get_user_model().objects.get_or_create(username="bench_viewer")
    viewer.groups.add(Group.objects.get(name=roles.MUNICIPAL_VIEWER))
    client = Client()
    client.force_login(viewer)
    api, bare = list_paths(client)
    if not base_url:
        return
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for name, path in api.items():
        baseline = hammer(base_url + bare[name], cookie=cookie, seconds=seconds, clients=clients)
        result = hammer(base_url + path, cookie=cookie, seconds=seconds, clients=clients)
        ratio = result["rps"] / baseline["rps"] if baseline["rps"] else None
        row(f"{name} 吞吐", result["rps"], "req/s", baseline_value=baseline["rps"], ratio=ratio, target="≥ 0.5",
            met=bool(ratio and ratio >= 0.5 and result["errors"] == 0),
            note=json.dumps({"served": result, "bare": baseline}))


IMPORT_ROUNDS = 3  # the import, its floor and COPY are each timed this many times; the ratios are of the medians


def list_rows(rows: int) -> list[tuple[str, str, str, str]]:
    """A high-tech announcement list of `rows` enterprises, spread over the registry: code, name, number, date."""
    step = max(1, Enterprise.objects.count() // max(rows, 1))
    chosen = Enterprise.objects.order_by("pk").values_list("credit_code", "name")[::step][:rows]
    issued = datetime.date(2026, 11, 20)
    return [(code, name, f"GR{issued.year}50{n:06d}", issued.isoformat()) for n, (code, name) in enumerate(chosen, 1)]


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["统一社会信用代码", "企业名称", "证书编号", "发证日期"])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def copy_records(rows) -> int:
    """COPY of the same rows into a temporary table of the list's columns (the floor of any import); rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE registry_copy (credit_code varchar(18), name varchar(200), "
                       "number varchar(64), issued date)")
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            csv.writer(buffer).writerows(rows)
            buffer.seek(0)
            cursor.cursor.copy_expert("COPY registry_copy FROM STDIN WITH (FORMAT csv)", buffer)
        else:
            cursor.executemany("INSERT INTO registry_copy VALUES (%s, %s, %s, %s)", rows)
        cursor.execute("DROP TABLE registry_copy")
    return len(rows)


def _seconds(times: list[float]) -> str:
    return ", ".join(f"{seconds:.2f}" for seconds in times) + " s"


def measure_import(row, *, rows: int, log) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from bench.import_memory import list_check_memory_mb
    from enterprises.lists import status_list_import
    from portal import roles

    staff, _ = get_user_model().objects.get_or_create(username="bench_staff", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=roles.MUNICIPAL_STAFF))
    body = list_rows(rows)
    content = as_csv(body)
    log(f"status list: {len(body)} rows, {len(content)} bytes …")

    def check_and_import():
        checked = status_list_import(user=staff, content=content, file_name="list.csv", kind="high_tech")
        done = status_list_import(user=staff, content=content, file_name="list.csv", kind="high_tech", dry_run=False)
        return checked, done

    written = [StatusRecord, StatusRecord.history.model]
    imports, floors, copies = [], [], []
    for _round in range(IMPORT_ROUNDS):
        seconds, (checked, done), kept = write_floor.rolled_back(check_and_import, keep=written)
        imports.append(seconds)
        if kept:
            floors.append(write_floor.copy_back(kept))
        copies.append(timed(lambda: copy_records(body))[0])
    seconds_import, seconds_copy = statistics.median(imports), statistics.median(copies)
    rate, copy_rate = len(body) / seconds_import, len(body) / seconds_copy
    row(f"名录导入（{len(body)} 行）检查+确认", rate, "rows/s", baseline_value=copy_rate, ratio=rate / copy_rate,
        target="≥ 0.1", met=rate >= 0.1 * copy_rate and done.written,
        note=f"checked {checked.rows} rows ({len(checked.unresolved)} unresolved, {len(checked.problems)} errors), "
             f"imported {done.changed} changed; median of {_seconds(imports)}, COPY {_seconds(copies)}")
    if floors:
        rate = len(body) / statistics.median(seconds for seconds, _rows in floors)
        row("名录导入的写入下限", rate, "rows/s", baseline_value=copy_rate, ratio=rate / copy_rate,
            note=f"the {floors[0][1]} rows the import wrote, put back by COPY with their keys checked (rolled back); "
                 f"median of {_seconds([seconds for seconds, _rows in floors])}")
    small = max(1, len(body) // 10)
    before_small, memory_small = list_check_memory_mb(staff, as_csv(body[:small]))
    before, memory = list_check_memory_mb(staff, content)
    row(f"名录导入检查峰值内存 RSS（{len(body)} 行）", memory, "MiB", baseline_value=memory_small,
        ratio=memory / memory_small, target="≈ 1 (flat)", met=memory <= 1.5 * memory_small,
        note=f"进程 {before:.1f} → 峰值 {memory:.1f} MiB; {small} 行时 {before_small:.1f} → {memory_small:.1f} MiB")


def measure_generation(row, *, enterprises: int, seed: int, log) -> None:
    seconds_generate, counts = timed(lambda: generate_registry(enterprises=enterprises, seed=seed, log=log))
    row("生成企业名录", seconds_generate, "s", note=json.dumps(counts, ensure_ascii=False))


def measure_registry(row, *, quarters: int, list_rows: int, base_url: str | None, seconds: float, clients: int,
                     log) -> None:
    """After `measure_generation`."""
    measure_counts(row, quarters=quarters)
    measure_list(row, base_url=base_url, seconds=seconds, clients=clients)
    measure_import(row, rows=list_rows, log=log)
