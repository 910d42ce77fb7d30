"""Quarter-end counts from the registry, computed by hand on a small registry whose records sit on edge days."""
import datetime

import pytest

from districts.models import Period, Unit, UnitGroup
from enterprises.selectors import quarter_counts
from enterprises.services import enterprise_move, status_record_revoke, status_record_save

D = datetime.date


@pytest.fixture
def registry(make_enterprise, city_staff):
    def status(firm, kind, issued):
        return status_record_save(user=city_staff, enterprise=firm, kind=kind, issued=issued)[0]

    expires = make_enterprise("500112", "渝北甲公司")
    status(expires, "high_tech", D(2022, 12, 31))  # valid until 2025-12-30: gone on 2025-12-31
    mover = make_enterprise("500112", "渝北迁出公司", since=D(2020, 1, 1))
    status(mover, "high_tech", D(2024, 11, 20))
    enterprise_move(user=city_staff, enterprise=mover, unit=Unit.objects.get(code="500101"), on=D(2025, 10, 1))
    status(make_enterprise("500101", "万州新证公司"), "high_tech", D(2025, 12, 31))  # issued on the quarter's last day
    status(make_enterprise("CQLJ", "两江新区公司"), "high_tech", D(2024, 1, 5))  # a zone: never in a total
    revoked = make_enterprise("500112", "渝北撤销公司")
    status_record_revoke(user=city_staff, record=status(revoked, "high_tech", D(2023, 3, 1)), on=D(2025, 12, 31),
                         reason="撤销")
    small = make_enterprise("500112", "渝北科技型公司")
    status(small, "tech_sme", D(2024, 5, 1))
    status(small, "tech_sme", D(2025, 2, 1))  # to 2025-12-31, the quarter's last day


def ids(*codes):
    return {code: Unit.objects.get(code=code).pk for code in codes}


def test_the_third_quarter_counts_what_held_on_30_september(registry):
    counts = quarter_counts(Period.objects.get_by_code("2025Q3"))
    unit = ids("500112", "500101", "CQLJ")
    assert counts.units[unit["500112"]] == {"high_tech": 3, "tech_sme": 1}  # 甲, the mover before its move, 撤销
    assert unit["500101"] not in counts.units
    assert counts.units[unit["CQLJ"]] == {"high_tech": 1}
    assert counts.city == {"high_tech": 3, "tech_sme": 1}
    assert counts.groups[UnitGroup.objects.get(code="central").pk] == {"high_tech": 3, "tech_sme": 1}


def test_the_fourth_quarter_drops_the_expired_and_revoked_and_counts_the_mover_in_its_new_unit(registry):
    counts = quarter_counts(Period.objects.get_by_code("2025Q4"))
    unit = ids("500112", "500101", "CQLJ")
    assert counts.units[unit["500112"]] == {"tech_sme": 1}
    assert counts.units[unit["500101"]] == {"high_tech": 2}  # the mover and the certificate of 31 December
    assert counts.units[unit["CQLJ"]] == {"high_tech": 1}
    assert counts.city == {"high_tech": 2, "tech_sme": 1}  # the zone's enterprise is not added
    groups = {group.code: counts.groups[group.pk] for group in UnitGroup.objects.all()}
    assert groups["central"] == {"tech_sme": 1}
    assert groups["northeast"] == {"high_tech": 2}
    assert groups["metro"] == {"tech_sme": 1}  # the parent group adds its children
