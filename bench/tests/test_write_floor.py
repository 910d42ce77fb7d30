"""The floors under measures 4 and 9 put back exactly the rows an import wrote, and leave nothing behind."""
import datetime

import pytest
from django.db import transaction

from bench import write_floor
from conftest import is_postgres
from districts.models import Period, Unit
from districts.services import figures_save
from enterprises import credit_codes
from enterprises.models import StatusRecord
from enterprises.services import enterprise_create, status_record_save


def rows_after(since: dict) -> dict:
    return {model: model._default_manager.filter(pk__gt=newest).count() for model, newest in since.items()}


def test_the_floor_copies_back_every_row_a_save_wrote_and_keeps_none(city_staff):
    if not is_postgres():
        pytest.skip("the floor is measured with PostgreSQL's COPY")
    unit, period = Unit.objects.get(code="500112"), Period.objects.get_by_code("2026Q3")
    since = write_floor.newest_ids(write_floor.written_models())
    with transaction.atomic():
        figures_save(user=city_staff, unit=unit, period=period,
                     values={"enterprises.tech_smes": 5, "economy.rd_spending": 100})
        written = rows_after(since)
        kept = write_floor.kept_rows(since)
        transaction.set_rollback(True)
    # A new quarter: its submission, a row of each of the two sections' models, and a history row of each.
    assert sum(written.values()) == 6, written
    _seconds, copied = write_floor.copy_back(kept)
    assert copied == 6
    assert sum(rows_after(since).values()) == 0


def test_the_floor_of_a_status_list_copies_back_its_records_and_their_history(city_staff):
    if not is_postgres():
        pytest.skip("the floor is measured with PostgreSQL's COPY")
    unit = Unit.objects.get(code="500112")
    enterprise = enterprise_create(user=city_staff, name="重庆测试科技有限公司", unit=unit,
                                   credit_code=credit_codes.synthetic("500112", 1))
    written_models = [StatusRecord, StatusRecord.history.model]
    since = write_floor.newest_ids(written_models)
    with transaction.atomic():
        for issued in (datetime.date(2023, 11, 20), datetime.date(2026, 11, 20)):
            status_record_save(user=city_staff, enterprise=enterprise, kind="high_tech", issued=issued)
        written = rows_after(since)
        kept = write_floor.kept_rows(since)
        transaction.set_rollback(True)
    assert written == {StatusRecord: 2, StatusRecord.history.model: 2}
    _seconds, copied = write_floor.copy_back(kept)
    assert copied == 4
    assert sum(rows_after(since).values()) == 0
