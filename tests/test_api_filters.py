"""Every filter of every list, declared once each: the API answers the rows the same question asks of the ORM."""
import datetime

import pytest
from django.utils import timezone

from districts.models import Period, Submission, Unit, UnitGroup
from enterprises.models import CultivationEntry, EnterpriseFigures
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow
from indicators.models import Indicator, IndicatorValue, Plan, Target
from ledger.models import ProgressNote, Round, RoundItem, Task
from platforms.models import Platform, PlatformMilestone


def central():
    return UnitGroup.objects.get(code="central").descendant_ids()


def quarter(code):
    return Period.objects.get_by_code(code).ordinal


# (list, query, the same rows asked of the ORM)
CASES = [
    ("units", {"unit": "500112,500234"}, lambda: Unit.objects.filter(code__in=["500112", "500154"])),
    ("units", {"group": "metro"}, lambda: Unit.objects.in_group(UnitGroup.objects.get(code="metro"))),
    ("units", {"kind": "county"}, lambda: Unit.objects.filter(kind="county")),
    ("units", {"counts_toward_city_total": "false"}, lambda: Unit.objects.filter(counts_toward_city_total=False)),
    ("units", {"has_high_tech_zone": "true"}, lambda: Unit.objects.filter(has_high_tech_zone=True)),
    ("groups", {"parent": "metro"}, lambda: UnitGroup.objects.filter(parent__code="metro")),
    ("periods", {"period_after": "2025Q1", "period_before": "2025Q4"}, lambda: Period.objects.filter(year=2025)),
    ("periods", {"year": "2024"}, lambda: Period.objects.filter(year=2024)),
    ("periods", {"status": "planned"}, lambda: Period.objects.filter(status="planned")),
    ("submissions", {"status": "approved"}, lambda: Submission.objects.filter(state="approved")),
    ("submissions", {"status": "draft"}, lambda: Submission.objects.filter(state="draft")),
    ("submissions", {"unit": "500112"}, lambda: Submission.objects.filter(unit__code="500112")),
    ("submissions", {"period_before": "2025Q3"},
     lambda: Submission.objects.filter(period__ordinal__lte=quarter("2025Q3"))),
    ("enterprise-figures", {"unit": "500112,500101"},
     lambda: EnterpriseFigures.objects.filter(unit__code__in=["500112", "500101"])),
    ("enterprise-figures", {"group": "central"}, lambda: EnterpriseFigures.objects.filter(unit__group__in=central())),
    ("enterprise-figures", {"period_after": "2025Q4"},
     lambda: EnterpriseFigures.objects.filter(period__ordinal__gte=quarter("2025Q4"))),
    ("enterprise-figures", {"updated_after": "2999-01-01T00:00:00+08:00"}, lambda: EnterpriseFigures.objects.none()),
    ("enterprise-figures", {"updated_after": "2000-01-01T00:00:00+08:00"}, lambda: EnterpriseFigures.objects.all()),
    ("cultivation-entries", {"unit": "500112"}, lambda: CultivationEntry.objects.filter(unit__code="500112")),
    ("cultivation-entries", {"group": "central"},
     lambda: CultivationEntry.objects.filter(unit__group__in=central())),
    ("cultivation-entries", {"target": "specialised"}, lambda: CultivationEntry.objects.filter(target="specialised")),
    ("cultivation-entries", {"recommended": "true"}, lambda: CultivationEntry.objects.exclude(recommended=None)),
    ("cultivation-entries", {"recommended": "false"}, lambda: CultivationEntry.objects.filter(recommended=None)),
    # Each firm holds a high-tech certificate from its quarter's end: the high-tech targets are reached today.
    ("cultivation-entries", {"reached": "true"}, lambda: CultivationEntry.objects.filter(target="high_tech")),
    ("cultivation-entries", {"due_before": "2026-12-30"}, lambda: CultivationEntry.objects.none()),
    ("cultivation-entries", {"search": "渝北"}, lambda: CultivationEntry.objects.filter(unit__code="500112")),
    ("economy-figures", {"group": "central", "period_before": "2025Q3"},
     lambda: EconomyFigures.objects.filter(unit__group__in=central(), period__ordinal__lte=quarter("2025Q3"))),
    ("fund-flows", {"fund": "district-st-guidance-fund"},
     lambda: FundFlow.objects.filter(fund__code="district-st-guidance-fund")),
    ("fund-flows", {"fund": "risk-compensation-pool", "unit": "500112"}, lambda: FundFlow.objects.none()),
    ("fund-allocations", {"year": "2025", "group": "central"},
     lambda: FundAllocation.objects.filter(year=2025, unit__group__in=central())),
    ("fund-allocations", {"year_after": "2026"}, lambda: FundAllocation.objects.filter(year__gte=2026)),
    ("funds", {"kind": "investment_fund"}, lambda: Fund.objects.filter(kind="investment_fund")),
    ("platforms", {"unit": "500113"}, lambda: Platform.objects.filter(unit__code="500113")),
    ("platforms", {"featured": "true", "group": "central"},
     lambda: Platform.objects.filter(featured=True, unit__group__in=central())),
    ("platforms", {"kind": "incubator", "level": "district"},
     lambda: Platform.objects.filter(kind="incubator", level="district")),
    ("platforms", {"status": "planned"}, lambda: Platform.objects.filter(status="planned")),
    ("platform-milestones", {"unit": "500112", "period_after": "2025Q4"},
     lambda: PlatformMilestone.objects.filter(platform__unit__code="500112", period__ordinal__gte=quarter("2025Q4"))),
    ("indicators", {"plan": "double-doubling-2027"},
     lambda: Indicator.objects.filter(targets__plan__code="double-doubling-2027").distinct()),
    ("plans", {"indicator": "high_tech"}, lambda: Plan.objects.filter(targets__indicator__code="high_tech").distinct()),
    ("targets", {"plan": "double-doubling-2027", "scope": "group"},
     lambda: Target.objects.filter(plan__code="double-doubling-2027", scope="group")),
    ("targets", {"indicator": "tech_smes", "period_after": "2027Q4"},
     lambda: Target.objects.filter(indicator__code="tech_smes", period__ordinal__gte=quarter("2027Q4"))),
    ("indicator-values", {"unit": "500112", "period_before": "2025Q3"},
     lambda: IndicatorValue.objects.filter(unit__code="500112", period__ordinal__lte=quarter("2025Q3"))),
    ("tasks", {"unit": "500112,500101"}, lambda: Task.objects.filter(unit__code__in=["500112", "500101"])),
    ("tasks", {"group": "central"}, lambda: Task.objects.filter(unit__group__in=central())),
    ("tasks", {"kind": "project"}, lambda: Task.objects.filter(kind="project")),
    ("tasks", {"status": "in_progress", "q": "渝北"}, lambda: Task.objects.filter(unit__code="500112")),
    ("tasks", {"due_after": "2026-01-01", "due_before": "2026-12-31"},
     lambda: Task.objects.filter(due__year=2026)),
    # every task of api_rows is open; those due before today are overdue
    ("tasks", {"overdue": "true"}, lambda: Task.objects.filter(due__lt=timezone.localdate())),
    ("tasks", {"overdue": "false"}, lambda: Task.objects.all()),
    ("tasks", {"updated_after": "2999-01-01T00:00:00+08:00"}, lambda: Task.objects.none()),
    ("progress-notes", {"unit": "500101", "period_after": "2025Q4"},
     lambda: ProgressNote.objects.filter(task__unit__code="500101", period__ordinal__gte=quarter("2025Q4"))),
    ("progress-notes", {"group": "central", "period_before": "2025Q3"},
     lambda: ProgressNote.objects.filter(task__unit__group__in=central(), period__ordinal__lte=quarter("2025Q3"))),
    ("rounds", {"due_after": "2026-02-01"}, lambda: Round.objects.filter(due__gte=datetime.date(2026, 2, 1))),
    ("round-items", {"answered": "true"}, lambda: RoundItem.objects.filter(answered_at__isnull=False)),
    ("round-items", {"answered": "false", "unit": "500112"},
     lambda: RoundItem.objects.filter(answered_at__isnull=True, task__unit__code="500112")),
]


