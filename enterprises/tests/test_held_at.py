""""Holds a status at a date": the one rule every count of the registry goes through, on its edge days."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from districts.models import Unit
from enterprises.models import Enterprise, StatusRecord
from enterprises.services import enterprise_move, enterprise_update, status_record_revoke, status_record_save

D = datetime.date


def held(enterprise, kind, date) -> set[str]:
    """The codes of the units the enterprise counts in for `kind` on `date` (empty: it does not hold it)."""
    rows = StatusRecord.objects.held_at(date).filter(enterprise=enterprise, kind=kind).values_list("unit_at", flat=True)
    return set(Unit.objects.filter(pk__in=rows).values_list("code", flat=True))


def test_a_high_tech_certificate_holds_from_its_issue_day_for_three_years(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆甲科技有限公司")
    record, _ = status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2023, 12, 12))
    assert record.valid_until == D(2026, 12, 11)  # three years, by the kind's rule
    assert held(firm, "high_tech", D(2023, 12, 11)) == set()
    assert held(firm, "high_tech", D(2023, 12, 12)) == {"500112"}
    assert held(firm, "high_tech", D(2026, 12, 11)) == {"500112"}
    assert held(firm, "high_tech", D(2026, 12, 12)) == set()


def test_a_tech_based_registration_holds_to_the_end_of_its_year(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆乙科技有限公司")
    record, _ = status_record_save(user=city_staff, enterprise=firm, kind="tech_sme", issued=D(2025, 3, 10))
    assert record.valid_until == D(2025, 12, 31)
    assert held(firm, "tech_sme", D(2025, 12, 31)) == {"500112"}
    assert held(firm, "tech_sme", D(2026, 1, 1)) == set()


def test_a_certificate_issued_on_29_february_ends_on_28_february(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆闰年科技有限公司")
    record, _ = status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2024, 2, 29))
    assert record.valid_until == D(2027, 2, 28)


def test_a_revocation_ends_the_status_on_its_day(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆丙科技有限公司")
    record, _ = status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2023, 3, 1))
    status_record_revoke(user=city_staff, record=record, on=D(2025, 6, 1), reason="复核不合格")
    assert held(firm, "high_tech", D(2025, 5, 31)) == {"500112"}
    assert held(firm, "high_tech", D(2025, 6, 1)) == set()


def test_a_listing_holds_until_revoked(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆丁股份有限公司")
    record, _ = status_record_save(user=city_staff, enterprise=firm, kind="listed", issued=D(2020, 1, 1))
    assert record.valid_until is None
    assert held(firm, "listed", D(2040, 1, 1)) == {"500112"}


def test_an_enterprise_that_moves_counts_in_its_old_unit_before_the_move_and_the_new_one_from_it(
    make_enterprise, city_staff
):
    firm = make_enterprise("500112", "重庆戊科技有限公司", since=D(2020, 1, 1))
    status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2024, 11, 20))
    enterprise_move(user=city_staff, enterprise=firm, unit=Unit.objects.get(code="500101"), on=D(2025, 4, 1))
    assert held(firm, "high_tech", D(2025, 3, 31)) == {"500112"}
    assert held(firm, "high_tech", D(2025, 4, 1)) == {"500101"}
    assert Enterprise.objects.get(pk=firm.pk).unit.code == "500101"
    assert held(firm, "high_tech", D(2019, 12, 31)) == set()  # before it was registered anywhere


def test_a_move_cannot_start_before_the_current_registration(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆己科技有限公司", since=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        enterprise_move(user=city_staff, enterprise=firm, unit=Unit.objects.get(code="500101"), on=D(2025, 1, 1))


def test_saving_a_status_already_recorded_changes_nothing(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆庚科技有限公司")
    first, created = status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2023, 5, 5),
                                        number="GR202350000001")
    again, changed = status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2023, 5, 5),
                                        number="GR202350000001")
    assert (created, changed, again.pk) == (True, False, first.pk)
    assert first.history.count() == 1


def test_a_new_name_keeps_the_old_one_as_an_earlier_name(make_enterprise, city_staff):
    firm = make_enterprise("500112", "重庆旧名有限公司")
    firm = enterprise_update(user=city_staff, enterprise=firm, name="重庆新名科技有限公司")
    assert (firm.name, firm.earlier_names) == ("重庆新名科技有限公司", ["重庆旧名有限公司"])


def test_a_credit_code_with_a_wrong_check_character_is_refused(make_enterprise):
    with pytest.raises(ValidationError):
        make_enterprise("500112", "重庆错码有限公司", credit_code="91500112000000001A")
    assert not Enterprise.objects.filter(name="重庆错码有限公司").exists()
