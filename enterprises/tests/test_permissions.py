"""Clerks see and change their own unit's enterprises only; crossing the line changes nothing."""
import datetime

import pytest

from districts.exceptions import AccessDenied
from districts.models import Unit
from enterprises.models import Enterprise, Registration, StatusRecord
from enterprises.services import (
    enterprise_create,
    enterprise_move,
    enterprise_update,
    status_record_revoke,
    status_record_save,
)

D = datetime.date


@pytest.fixture
def yubei_firm(make_enterprise, city_staff):
    firm = make_enterprise("500112", "渝北企业有限公司")
    status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2024, 1, 1))
    return firm


def snapshot():
    return [list(model.objects.order_by("pk").values_list()) for model in (Enterprise, Registration, StatusRecord)]


def test_a_clerk_sees_only_their_own_units_enterprises_and_records(yubei_firm, make_enterprise, yubei_clerk,
                                                                    wanzhou_clerk, city_viewer):
    make_enterprise("500101", "万州企业有限公司")
    assert list(Enterprise.objects.restrict(wanzhou_clerk).values_list("name", flat=True)) == ["万州企业有限公司"]
    assert not StatusRecord.objects.restrict(wanzhou_clerk).exists()
    assert StatusRecord.objects.restrict(yubei_clerk).count() == 1
    assert Enterprise.objects.restrict(city_viewer).count() == 2
    assert not Enterprise.objects.restrict(city_viewer, "change").exists()


def test_another_units_clerk_changes_nothing_of_yubeis_enterprise(yubei_firm, wanzhou_clerk):
    before = snapshot()
    record = yubei_firm.statuses.get()
    attempts = [
        lambda: enterprise_update(user=wanzhou_clerk, enterprise=yubei_firm, name="改名"),
        lambda: status_record_save(user=wanzhou_clerk, enterprise=yubei_firm, kind="tech_sme", issued=D(2025, 1, 1)),
        lambda: status_record_revoke(user=wanzhou_clerk, record=record, on=D(2025, 1, 1), reason="x"),
        lambda: enterprise_move(user=wanzhou_clerk, enterprise=yubei_firm, unit=Unit.objects.get(code="500101"),
                                on=D(2025, 1, 1)),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied):
            attempt()
    assert snapshot() == before


def test_a_clerk_cannot_move_their_enterprise_out_of_their_unit_nor_create_one_elsewhere(yubei_firm, yubei_clerk):
    before = snapshot()
    with pytest.raises(AccessDenied):
        enterprise_move(user=yubei_clerk, enterprise=yubei_firm, unit=Unit.objects.get(code="500101"), on=D(2025, 1, 1))
    with pytest.raises(AccessDenied):
        enterprise_create(user=yubei_clerk, name="万州新企业", unit=Unit.objects.get(code="500101"))
    assert snapshot() == before


def test_a_municipal_viewer_changes_nothing(yubei_firm, city_viewer):
    before = snapshot()
    with pytest.raises(AccessDenied):
        status_record_save(user=city_viewer, enterprise=yubei_firm, kind="tech_sme", issued=D(2025, 1, 1))
    assert snapshot() == before


def test_a_clerk_records_a_status_of_their_own_units_enterprise(yubei_firm, yubei_clerk):
    _record, changed = status_record_save(user=yubei_clerk, enterprise=yubei_firm, kind="tech_sme",
                                          issued=D(2025, 1, 1))
    assert changed and yubei_firm.statuses.count() == 2
