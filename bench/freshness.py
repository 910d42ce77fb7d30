"""Measure 7: from an approval to its new value served by the API, through gunicorn, Redis and a real Celery worker.

Beforehand, untimed, through the services: each of `times` units (20 in `make bench`) spread over the table has
its last quarter reopened and submitted again by its clerk, and the worker is left to finish what that asked for.
Then, one unit at a time, over HTTP: municipal staff change the unit's tech-based SME count in the submitted quarter
and approve it, and a municipal viewer polls `/api/v1/indicator-values/` (that plan, indicator, unit and quarter)
until the new value is served. The latency runs from the approval request to the first answer with the new value.
Beside it is what the worker spent computing the run that served it (started → finished), so the ratio is the
whole path over the computation.
"""
import statistics
import time
from decimal import Decimal

from bench.api_client import ApiClient, session_cookie, user_with_role
from districts.choices import SubmissionState
from districts.models import Membership, Period, Submission, Unit
from districts.services import ExplanationsMissing, submission_reopen, submission_submit
from indicators.choices import RunStatus
from indicators.models import DashboardRun
from indicators.selectors import latest_run
from portal import roles

FIGURE, INDICATOR = "enterprises.tech_smes", "tech_smes"
POLL_SECONDS = 0.05
SERVED_WITHIN = 120  # seconds before an approval counts as never served
IDLE_WITHIN = 1800  # a queued full computation at national scale takes minutes


def spread_units(count: int) -> list[Unit]:
    units = list(Unit.objects.order_by("pk"))
    step = max(len(units) // count, 1)
    return units[::step][:count]


def clerk_of(unit):
    clerk = user_with_role(f"bench_clerk_{unit.code}", roles.DISTRICT_STAFF, is_staff=True)
    Membership.objects.get_or_create(user=clerk, unit=unit)
    return clerk


def submitted_again(*, staff, unit, period) -> None:
    """The unit's quarter reopened by the bureau and submitted by its clerk, as before a correction is approved."""
    submission = Submission.objects.get(unit=unit, period=period)
    if submission.state == SubmissionState.APPROVED:
        submission = submission_reopen(user=staff, submission=submission, reason="基准测试：更正后重新报送")
    if submission.state != SubmissionState.SUBMITTED:
        clerk = clerk_of(unit)
        try:
            submission_submit(user=clerk, submission=submission)
        except ExplanationsMissing as missing:
            explanations = {problem.figure: "基准测试：数据已核实" for problem in missing.problems}
            submission_submit(user=clerk, submission=submission, explanations=explanations)


def wait_until_idle(log) -> None:
    """Until the worker has no run to do: a sent run still pending, or one running."""
    busy = DashboardRun.objects.filter(status=RunStatus.RUNNING) | DashboardRun.objects.filter(
        status=RunStatus.PENDING, error="")
    deadline = time.monotonic() + IDLE_WITHIN
    while busy.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not finish its runs within {IDLE_WITHIN} s: {list(busy)}")
        log(f"waiting for the worker: {busy.count()} runs …")
        time.sleep(2)


def served_value(viewer: ApiClient, path: str):
    status, body = viewer.call("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {body}")
    return Decimal(body["results"][0]["value"]) if body["results"] and body["results"][0]["value"] else None


def measure_freshness(*, plan, period: str, base_url: str, row, times: int, log=print) -> None:
    staff = user_with_role("bench_staff", roles.MUNICIPAL_STAFF, is_staff=True)
    units = spread_units(times)
    quarter = Period.objects.get_by_code(period)
    log(f"freshness: {len(units)} quarters submitted again …")
    for unit in units:
        submitted_again(staff=staff, unit=unit, period=quarter)
    wait_until_idle(log)
    bureau = ApiClient(base_url, cookie=session_cookie(staff))
    viewer = ApiClient(base_url, cookie=session_cookie(user_with_role("bench_viewer", roles.MUNICIPAL_VIEWER)))
    latencies, computing = [], []
    for unit in units:
        path = (f"/api/v1/indicator-values/?plan={plan.code}&indicator={INDICATOR}&scope=unit&unit={unit.code}"
                f"&period_after={period}&period_before={period}")
        status, figures = bureau.call("GET", f"/api/v1/figures/{unit.code}/{period}/")
        new = Decimal(figures["values"][FIGURE]) + 1 + len(latencies)  # differs from every value the quarter had
        status, body = bureau.call("PATCH", f"/api/v1/figures/{unit.code}/{period}/", {"values": {FIGURE: str(new)}})
        assert status == 200, (status, body)
        start = time.perf_counter()
        status, body = bureau.call("POST", f"/api/v1/submissions/{unit.code}/{period}/approve/", {})
        assert status == 200, (status, body)
        while served_value(viewer, path) != new:
            if time.perf_counter() - start > SERVED_WITHIN:
                raise RuntimeError(f"{unit.code} {period}: {new} not served within {SERVED_WITHIN} s")
            time.sleep(POLL_SECONDS)
        latencies.append(time.perf_counter() - start)
        run = latest_run()  # the run whose rows were served
        computing.append((run.finished_at - run.started_at).total_seconds())
        log(f"  {unit.code}: served after {latencies[-1]:.2f} s (run #{run.pk} computed in {computing[-1]:.2f} s)")
    bureau.close()
    viewer.close()
    ordered, compute = sorted(latencies), statistics.median(computing)
    p95 = ordered[round(0.95 * (len(ordered) - 1))]
    note = f"{len(ordered)} approvals; the worker's one-unit run: median {compute:.2f} s, max {max(computing):.2f} s"
    row("审核通过→API 新值 p50", statistics.median(ordered), "s", note=note)
    row("审核通过→API 新值 p95", p95, "s", baseline_value=compute, ratio=p95 / compute, target="< 5 s",
        met=p95 < 5, note=note)
    row("审核通过→API 新值 max", ordered[-1], "s", note=note)
