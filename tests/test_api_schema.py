"""The OpenAPI document is valid, describes filters and errors, and the API keeps to it under schemathesis."""
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import positive_data_acceptance

from portal.wsgi import application

EXAMPLES_PER_OPERATION = 8
JSON = "application/json"


@pytest.fixture
def document(client, chongqing):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_openapi_document_validates(document):
    validate(document)


def test_the_document_describes_the_filters_and_the_error_shape(document):
    parameters = {p["name"] for p in document["paths"]["/api/v1/enterprise-figures/"]["get"]["parameters"]}
    assert {"unit", "group", "period_after", "period_before", "updated_after", "ordering", "page", "page_size",
            "format"} <= parameters
    for path in document["paths"].values():
        for operation in path.values():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"])
    assert "Error" in document["components"]["schemas"]
    assert "ApiKey" in document["components"]["securitySchemes"]


def test_the_docs_page_loads_its_scripts_from_our_own_static_files(client, chongqing):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page and "jsdelivr" not in page


@pytest.fixture
def connection_kept_across_requests():
    """Calling the WSGI app directly fires request_finished, which would close the test's connection
    (tests use CONN_MAX_AGE=0); Django's test client avoids that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def quarter_path(case, period: str) -> None:
    """A quarter route's unit and period set to a real quarter, so a generated case reaches the view."""
    if "unit" in (case.path_parameters or {}):
        case.path_parameters |= {"unit": "500112", "period": period}


def run_generated_cases(schema, headers, *, methods, period) -> dict[str, set[int]]:
    """Generated cases of each operation with `methods`, checked against the document; the statuses seen."""
    seen: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in methods:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            quarter_path(case, period)
            # Schema-valid values may still name no unit or an empty page (400/404): not a fault.
            response = case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        check()
    return seen


def real_path_parameters(operation, operations, headers) -> dict:
    """Path parameters naming a row that exists: the first row of the operation's list (read through the
    same WSGI calls: Django's test client would reconnect the signal that closes the test's connection)."""
    path = operation.path
    if "{unit}" in path:
        return {"unit": "500112", "period": "2025Q4"}
    if "{" not in path:
        return {}
    name = path[path.index("{") + 1:path.index("}")]
    first = operations[f"GET {path[:path.index('{')]}"].Case(query={"page_size": 1}).call(headers=headers)
    return {name: first.json()["results"][0][name]}


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_schema(
    connection_kept_across_requests, api_key, api_rows
):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    headers = {"Authorization": f"Api-Key {api_key('read')}"}
    run_generated_cases(schema, headers, methods={"GET"}, period="2025Q4")

    # Every format of every read, on a row that exists: CSV and xlsx answers are checked against the document too.
    operations = {operation.label: operation for operation in (r.ok() for r in schema.get_all_operations())}
    formats_seen = set()
    for operation in operations.values():
        if operation.method.upper() != "GET" or not operation.path.startswith("/api/v1/"):
            continue
        path_parameters = real_path_parameters(operation, operations, headers)
        for name in operation.get_parameter("format", "query").definition["schema"]["enum"]:
            case = operation.Case(path_parameters=path_parameters, query={"format": name})
            response = case.call_and_validate(headers=headers)
            assert response.status_code == 200, (operation.label, name)
            formats_seen.add(response.headers["content-type"][0].split(";")[0])
    assert formats_seen == {"application/json", "text/csv",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def test_schemathesis_reaches_the_write_paths_with_a_write_key_and_finds_nothing_outside_the_schema(
    connection_kept_across_requests, api_key, api_rows, city_staff
):
    from districts.models import Period
    from districts.services import period_open
    from enterprises.models import CultivationEntry
    from ledger.models import RoundItem, Task

    period_open(user=city_staff, period=Period.objects.get_by_code("2026Q3"), deadline=None)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    headers = {"Authorization": f"Api-Key {api_key('write', '500112')}"}
    writes = {"POST", "PATCH", "PUT", "DELETE"}
    seen = run_generated_cases(schema, headers, methods=writes, period="2026Q3")

    # Valid writes of the key's own quarter, checked against the document like the generated ones.
    operations = {operation.label: operation for operation in (r.ok() for r in schema.get_all_operations())}
    quarter = {"unit": "500112", "period": "2026Q3"}
    valid = [
        ("PATCH /api/v1/figures/{unit}/{period}/", quarter, {"values": {"enterprises.tech_smes": "12"}}, JSON),
        ("POST /api/v1/figures/bulk/", {}, {"period": "2026Q3", "rows": [{"unit": "500112",
                                                                          "enterprises.high_tech": "3"}]}, JSON),
        ("POST /api/v1/figures/bulk/", {}, "unit,period,enterprises.tech_smes\n500112,2026Q3,13\n", "text/csv"),
        ("POST /api/v1/submissions/{unit}/{period}/submit/", quarter, {}, JSON),
    ]
    # The key's unit's own ledger rows: a task, and its answer to this year's scheduling round.
    item = {"id": RoundItem.objects.filter(task__unit__code="500112", round__due__year=2026).values_list("pk")[0][0]}
    task = {"id": Task.objects.filter(unit__code="500112").values_list("pk")[0][0]}
    answer = {"answer": "已完成选址", "progress": 40}
    renamed = {"kind": "task", "title": "渝北区重点任务（调整）", "office": "区科技局", "owner": "张三",
               "start": "2026-01-01", "due": "2026-12-31", "status": "in_progress"}
    valid += [(f"{method} /api/v1/round-items/{{id}}/", item, answer, JSON) for method in ("PUT", "PATCH")]
    valid += [(f"{method} /api/v1/tasks/{{id}}/", task, renamed, JSON) for method in ("PUT", "PATCH")]
    # The key's unit's cultivation entry: changed and noted this quarter; deleting it is municipal staff's (403).
    entry = CultivationEntry.objects.filter(unit__code="500112").values("pk", "enterprise_id")[0]
    today = timezone.localdate()
    aimed = {"enterprise": entry["enterprise_id"], "target": "specialised", "due": "2027-12-31"}
    valid += [(f"{method} /api/v1/cultivation-entries/{{id}}/", {"id": entry["pk"]}, aimed, JSON)
              for method in ("PUT", "PATCH")]
    valid += [("POST /api/v1/cultivation-entries/{id}/notes/", {"id": entry["pk"]},
               {"period": f"{today.year}Q{(today.month - 1) // 3 + 1}", "text": "已走访"}, JSON),
              ("DELETE /api/v1/cultivation-entries/{id}/", {"id": entry["pk"]}, None, JSON)]
    expected = {"POST /api/v1/cultivation-entries/{id}/notes/": 201, "DELETE /api/v1/cultivation-entries/{id}/": 403}
    for label, path_parameters, body, media_type in valid:
        case = operations[label].Case(path_parameters=path_parameters, body=body, media_type=media_type,
                                      query={"dry_run": "true"} if "bulk" in label else None)
        response = case.call_and_validate(headers=headers)
        assert response.status_code == expected.get(label, 200), (label, response.text)
        seen.setdefault(label, set()).add(response.status_code)

    # Every write operation was reached with a live key and a real quarter: answered by its own rules
    # (200, a validation 400, a role's 403, a state's 409), never "who are you" or "no such route".
    assert set(seen) == {label for label in operations if label.split()[0] in writes}
    for label, statuses in seen.items():
        assert statuses - {401, 404}, (label, statuses)
