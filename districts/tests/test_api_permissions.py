"""The permission matrix of the quarter, extended to the API: sessions and keys × write paths × states.

Every refused write answers the error shape and leaves the database exactly as before.
"""
import pytest
from django.db import transaction
from rest_framework.test import APIClient

from districts.apikeys import api_key_create, api_key_revoke
from districts.models import Unit
from districts.services import figures_save, period_close, submission_approve, submission_submit
from districts.tests.test_permissions import snapshot

PRINCIPALS = ["yubei_clerk", "wanzhou_clerk", "city_staff", "city_viewer", "api_consumer", "anonymous",
              "read_key", "revoked_key", "yubei_write_key", "wanzhou_write_key"]
STATES = ["open", "submitted", "approved", "closed"]
PATHS = ["patch", "bulk", "bulk_dry_run", "submit", "approve", "return", "reopen"]
YUBEI_DISTRICT = ("yubei_clerk", "yubei_write_key")


def allowed(path, principal, state):
    own_open = principal in YUBEI_DISTRICT and state == "open"
    city = principal == "city_staff"
    return {
        "patch": own_open or city,
        "bulk": own_open or city,
        "bulk_dry_run": False,  # allowed or not, a dry run writes nothing
        "submit": own_open,
        "approve": city and state == "submitted",
        "return": city and state == "submitted",
        "reopen": city and state == "approved",
    }[path]


@pytest.fixture
def setup(request, yubei_clerk, city_staff, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 100})
    state = request.param
    if state in ("submitted", "approved"):
        submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    if state == "approved":
        submission_approve(user=city_staff, submission=yubei_submission)
    if state == "closed":
        period_close(user=city_staff, period=quarter)
    return state


def client_as(request, principal, city_staff) -> APIClient:
    client = APIClient()
    if principal == "anonymous":
        return client
    if principal.endswith("_key"):
        scope, unit = {"read_key": ("read", None), "revoked_key": ("write", "500112"),
                       "yubei_write_key": ("write", "500112"), "wanzhou_write_key": ("write", "500101")}[principal]
        key, full_key = api_key_create(name=principal, scope=scope, created_by=city_staff,
                                       unit=Unit.objects.get(code=unit) if unit else None)
        if principal == "revoked_key":
            api_key_revoke(key=key)
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {full_key}")
        return client
    client.force_login(request.getfixturevalue(principal))
    return client


def attempt(path, client):
    base = "/api/v1/submissions/500112/2026Q3"
    row = {"unit": "500112", "enterprises.tech_smes": "120"}
    calls = {
        "patch": ("patch", "/api/v1/figures/500112/2026Q3/", {"values": {"enterprises.tech_smes": "120"}}),
        "bulk": ("post", "/api/v1/figures/bulk/", {"period": "2026Q3", "rows": [row]}),
        "bulk_dry_run": ("post", "/api/v1/figures/bulk/", {"period": "2026Q3", "rows": [row], "dry_run": True}),
        "submit": ("post", f"{base}/submit/", {"explanations": {}}),
        "approve": ("post", f"{base}/approve/", {}),
        "return": ("post", f"{base}/return/", {"comment": "请核对研发投入口径"}),
        "reopen": ("post", f"{base}/reopen/", {"reason": "统计口径调整"}),
    }
    method, url, data = calls[path]
    return getattr(client, method)(url, data, format="json")


def check(path, principal, state, response, changed) -> str | None:
    """What is wrong with this response, or None."""
    if allowed(path, principal, state):
        if response.status_code != 200 or not changed:
            return f"expected a write, got {response.status_code} {response.content.decode()[:300]}"
        return None
    if changed:
        return f"the database changed ({response.status_code})"
    if response.status_code >= 400 and not {"code", "message", "errors"} <= set(response.json()):
        return "the error does not have the error shape"
    if principal in ("anonymous", "revoked_key"):
        expected = {401}
    elif principal == "read_key":
        expected = {403}  # a read-only key never writes
    elif principal in ("city_viewer", "api_consumer"):
        expected = {403, 404}  # they enter no figures at all: refused before the body is read
    elif path.startswith("bulk"):
        # The bulk write answers each refused row as a conflict; a dry run by someone allowed is a clean 200.
        expected = {200} if allowed("bulk", principal, state) else {400}
    else:
        expected = {403, 404, 409}
    return None if response.status_code in expected else f"status {response.status_code}, expected {expected}"


@pytest.mark.parametrize("setup", STATES, indirect=True)
@pytest.mark.parametrize("path", PATHS)
def test_every_principal_on_every_api_write_path_and_refusals_change_nothing(
    request, setup, path, city_staff, yubei, quarter
):
    clients = {principal: client_as(request, principal, city_staff) for principal in PRINCIPALS}
    problems = {}
    for principal, client in clients.items():
        with transaction.atomic():  # each principal starts from the same quarter
            before = snapshot(yubei, quarter)
            response = attempt(path, client)
            problem = check(path, principal, setup, response, snapshot(yubei, quarter) != before)
            transaction.set_rollback(True)
        if problem:
            problems[principal] = problem
    assert problems == {}
