"""The OpenAPI document is valid, describes filters and errors, and the API keeps to it under schemathesis."""
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import positive_data_acceptance

from portal.wsgi import application

EXAMPLES_PER_OPERATION = 8


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


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_schema(
    connection_kept_across_requests, api_key, api_rows
):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    headers = {"Authorization": f"Api-Key {api_key('read')}"}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            # Schema-valid values may still name no unit or an empty page (400/404): not a fault.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
