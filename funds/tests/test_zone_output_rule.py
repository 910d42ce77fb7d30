"""A unit's high-tech-zone output is part of its own industrial output: more is an error wherever figures come in."""
import datetime

import pytest
from django.utils import timezone

from districts.models import Period, Unit
from districts.services import figures_save, period_open
from districts.validation import check_quarter
from funds.models import EconomyFigures


@pytest.fixture
def open_quarter(city_staff):
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    return period


@pytest.fixture
def gaoxin(chongqing):
    return Unit.objects.get(code="CQGX")  # 重庆高新区: its zone is the unit itself


def codes(problems):
    return {(p.figure, p.level, p.code) for p in problems}


def test_zone_output_above_the_units_industrial_output_is_an_error(gaoxin, open_quarter):
    problems = check_quarter(unit=gaoxin, period=open_quarter,
                             values={"economy.industrial_output": "1000", "economy.zone_output": "1000.01"})
    assert codes(problems) == {("economy.zone_output", "error", "zone_over_industrial")}
    assert "1000.01" in problems[0].message and "1000" in problems[0].message
    assert check_quarter(unit=gaoxin, period=open_quarter,
                         values={"economy.industrial_output": "1000", "economy.zone_output": "1000"}) == []


def test_the_stored_industrial_output_counts_when_only_the_zone_output_is_sent(gaoxin, open_quarter, city_staff):
    figures_save(user=city_staff, unit=gaoxin, period=open_quarter, values={"economy.industrial_output": "800"})
    problems = check_quarter(unit=gaoxin, period=open_quarter, values={"economy.zone_output": "900"})
    assert codes(problems) == {("economy.zone_output", "error", "zone_over_industrial")}


def test_the_api_refuses_a_bulk_write_with_zone_output_above_industrial_output(city_staff, open_quarter, api_client):
    api_client.force_login(city_staff)
    rows = [{"unit": "500120", "economy.industrial_output": "5000", "economy.zone_output": "3000"},
            {"unit": "CQGX", "economy.industrial_output": "2000", "economy.zone_output": "4580"}]
    response = api_client.post("/api/v1/figures/bulk/", {"period": "2026Q3", "rows": rows}, format="json")
    assert response.status_code == 400
    assert (1, "economy.zone_output", "zone_over_industrial") in {
        (c["row"], c["field"], c["code"]) for c in response.json()["conflicts"]}
    assert not EconomyFigures.objects.filter(period=open_quarter).exists()
