"""The snapshot follows every change, provably: random sequences of workflow steps on a small world, and after
each step (once its runs have landed) the snapshot equals

(a) a fresh full computation (so one-unit runs, reruns and superseded runs leave what a full run would), and
(b) numbers worked out here from DOMAIN.md "Rules of the numbers", from the approved figures of counted units
    read straight from the figure tables, without indicators/measures.py or indicators/computation.py:
    approved only; complete or empty (a city or group total, or its growth, only once every expected unit has
    the quarter approved); zones beside the districts, never in the totals; units ranked only on approved
    quarters, competition ranks.

The world keeps out of rules other tests hold: every platform has a status milestone on its founding date,
before the first quarter shown, so its status at any quarter shown is its latest milestone.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from conftest import make_user
from districts.bulk import figures_bulk_save
from districts.choices import EDITABLE_STATES, SubmissionState
from districts.models import Period, Submission, Unit
from districts.services import (
    ExplanationsMissing,
    figures_save,
    period_open,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_submit,
)
from districts.spreadsheets.importer import import_apply, import_check, import_claim, import_job_create
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures
from funds.models import EconomyFigures
from indicators.choices import RunTrigger, Scope
from indicators.models import Indicator, IndicatorValue, Plan, Target
from indicators.services import dashboard_run_create, dashboards_compute
from platforms.models import Platform, PlatformMilestone
from portal import roles

QUARTERS = ["2021Q4", "2022Q1", "2022Q4", "2023Q1", "2023Q4"]
SMES, RD = "enterprises.tech_smes", "economy.rd_spending"
ESTABLISHED = ("established", "upgraded")
# Columns a fresh run writes differently by construction: which run, when, from saves made when.
RUN_COLUMNS = {"id", "run", "computed_at", "data_updated_at"}
COLUMNS = [f.attname for f in IndicatorValue._meta.concrete_fields if f.name not in RUN_COLUMNS]
STEPS_PER_RUN = 200

pytestmark = pytest.mark.slow


@dataclass
class Place:
    scope: str
    group_id: int | None
    unit_id: int | None


@pytest.fixture
def small_world(world):
    """The indicators conftest's world (甲 乙 north, 丙 south, 丁 a zone), with clerks, every quarter open,
    platforms with milestones, a platform count, and a second plan with a group target."""
    roles.sync_role_groups()
    staff = make_user("city_staff", roles.MUNICIPAL_STAFF, is_staff=True)
    units = [world.a, world.b, world.c, world.zone]
    clerks = {unit.pk: make_user(f"clerk_{unit.code}", roles.DISTRICT_STAFF, unit.code, is_staff=True)
              for unit in units}
    for code in QUARTERS:
        period_open(user=staff, period=world.period(code), deadline=None)
    history = {world.a: [("2021-03-01", "under_construction"), ("2022-05-10", "established")],
               world.b: [("2021-06-01", "planned")],
               world.c: [("2020-06-01", "established")],
               world.zone: [("2021-01-01", "under_construction"), ("2023-02-01", "established")]}
    for unit, milestones in history.items():
        platform = Platform.objects.create(unit=unit, name=f"{unit.name}平台", kind="incubator", level="district",
                                           status=milestones[-1][1], founded=milestones[0][0])
        for day, status in milestones:
            PlatformMilestone.objects.create(platform=platform, date=day, status=status, title=status,
                                             period=quarter_of(date.fromisoformat(day)))
    platforms = Indicator.objects.create(code="t_platforms", name="已建成平台数", unit_label="个",
                                         method="platform_count", params={"status_at_least": "established"}, order=4)
    second = Plan.objects.create(code="t-plan-2", name="第二个规划", baseline=world.period("2022Q4"))
    world.target(world.smes, "2023Q4", 800)
    world.target(world.rd_growth, "2023Q4", 10, scope=Scope.EACH_UNIT)
    Target.objects.create(plan=second, indicator=world.smes, period=world.period("2023Q4"), scope=Scope.GROUP,
                          group=world.north, value=400)
    Target.objects.create(plan=second, indicator=platforms, period=world.period("2023Q4"), scope=Scope.CITY, value=3)
    # A start with something to act on: 2021Q4 approved for every unit, 2022Q1 submitted, 2022Q4 entered.
    for n, unit in enumerate(units):
        for code in ("2021Q4", "2022Q1", "2022Q4"):
            figures_save(user=clerks[unit.pk], unit=unit, period=world.period(code),
                         values={SMES: 100 + 10 * n, RD: 1000 + 100 * n})
        for code in ("2021Q4", "2022Q1"):
            submit(clerks[unit.pk], Submission.objects.get(unit=unit, period=world.period(code)))
        submission_approve(user=staff, submission=Submission.objects.get(unit=unit, period=world.period("2021Q4")))
    world.compute()
    return world, staff, clerks, platforms


def submit(clerk, submission):
    """Submit as the unit's clerk, explaining every warning."""
    try:
        submission_submit(user=clerk, submission=submission)
    except ExplanationsMissing as missing:
        submission_submit(user=clerk, submission=submission,
                          explanations={w.figure: "已核实" for w in missing.problems})


