"""The lapse forecast on a small registry worked out by hand (today 2026-06-30, target 2027-12-31)."""
import datetime

import pytest

from districts.models import Unit
from enterprises.forecast import expiring_by_quarter, forecast_at, renewal_rates
from enterprises.services import status_record_revoke, status_record_save

D = datetime.date
TODAY, TARGET = D(2026, 6, 30), D(2027, 12, 31)


@pytest.fixture
def registry(make_enterprise, city_staff):
    def certificate(firm, issued):
        return status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=issued)[0]

    e1 = make_enterprise("500112", "E1")
    certificate(e1, D(2020, 1, 10))  # ended 2023-01-09, renewed 2023-02-01 (until 2026-01-31: gone today)
    certificate(e1, D(2023, 2, 1))
    e2 = make_enterprise("500112", "E2")
    certificate(e2, D(2021, 3, 1))  # ended 2024-02-29, not renewed
    e3 = make_enterprise("500112", "E3")
    certificate(e3, D(2019, 7, 1))  # ended 2022-06-30, the look-back's first day; renewed over a year later
    certificate(e3, D(2023, 9, 1))  # until 2026-08-31: held today, lost before the target
    e4 = make_enterprise("500112", "E4")
    status_record_revoke(user=city_staff, record=certificate(e4, D(2021, 5, 1)), on=D(2023, 1, 1), reason="撤销")
    certificate(make_enterprise("500112", "E5"), D(2025, 1, 1))  # until 2027-12-31, the target day: kept
    certificate(make_enterprise("500112", "E6"), D(2024, 3, 1))  # until 2027-02-28: lost
    certificate(make_enterprise("500101", "W1"), D(2024, 10, 1))  # until 2027-09-30: lost; 万州 has no history


def test_the_renewal_rate_counts_certificates_that_ended_held_in_the_last_three_years(registry):
    yubei = Unit.objects.get(code="500112").pk
    assert renewal_rates(today=TODAY) == {yubei: (1, 3)}  # E1 renewed; E2 and E3 did not; E4 was revoked


def test_certificates_ending_are_counted_in_the_quarter_of_their_last_day(registry):
    yubei, wanzhou = (Unit.objects.get(code=code).pk for code in ("500112", "500101"))
    assert expiring_by_quarter(first=D(2026, 7, 1), last=TARGET) == {
        (2026, 3): {yubei: 1}, (2027, 1): {yubei: 1}, (2027, 3): {wanzhou: 1}, (2027, 4): {yubei: 1},
    }


def test_the_count_at_the_target_if_none_renews_and_with_the_units_renewal_rate(registry):
    yubei, wanzhou = (Unit.objects.get(code=code).pk for code in ("500112", "500101"))
    forecast = forecast_at(target=TARGET, today=TODAY)
    assert (forecast[yubei].today, forecast[yubei].none_renews) == (3, 1)  # E3, E5, E6 today; E5 at the target
    assert forecast[yubei].with_renewals == pytest.approx(1 + 2 / 3)
    assert (forecast[wanzhou].today, forecast[wanzhou].none_renews, forecast[wanzhou].with_renewals) == (1, 0, 0)
    assert forecast[wanzhou].renewal_rate is None
