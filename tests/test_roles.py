"""The roles' model permissions come from what each app declares: every model of the portal's apps is readable by
the municipal roles and API consumers, only municipal staff may delete, and a viewer changes nothing."""
import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from portal import roles

DOMAIN_APPS = ("districts", "enterprises", "funds", "platforms", "indicators", "ledger", "evaluation", "briefs")


def codenames(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.fixture
def synced(db):
    roles.sync_role_groups()


def every_model():
    return [(label, model._meta.model_name)
            for label in DOMAIN_APPS for model in apps.get_app_config(label).get_models()]


def test_every_model_of_every_app_is_readable_by_the_municipal_roles_and_api_consumers(synced):
    wanted = {f"{label}.view_{model}" for label, model in every_model()}
    for role in (roles.MUNICIPAL_STAFF, roles.MUNICIPAL_VIEWER, roles.API_CONSUMER):
        assert wanted <= codenames(role), role


def test_a_municipal_viewer_and_an_api_consumer_only_read(synced):
    for role in (roles.MUNICIPAL_VIEWER, roles.API_CONSUMER):
        assert {name for name in codenames(role) if ".view_" not in name} == set()


def test_only_municipal_staff_may_delete_and_they_may_delete_every_model(synced):
    assert {f"{label}.delete_{model}" for label, model in every_model()} <= codenames(roles.MUNICIPAL_STAFF)
    for role in (roles.DISTRICT_STAFF, roles.MUNICIPAL_VIEWER, roles.API_CONSUMER):
        assert {name for name in codenames(role) if ".delete_" in name} == set(), role


def test_district_staff_change_only_what_a_unit_reports_its_own_ledger_and_registry(synced):
    changed = {name.replace(".change_", ".") for name in codenames(roles.DISTRICT_STAFF) if ".change_" in name}
    assert {name for name in changed if ".historical" not in name} == {
        "enterprises.enterprisefigures", "funds.fundflow", "funds.economyfigures", "platforms.platformmilestone",
        "ledger.task", "ledger.progressnote", "ledger.attachment", "ledger.rounditem",
        "enterprises.enterprise", "enterprises.registration", "enterprises.statusrecord",
        "enterprises.cultivationentry", "enterprises.cultivationnote",
    }