def quarter_of(day: date) -> Period:
    return Period.objects.get(year=day.year, quarter=(day.month - 1) // 3 + 1)


class SnapshotMachine(RuleBasedStateMachine):
    """Set by the test: the world, the people, and how to let the requested runs land (`settle`)."""

    world = staff = clerks = platforms = settle = None
    rollback_each_example = True
    steps = 0
    taken = defaultdict(int)

    def __init__(self):
        super().__init__()
        if self.rollback_each_example:
            self.example = transaction.atomic()
            self.example.__enter__()

    def teardown(self):
        if self.rollback_each_example:
            transaction.set_rollback(True)
            self.example.__exit__(None, None, None)

    # --- what there is to act on ----------------------------------------------------------------------------

    def submissions(self, *states):
        return list(Submission.objects.filter(state__in=states, period__in=self.quarters()).select_related(
            "unit", "period").order_by("pk"))

    def has(self, *states) -> bool:
        return Submission.objects.filter(state__in=states, period__in=self.quarters()).exists()

    def quarters(self):
        return [self.world.period(code) for code in QUARTERS]

    def step(self, action):
        type(self).steps += 1
        type(self).taken[action.__qualname__.split(".")[1]] += 1
        with self.settle():
            action()

    # --- the steps ------------------------------------------------------------------------------------------

    @precondition(lambda self: self.has(*EDITABLE_STATES))
    @rule(data=st.data(), smes=st.integers(0, 400), rd=st.integers(0, 4000))
    def save(self, data, smes, rd):
        submission = data.draw(st.sampled_from(self.submissions(*EDITABLE_STATES)))
        clerk = self.clerks[submission.unit_id]
        self.step(lambda: figures_save(user=clerk, unit=submission.unit, period=submission.period,
                                       values={SMES: smes, RD: rd}))

    def entered(self):
        """Quarters still editable that have figures entered: what a clerk can submit."""
        filled = EnterpriseFigures.objects.filter(tech_smes__isnull=False).values_list("unit_id", "period_id")
        return [s for s in self.submissions(*EDITABLE_STATES) if (s.unit_id, s.period_id) in set(filled)]

    @precondition(lambda self: self.entered())
    @rule(data=st.data())
    def submit(self, data):
        submission = data.draw(st.sampled_from(self.entered()))
        self.step(lambda: submit(self.clerks[submission.unit_id], submission))

    @precondition(lambda self: self.has(SubmissionState.SUBMITTED))
    @rule(data=st.data())
    def approve(self, data):
        submission = data.draw(st.sampled_from(self.submissions(SubmissionState.SUBMITTED)))
        self.step(lambda: submission_approve(user=self.staff, submission=submission))

    @precondition(lambda self: self.has(SubmissionState.SUBMITTED))
    @rule(data=st.data())
    def return_to_unit(self, data):
        submission = data.draw(st.sampled_from(self.submissions(SubmissionState.SUBMITTED)))
        self.step(lambda: submission_return(user=self.staff, submission=submission, comment="请核实"))

    @precondition(lambda self: self.has(SubmissionState.APPROVED))
    @rule(data=st.data())
    def reopen(self, data):
        submission = data.draw(st.sampled_from(self.submissions(SubmissionState.APPROVED)))
        self.step(lambda: submission_reopen(user=self.staff, submission=submission, reason="补充材料"))

    @precondition(lambda self: self.has(SubmissionState.APPROVED))
    @rule(data=st.data(), smes=st.integers(0, 400), rd=st.integers(0, 4000))
    def correct_approved_quarter(self, data, smes, rd):
        submission = data.draw(st.sampled_from(self.submissions(SubmissionState.APPROVED)))
        self.step(lambda: figures_save(user=self.staff, unit=submission.unit, period=submission.period,
                                       values={SMES: smes, RD: rd}))

    @precondition(lambda self: self.has(SubmissionState.APPROVED))
    @rule(data=st.data(), smes=st.lists(st.integers(0, 400), min_size=2, max_size=2))
    def import_file(self, data, smes):
        """City staff import one quarter's file: an approved quarter's unit and one other unit."""
        period = data.draw(st.sampled_from(self.submissions(SubmissionState.APPROVED))).period
        units = data.draw(st.permutations([self.world.a, self.world.b, self.world.c, self.world.zone]))[:2]
        rows = [["单位代码", "单位名称", header_of(SMES)]] + [
            [unit.code, unit.name, value] for unit, value in zip(units, smes, strict=True)]

        def run_import():
            job, table = import_job_create(user=self.staff, file_name="季度数据.csv", content=csv_bytes(rows),
                                           period=period)
            import_check(job=job, table=table)
            job.refresh_from_db()
            if import_claim(job=job):
                job.refresh_from_db()
                import_apply(job=job)

        self.step(run_import)

    @precondition(lambda self: self.has(SubmissionState.APPROVED))
    @rule(data=st.data(), rd=st.integers(0, 4000))
    def api_bulk_write(self, data, rd):
        approved = self.submissions(SubmissionState.APPROVED)
        chosen = data.draw(st.lists(st.sampled_from(approved), min_size=1, max_size=3, unique_by=lambda s: s.pk))
        rows = [{"unit": s.unit.code, "period": s.period.code, RD: rd + n} for n, s in enumerate(chosen)]
        self.step(lambda: figures_bulk_save(user=self.staff, rows=rows))

    @rule(which=st.sampled_from(["a", "b"]))
    def flip_counts_toward_city_total(self, which):
        unit = Unit.objects.get(pk=getattr(self.world, which).pk)

        def flip():
            unit.counts_toward_city_total = not unit.counts_toward_city_total
            unit.save()

        self.step(flip)

    @rule(data=st.data(), value=st.integers(1, 1000))
    def change_target(self, data, value):
        target = data.draw(st.sampled_from(list(Target.objects.order_by("pk"))))

        def change():
            target.value = value
            target.save()

        self.step(change)

    # --- the checks -----------------------------------------------------------------------------------------

    @invariant()
    def snapshot_equals_a_fresh_full_computation(self):
        stored = snapshot()
        with transaction.atomic():
            dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))
            fresh = snapshot()
            transaction.set_rollback(True)
        assert stored == fresh, first_difference(stored, fresh)

    @invariant()
    def snapshot_holds_the_numbers_worked_out_from_the_rules(self):
        for problem in Expected(self.world, self.platforms).problems():
            pytest.fail(problem)


