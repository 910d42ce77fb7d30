"""The chain over time, worked out by hand: conversions of a year's tech-based SMEs, and who moved up this year."""
import datetime

from districts.models import Unit
from enterprises.chain import conversions, moved_up
from enterprises.models import StatusRecord
from enterprises.services import status_record_revoke, status_record_save

D = datetime.date


def record(user, firm, kind, issued, valid_until=None):
    return status_record_save(user=user, enterprise=firm, kind=kind, issued=issued, valid_until=valid_until)[0]


def test_a_tech_based_sme_of_year_n_converts_if_it_held_high_tech_status_by_the_end_of_n_plus_2(
        make_enterprise, city_staff):
    """2022 registrations in 渝北: 甲 high-tech 2024-12-31 (yes), 乙 high-tech 2025-01-01 (too late), 丙 high-tech
    2023-05-01 revoked that same day (never held), 丁 no certificate; 万州's 戊 converts but is not in 渝北.
    2023: 甲 registers again and already holds high-tech: 1 of 1."""
    firms = {name: make_enterprise("500112" if name != "戊" else "500101", f"{name}转化公司") for name in "甲乙丙丁戊"}
    for firm in firms.values():
        record(city_staff, firm, "tech_sme", D(2022, 4, 1), D(2022, 12, 31))
    record(city_staff, firms["甲"], "tech_sme", D(2023, 4, 1), D(2023, 12, 31))
    record(city_staff, firms["甲"], "high_tech", D(2024, 12, 31), D(2027, 12, 30))
    record(city_staff, firms["乙"], "high_tech", D(2025, 1, 1), D(2027, 12, 31))
    status_record_revoke(user=city_staff, record=record(city_staff, firms["丙"], "high_tech", D(2023, 5, 1)),
                         on=D(2023, 5, 1), reason="认定撤销")
    record(city_staff, firms["戊"], "high_tech", D(2023, 1, 1), D(2025, 12, 31))
    yubei = {Unit.objects.get(code="500112").pk}
    assert [(c.year, c.registered, c.converted) for c in conversions(years=range(2022, 2024), unit_ids=yubei)] == \
        [(2022, 4, 1), (2023, 1, 1)]


def test_moving_up_is_a_tier_not_held_the_day_before_so_a_timely_renewal_is_not_a_move(make_enterprise, city_staff):
    """2026: 甲 first high-tech (moves); 乙 renews the day after its certificate's last day (no move); 丙 renews a
    month after it lapsed (moves: it held nothing the day before); 丁 becomes a little giant while 专精特新 (moves);
    戊 is listed while a little giant (moves); 己 first high-tech in 2025 (another year)."""
    firms = {name: make_enterprise("500112", f"{name}晋级公司") for name in "甲乙丙丁戊己"}
    record(city_staff, firms["甲"], "high_tech", D(2026, 3, 1))
    record(city_staff, firms["乙"], "high_tech", D(2023, 3, 1), D(2026, 2, 28))
    record(city_staff, firms["乙"], "high_tech", D(2026, 3, 1))
    record(city_staff, firms["丙"], "high_tech", D(2023, 1, 1), D(2025, 12, 31))
    record(city_staff, firms["丙"], "high_tech", D(2026, 2, 1))
    record(city_staff, firms["丁"], "specialised", D(2025, 1, 1), D(2027, 12, 31))
    record(city_staff, firms["丁"], "little_giant", D(2026, 7, 1))
    record(city_staff, firms["戊"], "little_giant", D(2024, 7, 1), D(2027, 6, 30))
    record(city_staff, firms["戊"], "listed", D(2026, 9, 1))
    record(city_staff, firms["己"], "high_tech", D(2025, 6, 1))
    found = moved_up(year=2026, records=StatusRecord.objects.all())
    assert sorted((r.enterprise.name[0], r.kind) for r in found) == [
        ("丁", "little_giant"), ("丙", "high_tech"), ("戊", "listed"), ("甲", "high_tech")]
