"""Rows in every table the API lists, for the endpoint kit and the query-count tests."""
import datetime

import pytest
from django.utils import timezone

from districts.choices import SubmissionAction, SubmissionState
from districts.models import Period, Submission, SubmissionEvent, Unit
from enterprises.credit_codes import synthetic
from enterprises.models import EnterpriseFigures
from enterprises.services import (
    cultivation_entry_recommend,
    cultivation_entry_save,
    cultivation_note_save,
    enterprise_create,
    status_record_save,
)
from evaluation.models import Evaluation, Scheme, UnitResult
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow
from indicators.choices import RunTrigger, Scope
from indicators.models import Indicator, IndicatorValue, Plan
from indicators.services import dashboard_run_create
from ledger.models import ProgressNote, Round, RoundItem, Task
from platforms.models import Platform, PlatformMilestone

UNIT_CODES = ("500112", "500101", "500103", "500113", "500102", "500114")


@pytest.fixture
def api_rows(chongqing, city_staff):
    """Six units × two quarters of every kind of row (approved) and indicator values, so a page of 2 and
    a page of 20 differ."""
    periods = [Period.objects.get_by_code(code) for code in ("2025Q3", "2025Q4")]
    fund = Fund.objects.get(code="district-st-guidance-fund")
    run = dashboard_run_create(trigger=RunTrigger.MANUAL)
    plan, indicator = Plan.objects.get(code="guidance-2022"), Indicator.objects.get(code="tech_smes")
    for n, unit in enumerate(Unit.objects.filter(code__in=UNIT_CODES)):
        FundAllocation.objects.create(fund=fund, unit=unit, year=2025, allocated=1000 + n)
        platform = Platform.objects.filter(unit=unit).first() or Platform.objects.create(
            unit=unit, name=f"{unit.name}测试平台", kind="incubator", level="district"
        )
        for step, period in enumerate(periods):
            EnterpriseFigures.objects.create(unit=unit, period=period, tech_smes=100 * n + step, high_tech=10 * n)
            EconomyFigures.objects.create(unit=unit, period=period, rd_spending=f"{1000 + n}.50", gdp=90000 + n)
            FundFlow.objects.create(unit=unit, period=period, fund=fund, received=500 + n, disbursed=200 * (step + 1))
            PlatformMilestone.objects.create(
                platform=platform, period=period, date=period.end_date - datetime.timedelta(days=5), title="进展"
            )
            submission = Submission.objects.create(unit=unit, period=period, state=SubmissionState.APPROVED)
            SubmissionEvent.objects.create(submission=submission, action=SubmissionAction.SUBMIT, actor=city_staff)
            # Snapshot rows as the dashboard computation writes them (computing all plans here would be slow).
            IndicatorValue.objects.create(run=run, computed_at=timezone.now(), plan=plan, indicator=indicator,
                                          period=period, scope=Scope.UNIT, unit=unit, value=100 * n + step)
            firm = enterprise_create(user=city_staff, name=f"{unit.name}测试企业{step}", unit=unit,
                                     credit_code=synthetic(unit.code, step))
            status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=period.end_date)
            entry = cultivation_entry_save(user=city_staff, unit=unit, enterprise=firm,
                                           target=("high_tech", "specialised")[step], due=datetime.date(2026, 12, 31))
            cultivation_note_save(user=city_staff, entry=entry, period=period, text="已走访")
            if n % 2:
                cultivation_entry_recommend(user=city_staff, entry=entry, on=period.end_date)
    round_ = Round.objects.create(title="接口测试调度", due=datetime.date(2026, 1, 15), created_by=city_staff)
    for n, unit in enumerate(Unit.objects.filter(code__in=UNIT_CODES)):
        task = Task.objects.create(unit=unit, kind="project" if n % 2 else "task", title=f"{unit.name}重点任务",
                                   office="科技创新科", owner="王科长", start=datetime.date(2025, 1, 1),
                                   due=datetime.date(2025 + n % 3, 6, 30), status="in_progress", progress=10 * n)
        for period in periods:
            ProgressNote.objects.create(task=task, period=period, progress=10 * n, text="按计划推进", author=city_staff)
        RoundItem.objects.create(round=round_, task=task, **({"answer": "已推进", "progress": 10 * n,
                                                              "answered_at": timezone.now()} if n % 2 else {}))
    later = Round.objects.create(title="接口测试调度（二）", due=datetime.date(2026, 4, 15), created_by=city_staff)
    RoundItem.objects.bulk_create(RoundItem(round=later, task=task) for task in Task.objects.all()[:2])
    scheme = Scheme.objects.create(name="接口测试方案", year=2025, period=periods[1])
    for version in (1, 2, 3):
        evaluation = Evaluation.objects.create(scheme=scheme, version=version, state="published",
                                               published_at=datetime.datetime.now(datetime.UTC))
        UnitResult.objects.bulk_create(UnitResult(evaluation=evaluation, unit=unit, score=50.0 - n, rank=n + 1)
                                       for n, unit in enumerate(Unit.objects.filter(code__in=UNIT_CODES)))
