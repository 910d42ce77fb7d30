"""The kit every list endpoint passes: who may call it, paging, CSV and xlsx, and a bounded query count.

Each endpoint declares its queries; the test asserts the same count for a page of 2 and of 20 rows.
"""
import csv
import io

import openpyxl
import pytest
from django.urls import resolve

# Queries every request with an API key makes before it reads rows:
#   1.–2. the request's savepoint and its release (ATOMIC_REQUESTS, inside the test's transaction)
#   3. the key, with its user and unit
KEY = 3
# District-scoped models then go through restrict(): 1. the user's own permissions 2. its groups'
# permissions (has_perm) 3. its groups (the role check).
RESTRICTED = KEY + 3
# Then: the count of the filtered rows, and the page.
PAGE = 2
# Lists with ETag and Last-Modified read the latest update with that count, in one aggregate: no query more.
ETAG = 0

ENDPOINTS = {
    "/api/v1/units/": RESTRICTED + PAGE + 1,  # + the old codes of the page's units
    "/api/v1/groups/": KEY + PAGE,
    "/api/v1/periods/": KEY + PAGE,
    "/api/v1/submissions/": RESTRICTED + ETAG + PAGE + 1,  # + the events of the page's submissions, with actors
    "/api/v1/enterprise-figures/": RESTRICTED + ETAG + PAGE,
    "/api/v1/enterprises/": RESTRICTED + ETAG + PAGE,
    "/api/v1/status-records/": RESTRICTED + ETAG + PAGE,
    "/api/v1/cultivation-entries/": RESTRICTED + ETAG + PAGE + 1,  # + the notes of the page's entries, with quarters
    "/api/v1/economy-figures/": RESTRICTED + ETAG + PAGE,
    "/api/v1/funds/": KEY + PAGE,
    "/api/v1/fund-flows/": RESTRICTED + ETAG + PAGE,
    "/api/v1/fund-allocations/": RESTRICTED + PAGE,  # disbursed so far is a subquery of the page query
    "/api/v1/platforms/": RESTRICTED + PAGE + 1,  # + the milestones of the page's platforms, with periods
    "/api/v1/platform-milestones/": RESTRICTED + PAGE,
    "/api/v1/indicators/": KEY + PAGE,
    "/api/v1/plans/": KEY + PAGE + 1,  # + the targets of the page's plans, with indicator, period, group, unit
    "/api/v1/targets/": KEY + PAGE,
    # no request transaction (reads only: - 2); the ETag is the page's cache key, so no aggregate but the latest
    # run with whether newer data waits (each page size here is a miss) + the quarters, by id; + with no run yet (as
    # here), whether any quarter is approved: newer data waits for the first run
    "/api/v1/indicator-values/": RESTRICTED - 2 + PAGE + 3,
    # + the results of the page's evaluations, with units and groups + their inputs, with units
    "/api/v1/evaluations/": KEY + PAGE + 2,
    "/api/v1/tasks/": RESTRICTED + ETAG + PAGE,
    "/api/v1/progress-notes/": RESTRICTED + ETAG + PAGE,
    # rounds are found through their items' restrict(), + the visible items of the page's rounds
    "/api/v1/rounds/": RESTRICTED + PAGE + 1,
    "/api/v1/round-items/": RESTRICTED + ETAG + PAGE,
}


def list_routes() -> set[str]:
    from portal.api_urls import router

    return {f"/api/v1/{prefix}/" for prefix, viewset, _ in router.registry if hasattr(viewset, "list")}


def test_every_list_endpoint_is_declared_in_this_kit():
    assert list_routes() - set(ENDPOINTS) == set()


@pytest.fixture
def keyed(api_client, api_key, api_rows):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    api_client.get("/api/v1/groups/")  # notes the key's first use, so counted requests write nothing
    return api_client


@pytest.mark.parametrize("url", ENDPOINTS)
def test_an_anonymous_request_gets_401_with_the_error_shape(api_client, chongqing, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Api-Key")
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"code", "message", "errors"}
    assert set(response.json()["message"]) == {"zh", "en"}


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_list_runs_the_same_bounded_number_of_queries_whatever_the_page_size(
    keyed, django_assert_num_queries, url
):
    for page_size in (2, 20):
        with django_assert_num_queries(ENDPOINTS[url]):
            response = keyed.get(url, {"page_size": page_size})
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == min(page_size, response.json()["count"])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_list_pages_and_refuses_a_page_size_above_its_maximum(keyed, url):
    first = keyed.get(url, {"page_size": 1}).json()
    assert len(first["results"]) == 1
    if first["count"] > 1:
        second = keyed.get(first["next"]).json()
        assert second["results"] != first["results"]
    maximum = resolve(url).func.cls.pagination_class.max_page_size
    largest = keyed.get(url, {"page_size": maximum})
    assert largest.status_code == 200
    assert len(largest.json()["results"]) == min(first["count"], maximum)
    assert largest["X-Total-Count"] == str(first["count"])
    over = keyed.get(url, {"page_size": maximum + 1})
    assert over.status_code == 400
    assert list(over.json()["errors"]) == ["page_size"]
    assert str(maximum) in over.json()["errors"]["page_size"][0]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_list_comes_as_csv_with_the_same_rows(keyed, url):
    data = keyed.get(url, {"page_size": 5}).json()
    response = keyed.get(url, {"page_size": 5, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(data["results"])
    first_key = next(iter(data["results"][0]))
    assert rows[0][first_key] == str(data["results"][0][first_key])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_list_comes_as_xlsx_with_a_header_and_the_rows(keyed, url):
    data = keyed.get(url, {"page_size": 5}).json()
    response = keyed.get(url, {"page_size": 5, "format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == next(iter(data["results"][0]))
    assert len(rows) == 1 + len(data["results"])


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_malformed_ordering_is_a_400_naming_the_field(keyed, url):
    response = keyed.get(url, {"ordering": "no_such_field"})
    assert response.status_code == 400
    assert "ordering" in response.json()["errors"]