def snapshot() -> dict:
    return {(row["plan_id"], row["indicator_id"], row["period_id"], row["scope"], row["group_id"], row["unit_id"]): row
            for row in IndicatorValue.objects.values(*COLUMNS)}


def first_difference(stored, fresh) -> str:
    if stored.keys() != fresh.keys():
        return f"rows only stored: {sorted(stored.keys() - fresh.keys())[:3]}, only fresh: " \
               f"{sorted(fresh.keys() - stored.keys())[:3]}"
    key = next(key for key in stored if stored[key] != fresh[key])
    changed = {c: (stored[key][c], fresh[key][c]) for c in COLUMNS if stored[key][c] != fresh[key][c]}
    return f"row {key}: (stored, fresh) {changed}"


class Expected:
    """The rules of the numbers, applied to the approved figures of this small world."""

    def __init__(self, world, platforms):
        self.world, self.platform_indicator = world, platforms
        self.units = list(Unit.objects.all())
        self.periods = {p.pk: p for p in Period.objects.all()}
        self.approved = set(Submission.objects.filter(state=SubmissionState.APPROVED).values_list("unit_id",
                                                                                                  "period_id"))
        self.figures = defaultdict(dict)  # indicator id -> (unit id, period id) -> value
        for unit_id, period_id, smes in EnterpriseFigures.objects.values_list("unit_id", "period_id", "tech_smes"):
            self.figures[world.smes.pk][unit_id, period_id] = smes
        for unit_id, period_id, rd in EconomyFigures.objects.values_list("unit_id", "period_id", "rd_spending"):
            self.figures[world.rd.pk][unit_id, period_id] = rd
        self.latest_approved = max((self.periods[p].ordinal for _, p in self.approved), default=None)
        self.milestones = defaultdict(list)
        for unit_id, day, status in PlatformMilestone.objects.values_list("platform__unit_id", "date", "status"):
            self.milestones[unit_id].append((day, status))

    def counted(self, place: Place) -> list[Unit]:
        return [u for u in self.units if u.counts_toward_city_total and place.group_id in (None, u.group_id)]

    def unit_value(self, indicator, unit_id, period):
        if indicator.pk == self.platform_indicator.pk:
            return self.established(unit_id, period)
        if (unit_id, period.pk) not in self.approved:
            return None
        value = self.figures[indicator.pk].get((unit_id, period.pk))
        return None if value is None else float(value)

    def established(self, unit_id, period) -> int:
        """Platforms established at the quarter's end: their latest milestone on or before it says so."""
        reached = [status for day, status in sorted(self.milestones[unit_id]) if day <= period.end_date]
        return int(bool(reached) and reached[-1] in ESTABLISHED)

    def total(self, indicator, place: Place, period):
        """A city or group total: empty until every counted unit of the place has the quarter approved (platform
        counts come from the platform register, not from a quarter's report: always whole)."""
        units = self.counted(place)
        if indicator.pk == self.platform_indicator.pk:
            return float(sum(self.established(u.pk, period) for u in units))
        values = [self.unit_value(indicator, u.pk, period) for u in units]
        return float(sum(values)) if units and None not in values else None

    def value(self, indicator, place: Place, period, plan):
        # Rows run to the latest quarter approved anywhere (the plan's baseline before any approval).
        data_until = plan.baseline.ordinal if self.latest_approved is None else self.latest_approved
        if period.ordinal > data_until:
            return None
        if indicator.pk == self.world.rd_growth.pk:
            return self.growth(place, period, plan)
        if place.unit_id is not None:
            return self.unit_value(indicator, place.unit_id, period)
        return self.total(indicator, place, period)

    def growth(self, place: Place, period, plan):
        """Average annual growth of R&D since the plan's baseline, at a year end; empty in a quarter without its
        own value (returns ... where it is not worked out here: another quarter of the year, a baseline
        without a value)."""
        def rd(at):
            if place.unit_id is not None:
                return self.unit_value(self.world.rd, place.unit_id, at)
            return self.total(self.world.rd, place, at)

        now, start = rd(period), rd(plan.baseline)
        if now is None:
            return None
        years = (period.ordinal - plan.baseline.ordinal) / 4
        if period.quarter != 4 or not start or years < 1:
            return ...
        return 100 * ((now / start) ** (1 / years) - 1)

    def problems(self):
        rows = list(IndicatorValue.objects.select_related("plan__baseline", "indicator", "period"))
        for row in rows:
            place = Place(row.scope, row.group_id, row.unit_id)
            expected = self.value(row.indicator, place, row.period, row.plan)
            if expected is ... or close(row.value, expected):
                continue
            yield f"{row}: stored {row.value}, expected {expected}"
        ranked = defaultdict(list)
        for row in rows:
            if row.scope == Scope.UNIT:
                ranked[row.plan_id, row.indicator_id, row.period_id].append(row)
        unit_groups = {u.pk: u.group_id for u in self.units}
        for partition in ranked.values():
            approved = [r for r in partition if (r.unit_id, r.period_id) in self.approved and r.value is not None]
            for row in partition:
                if row not in approved:
                    expected_ranks = (None, None)
                else:
                    group = [r for r in approved if unit_groups[r.unit_id] == unit_groups[row.unit_id]]
                    expected_ranks = (1 + sum(r.value > row.value for r in approved),
                                      1 + sum(r.value > row.value for r in group))
                if (row.rank_all, row.rank_in_group) != expected_ranks:
                    yield f"{row}: ranks {(row.rank_all, row.rank_in_group)}, expected {expected_ranks}"
        groups = {(r.plan_id, r.group_id) for r in rows if r.scope == Scope.GROUP}
        counted_groups = {u.group_id for u in self.units if u.counts_toward_city_total}
        for plan in Plan.objects.all():
            shown = {group for plan_id, group in groups if plan_id == plan.pk}
            if shown != counted_groups:
                yield f"{plan}: group rows for {shown}, counted units in {counted_groups}"


