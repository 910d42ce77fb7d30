"""The admin writes through the registry's services: the kind's validity applies, a rename keeps the old name."""
import datetime

from enterprises.models import Enterprise, StatusRecord


def test_a_status_record_added_in_the_admin_gets_its_kinds_validity(make_enterprise, client_for, yubei_clerk):
    firm = make_enterprise("500112", "渝北后台企业有限公司")
    response = client_for(yubei_clerk).post("/admin/enterprises/statusrecord/add/", {
        "enterprise": firm.pk, "kind": "high_tech", "number": "GR202350000009", "issued": "2023-12-12",
        "valid_until": "", "revoked": "", "revoked_reason": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = StatusRecord.objects.get()
    assert (record.valid_until, record.history.get().history_user) == (datetime.date(2026, 12, 11), yubei_clerk)


def test_a_rename_in_the_admin_keeps_the_earlier_name(make_enterprise, client_for, city_staff):
    firm = make_enterprise("500112", "渝北旧名有限公司", credit_code=None)
    response = client_for(city_staff).post(f"/admin/enterprises/enterprise/{firm.pk}/change/", {
        "credit_code": "", "name": "渝北新名有限公司", "industry": "", "founded": "",
        "registrations-TOTAL_FORMS": "1", "registrations-INITIAL_FORMS": "1", "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "1000", "registrations-0-id": firm.registrations.get().pk,
        "registrations-0-enterprise": firm.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Enterprise.objects.get().earlier_names == ["渝北旧名有限公司"]
