"""The registry's version, under which pages keep what they compute from the registry: it changes when a change of
a status record or a registration commits, whatever wrote it, and only then."""
import datetime

import pytest
from django.db import transaction

from districts.models import Unit
from enterprises import synthetic
from enterprises.lists import status_list_import
from enterprises.models import StatusValidity
from enterprises.selectors import registry_version
from enterprises.services import enterprise_move, enterprise_update, status_record_save

D = datetime.date


@pytest.fixture
def firm(make_enterprise):
    return make_enterprise("500112", "渝北版本有限公司")


def changes_version(write, capture) -> bool:
    before = registry_version()
    with capture(execute=True):
        write()
    return registry_version() != before


def test_each_door_of_a_registry_change_gives_a_new_version(firm, city_staff, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    assert changes_version(lambda: status_record_save(user=city_staff, enterprise=firm, kind="high_tech",
                                                      issued=D(2024, 1, 2)), capture)
    assert changes_version(lambda: enterprise_move(user=city_staff, enterprise=firm,
                                                   unit=Unit.objects.get(code="500101"), on=D(2025, 1, 1)), capture)
    content = f"统一社会信用代码,企业名称,证书编号,发证日期\n{firm.credit_code},{firm.name},GR1,2025-12-01\n".encode()
    assert changes_version(lambda: status_list_import(user=city_staff, content=content, file_name="名单.csv",
                                                      kind="high_tech", dry_run=False), capture)
    rules = {rule.kind: rule for rule in StatusValidity.objects.all()}
    loaded = synthetic.build({D(2025, 12, 31): {firm.unit_id: {"high_tech": 1}}}, rules=rules, neighbours={},
                             moved_on=D(2025, 6, 30), seed=1)
    assert changes_version(lambda: synthetic.write(loaded, regions={firm.unit_id: "500112"}), capture)


def test_a_change_rolled_back_or_not_of_the_registry_keeps_the_version(firm, city_staff,
                                                                      django_capture_on_commit_callbacks):
    before = registry_version()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            status_record_save(user=city_staff, enterprise=firm, kind="high_tech", issued=D(2024, 1, 2))
            raise RuntimeError
        enterprise_update(user=city_staff, enterprise=firm, name="渝北新名有限公司")  # a name counts nowhere
    assert registry_version() == before
