"""Measure 8: the deadline surge. Every unit saves and submits a new quarter through the API at once.

The bureau opens the first quarter after the generated ones that no unit has reported yet; each unit gets a
读写本单位填报 key (a clerk's key is one unit's), and N concurrent clients each hold the keys of every N-th unit.
For each of its units a client PATCHes `figures/{unit}/{period}/` with the whole quarter (the generator's series
carried one quarter on, so the figures look like the unit's own) and POSTs `submit/`, explaining any warning the
save answered. Throughput is requests per second over the surge, against the bare view's in the same run.
Afterwards each unit's stored figures, version and state are compared with what its client sent: 0 lost updates.
"""
import datetime
import json
import threading
import time
from decimal import Decimal

from bench.api_client import ApiClient, session_cookie, user_with_role
from bench.generate import LAST_PERIOD, figure_value, unit_profile
from bench.load import hammer, in_threads, p95_ms
from bench.serving import endpoints
from districts.apikeys import api_key_create, api_key_revoke
from districts.choices import ApiKeyScope, SubmissionState
from districts.figures import quarter_values
from districts.models import ApiKey, Period, Submission, Unit
from districts.registry import sections
from districts.services import period_open
from portal import roles

KEY_NAME = "基准测试：截止日集中报送"


def surge_period() -> Period:
    """The first quarter after the generated ones that no unit has a submission for (each run takes a new one)."""
    last = Period.objects.get_by_code(LAST_PERIOD)
    reported = Submission.objects.values("period_id")
    return Period.objects.filter(ordinal__gt=last.ordinal).exclude(pk__in=reported).order_by("ordinal").first()


def quarter_payload(unit: Unit, period: Period, *, first: Period, seed: int) -> dict:
    """Every value key of the quarter, from the generator's series of the unit (zone-only figures only for zones)."""
    profile, values = unit_profile(seed, unit.code), {}
    for section in sections:
        for slot in section.slots():
            if slot.figure.zone_only and not unit.has_high_tech_zone:
                continue
            value = figure_value(profile, slot.figure, section.figures.index(slot.figure), period, first)
            values[slot.key] = value if isinstance(value, int) else str(value)
    return values


def unit_keys(units, *, staff) -> dict[int, str]:
    """A new write key per unit (a key's secret is shown once, so each run makes its own; `revoke_keys` ends them)."""
    return {unit.pk: api_key_create(name=KEY_NAME, scope=ApiKeyScope.WRITE_UNIT, unit=unit, created_by=staff,
                                    throttle_rate="100000/hour")[1] for unit in units}


def revoke_keys() -> None:
    """Revoke every surge key still valid: its user is deactivated, and both stay for the record of what they
    wrote."""
    for key in ApiKey.objects.filter(name=KEY_NAME, revoked_at__isnull=True).select_related("user"):
        api_key_revoke(key=key)


def report(base_url: str, jobs: list[tuple[Unit, str, dict]], period: str, results: dict, lock) -> None:
    """One client: save then submit each of its units' quarters, with that unit's key."""
    latencies, errors = [], []

    def call(client, method, path, body):
        start = time.perf_counter()
        try:
            status, answer = client.call(method, path, body)
        except OSError as error:
            status, answer = None, str(error)
        latencies.append(time.perf_counter() - start)
        if status != 200:
            errors.append(f"{method} {path}: {status} {json.dumps(answer, ensure_ascii=False)[:300]}")
            return None
        return answer

    for unit, key, values in jobs:
        client = ApiClient(base_url, api_key=key)
        saved = call(client, "PATCH", f"/api/v1/figures/{unit.code}/{period}/", {"values": values})
        if saved is not None:
            explanations = {warning["figure"]: "基准测试：数据已核实" for warning in saved["warnings"]}
            call(client, "POST", f"/api/v1/submissions/{unit.code}/{period}/submit/", {"explanations": explanations})
        client.close()
    with lock:
        results["latencies"] += latencies
        results["errors"] += errors


def surge(base_url: str, payloads: dict, keys: dict, units: list[Unit], *, period: str, clients: int) -> dict:
    results, lock = {"latencies": [], "errors": []}, threading.Lock()
    jobs = [(unit, keys[unit.pk], payloads[unit.pk]) for unit in units]
    elapsed = in_threads(lambda n: report(base_url, jobs[n::clients], period, results, lock), clients)
    ordered = sorted(results["latencies"])
    return {"requests": len(ordered), "seconds": elapsed, "rps": len(ordered) / elapsed, "p95_ms": p95_ms(ordered),
            "errors": len(results["errors"]), "first_errors": results["errors"][:3]}


def lost_updates(payloads: dict, units: list[Unit], period: Period) -> list[str]:
    """Units whose stored quarter is not what their client sent: every value, version 2 (the draft's 1 plus one
    save) and submitted."""
    submissions = {s.unit_id: s for s in Submission.objects.filter(period=period)}
    lost = []
    for unit in units:
        stored = quarter_values(unit=unit, period=period)
        sent = {key: Decimal(str(value)) for key, value in payloads[unit.pk].items()}
        submission = submissions.get(unit.pk)
        if ({key: value for key, value in stored.items() if value is not None} != sent or submission is None
                or (submission.version, submission.state) != (2, SubmissionState.SUBMITTED)):
            lost.append(unit.code)
    return lost


def measure_surge(*, plan, base_url: str, seconds: float, clients: int, quarters: int, seed: int, row,
                  log=print) -> None:
    staff = user_with_role("bench_staff", roles.MUNICIPAL_STAFF, is_staff=True)
    period = surge_period()
    first = Period.objects.get_by_code(LAST_PERIOD).shifted(1 - quarters)
    period_open(user=staff, period=period, deadline=datetime.date.today() + datetime.timedelta(days=30))
    units = list(Unit.objects.filter(submissions__period=period).order_by("pk"))
    log(f"surge: {len(units)} units report {period.code}; keys …")
    try:
        keys = unit_keys(units, staff=staff)
        payloads = {unit.pk: quarter_payload(unit, period, first=first, seed=seed) for unit in units}
        bare_path, _served = endpoints(plan=plan, period=LAST_PERIOD)
        cookie = session_cookie(user_with_role("bench_viewer", roles.MUNICIPAL_VIEWER))
        bare = hammer(base_url + bare_path, cookie=cookie, seconds=seconds, clients=clients)
        result = surge(base_url, payloads, keys, units, period=period.code, clients=clients)
    finally:
        revoke_keys()
    lost = lost_updates(payloads, units, period)
    ratio = result["rps"] / bare["rps"] if bare["rps"] else None
    row("截止日集中报送 吞吐", result["rps"], "req/s", baseline_value=bare["rps"], ratio=ratio, target="≥ 0.5",
        met=bool(ratio and ratio >= 0.5 and result["errors"] == 0 and not lost),
        note=json.dumps(result | {"units": len(units), "period": period.code, "clients": clients}, ensure_ascii=False))
    row("截止日集中报送 错误", result["errors"], "requests", target="0", met=result["errors"] == 0,
        note="; ".join(result["first_errors"]))
    row("截止日集中报送 丢失的更新", len(lost), "units", target="0", met=not lost, note=" ".join(lost[:10]))