def close(stored, expected) -> bool:
    if stored is None or expected is None:
        return stored is None and expected is None
    return abs(float(stored) - round(expected, 4)) <= 1e-4 * max(1, abs(expected) * 1e-6)


def eagerly(callbacks):
    """Each step's on-commit callbacks run after it, tasks eagerly: its runs land before the checks."""
    return lambda: callbacks(execute=True)


def test_the_snapshot_follows_every_workflow_step(small_world, django_capture_on_commit_callbacks):
    world, staff, clerks, platforms = small_world
    SnapshotMachine.world, SnapshotMachine.staff, SnapshotMachine.clerks = world, staff, clerks
    SnapshotMachine.platforms = platforms
    SnapshotMachine.settle = staticmethod(eagerly(django_capture_on_commit_callbacks))
    SnapshotMachine.steps = 0

    run_state_machine_as_test(SnapshotMachine, settings=hypothesis_settings(
        max_examples=9, stateful_step_count=25, deadline=None))

    assert SnapshotMachine.steps >= STEPS_PER_RUN, dict(SnapshotMachine.taken)


def test_the_rules_check_itself_catches_a_wrong_number(small_world):
    """The independent check is not vacuous: a total nudged in the stored snapshot is reported."""
    world, _staff, _clerks, platforms = small_world
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10, rd=100)
    world.compute()
    IndicatorValue.objects.filter(scope=Scope.CITY, indicator=world.smes, period=world.period("2021Q4")).update(
        value=31)

    problems = list(Expected(world, platforms).problems())
    assert len(problems) == 1 and "stored 31" in problems[0], problems