@pytest.fixture
def reader(api_client, api_key, api_rows):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    return api_client


@pytest.mark.parametrize("url, query, expected", CASES, ids=[f"{u}?{q}" for u, q, _ in CASES])
def test_a_filter_answers_the_rows_the_orm_gives(reader, url, query, expected):
    response = reader.get(f"/api/v1/{url}/", {**query, "page_size": 1000})
    assert response.status_code == 200, response.json()
    assert response.json()["count"] == expected().count()


@pytest.mark.parametrize("url, ordering, field", [
    ("enterprise-figures", "-tech_smes", "tech_smes"),
    ("economy-figures", "rd_spending", "rd_spending"),
    ("fund-allocations", "-allocated", "allocated"),
    ("periods", "-period", "code"),
    ("units", "code", "code"),
    ("indicator-values", "-value", "value"),
    ("tasks", "-progress", "progress"),
])
def test_ordering_sorts_the_rows(reader, url, ordering, field):
    rows = reader.get(f"/api/v1/{url}/", {"ordering": ordering, "page_size": 1000}).json()["results"]
    values = [float(row[field]) if field != "code" else row[field] for row in rows]
    assert values == sorted(values, reverse=ordering.startswith("-")) and len(values) > 1


def test_a_filter_by_submission_period_uses_quarter_codes(reader):
    rows = reader.get("/api/v1/submissions/", {"period_after": "2025Q4", "period_before": "2025Q4"}).json()
    assert {row["period"] for row in rows["results"]} == {"2025Q4"}
