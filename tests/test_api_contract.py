"""What a client developer relies on: the schema says what the API does, and the API answers the way
clients read it (ids, ETags, header rows, file names, rate limits, errors in their language)."""
import csv
import io
import re
import time
from urllib.parse import unquote

import pytest

from enterprises.models import EnterpriseFigures
from portal.api_errors import MESSAGES
from tests.test_api_lists import ENDPOINTS, keyed  # noqa: F401


@pytest.fixture
def schema(client, chongqing):
    return client.get("/api/schema/", {"format": "json"}).json()


def get_operations(schema):
    return {path: item["get"] for path, item in schema["paths"].items() if "get" in item}


def parameter(operation, name):
    return next(p for p in operation["parameters"] if p["name"] == name)


# 4. The schema and the behaviour agree.

def test_the_schemas_paging_bounds_are_the_ones_each_list_enforces(schema, keyed):  # noqa: F811
    for url in ENDPOINTS:
        operation = schema["paths"][url]["get"]
        page, page_size = parameter(operation, "page")["schema"], parameter(operation, "page_size")["schema"]
        assert page["minimum"] == page_size["minimum"] == 1
        assert keyed.get(url, {"page": 0}).status_code == keyed.get(url, {"page_size": 0}).status_code == 400
        assert keyed.get(url, {"page_size": page_size["maximum"]}).status_code == 200, url
        assert keyed.get(url, {"page_size": page_size["maximum"] + 1}).status_code == 400, url


@pytest.mark.parametrize("path", ["/api/v1/units/", "/api/v1/units/{code}/", "/api/v1/figures/{unit}/{period}/",
                                  "/api/v1/enterprise-figures/"])
def test_every_format_in_the_schemas_enum_answers_and_no_other_does(schema, keyed, path):  # noqa: F811
    url = path.format(code="500112", unit="500112", period="2025Q4")
    formats = parameter(schema["paths"][path]["get"], "format")["schema"]["enum"]
    for name in formats:
        assert keyed.get(url, {"format": name}).status_code == 200, name
    for name in {"json", "csv", "xlsx", "api", "yaml", "html"} - set(formats):
        response = keyed.get(url, {"format": name})
        assert (response.status_code, response.json()["code"]) == (404, "unknown_format"), name


@pytest.mark.parametrize("query, field", [({"active": "maybe"}, "active"), ({"active": ""}, "active"),
                                          ({"updated_after": ""}, "updated_after"), ({"unit": ""}, "unit")])
def test_a_filter_value_that_means_nothing_is_a_400_naming_the_field(keyed, query, field):  # noqa: F811
    url = "/api/v1/plans/" if field == "active" else "/api/v1/enterprise-figures/"
    response = keyed.get(url, query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_yes_and_no_still_filter_the_plans(keyed):  # noqa: F811
    from indicators.models import Plan

    for value, active in (("true", True), ("false", False)):
        codes = {row["code"] for row in keyed.get("/api/v1/plans/", {"active": value}).json()["results"]}
        assert codes == set(Plan.objects.filter(active=active).values_list("code", flat=True))


def test_workflow_actions_and_writes_document_json_only(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("post", "patch", "put"):
                for status, response in operation["responses"].items():
                    assert set(response.get("content", {})) <= {"application/json"}, (path, method, status)


def test_the_patch_of_a_quarter_documents_json_only_and_refuses_csv(schema, api_client, yubei_clerk):
    operation = schema["paths"]["/api/v1/figures/{unit}/{period}/"]["patch"]
    assert set(operation["requestBody"]["content"]) == {"application/json"}
    api_client.force_login(yubei_clerk)
    response = api_client.generic("PATCH", "/api/v1/figures/500112/2026Q3/", b"enterprises.tech_smes\n5\n",
                                  content_type="text/csv")
    assert (response.status_code, response.json()["code"]) == (415, "unsupported_media_type")
    bulk = schema["paths"]["/api/v1/figures/bulk/"]["post"]
    assert set(bulk["requestBody"]["content"]) == {"application/json", "text/csv"}


# 6. An empty CSV list keeps its header row.

# A query each list answers with no row.
EMPTY = {"/api/v1/units/": {"unit": "500104", "kind": "county"}, "/api/v1/groups/": {"parent": "no-such-group"},
         "/api/v1/periods/": {"year": "1990"}, "/api/v1/funds/": {"kind": "risk_pool"},
         "/api/v1/indicators/": {"plan": "no-such-plan"}, "/api/v1/plans/": {"indicator": "no-such-indicator"},
         "/api/v1/evaluations/": {"year": "1990"}, "/api/v1/fund-allocations/": {"year": "1990"},
         "/api/v1/targets/": {"plan": "no-such-plan"}, "/api/v1/platforms/": {"unit": "500104"},
         "/api/v1/rounds/": {"due_after": "2100-01-01"}}


def test_an_empty_csv_list_still_has_the_header_row_of_a_full_one(keyed):  # noqa: F811
    from funds.models import Fund

    full = {url: keyed.get(url, {"format": "csv", "page_size": 1}).content.decode("utf-8-sig") for url in ENDPOINTS}
    Fund.objects.filter(kind="risk_pool").delete()  # every kind of fund has one
    for url in ENDPOINTS:
        full_header = next(csv.reader(io.StringIO(full[url])))
        response = keyed.get(url, {**EMPTY.get(url, {"unit": "500104"}), "format": "csv"})
        assert (response.status_code, response["X-Total-Count"]) == (200, "0"), url
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) == 1, url
        # A mapping field (a plan's params) spreads over one column per key in full rows; empty, it is one column.
        full_fields = {column.split(".")[0] for column in full_header}
        assert full_fields <= {column.split(".")[0] for column in rows[0]}, url
        assert len(rows[0]) >= len(full_fields), url


# 7. Every list row has the id of its detail route.

def test_every_row_of_a_list_with_an_id_route_has_its_id_and_the_route_answers_that_row(schema, keyed):  # noqa: F811
    id_routes = [path for path in schema["paths"] if path.endswith("/{id}/")]
    assert {"/api/v1/indicator-values/{id}/", "/api/v1/enterprise-figures/{id}/", "/api/v1/economy-figures/{id}/",
            "/api/v1/fund-flows/{id}/", "/api/v1/fund-allocations/{id}/"} <= set(id_routes)
    for path in id_routes:
        rows = keyed.get(path.removesuffix("{id}/"), {"page_size": 3}).json()["results"]
        assert rows, path
        for row in rows:
            assert keyed.get(path.format(id=row["id"])).json() == row, path


# 8. Errors in the language asked for, the two languages saying the same.

@pytest.mark.parametrize("url, query, field", [
    ("/api/v1/units/", {"page": "0"}, "page"),
    ("/api/v1/units/", {"page_size": "5000"}, "page_size"),
    ("/api/v1/plans/", {"active": "maybe"}, "active"),
    ("/api/v1/enterprise-figures/", {"unit": "500999"}, "unit"),
    ("/api/v1/enterprise-figures/", {"period_after": "2025Q9"}, "period_after"),
    ("/api/v1/enterprise-figures/", {"ordering": "nope"}, "ordering"),
])
def test_a_field_error_comes_in_english_when_asked_and_in_chinese_by_default(keyed, url, query, field):  # noqa: F811
    english = keyed.get(url, query, HTTP_ACCEPT_LANGUAGE="en").json()["errors"][field][0]
    chinese = keyed.get(url, query).json()["errors"][field][0]
    assert not re.search(r"[\u4e00-\u9fff]", english), english
    assert re.search(r"[\u4e00-\u9fff]", chinese), chinese
    # the same message: the same numbers and codes in both
    assert re.findall(r"[0-9]+", english) == re.findall(r"[0-9]+", chinese)


def ascii_terms(text: str) -> set[str]:
    """Codes, parameters, formats and numbers an error names (the words a translation keeps)."""
    return {term.lower() for term in re.findall(r"[A-Za-z0-9][\w./=<>-]*", text) if not term.isalpha()
            or term.lower() in {"json", "csv", "xlsx", "format", "errors", "api", "authorization"}}


@pytest.mark.parametrize("code", MESSAGES)
def test_the_english_and_chinese_of_each_error_name_the_same_things(code):
    chinese, english = MESSAGES[code]
    assert ascii_terms(chinese) <= ascii_terms(english.replace("<key>", "<密钥>")), code


# 9. Every read sends an ETag; a weak one in If-None-Match gives 304.

def test_every_list_and_detail_sends_an_etag_and_a_weak_one_gives_304(schema, keyed):  # noqa: F811
    submission = "/api/v1/submissions/{unit}/{period}/"
    for path in get_operations(schema):
        if not path.startswith("/api/v1/"):
            continue
        url = path.replace("{unit}", "500112").replace("{period}", "2025Q4")
        if "{" in url:
            rows = keyed.get(path[:path.index("{")]).json()["results"]
            key = path[path.index("{") + 1:path.index("}")]
            url = path.format(**{key: rows[0][key]})
        response = keyed.get(url)
        assert response.status_code == 200, url
        etag = response["ETag"]
        assert etag.startswith('"'), url
        assert keyed.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304, url
        assert keyed.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
        assert keyed.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200, url
    assert submission in get_operations(schema)


def test_an_etag_changes_when_the_row_does(keyed):  # noqa: F811
    row = EnterpriseFigures.objects.order_by("pk").first()
    url = f"/api/v1/enterprise-figures/{row.pk}/"
    etag = keyed.get(url)["ETag"]
    EnterpriseFigures.objects.filter(pk=row.pk).update(tech_smes=row.tech_smes + 1)
    assert keyed.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 200


# 10. "No such page" and "unknown format" are not "not found or not yours".

def test_a_page_past_the_last_and_an_unknown_format_have_their_own_404_codes(keyed):  # noqa: F811
    past = keyed.get("/api/v1/units/", {"page": 99})
    unknown = keyed.get("/api/v1/units/", {"format": "pdf"})
    absent = keyed.get("/api/v1/units/999999/")
    assert [r.status_code for r in (past, unknown, absent)] == [404, 404, 404]
    assert [r.json()["code"] for r in (past, unknown, absent)] == ["page_not_found", "unknown_format", "not_found"]


def test_a_row_of_another_district_and_an_absent_row_get_the_same_404(api_client, api_key, api_rows):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('write', '500112')}")
    wanzhou = EnterpriseFigures.objects.filter(unit__code="500101").first()
    absent_id = EnterpriseFigures.objects.order_by("-pk").first().pk + 1000
    theirs = api_client.get(f"/api/v1/enterprise-figures/{wanzhou.pk}/")
    nothing = api_client.get(f"/api/v1/enterprise-figures/{absent_id}/")
    assert (theirs.status_code, theirs.json()) == (nothing.status_code, nothing.json())
    assert nothing.json()["code"] == "not_found"
    assert {key: value for key, value in theirs.items() if key not in ("Date",)} == {
        key: value for key, value in nothing.items() if key not in ("Date",)} | {
        "X-RateLimit-Remaining": theirs["X-RateLimit-Remaining"]}


def test_an_unknown_path_under_the_api_is_a_json_404(keyed):  # noqa: F811
    response = keyed.get("/api/v1/submissions/500112/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# 11. File names for every client.

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_names_its_file_in_utf_8_with_an_ascii_fallback(keyed, fmt):  # noqa: F811
    disposition = keyed.get("/api/v1/enterprise-figures/", {"format": fmt})["Content-Disposition"]
    fallback = re.search(r'filename="([^"]*)"', disposition).group(1)
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert disposition.startswith("attachment;")
    assert fallback.isascii() and fallback.endswith(f".{fmt}")
    assert unquote(utf8) == f"{EnterpriseFigures._meta.verbose_name_plural}.{fmt}"
    assert utf8.isascii()


# 12. A throttled answer says the limit, what is left and when it resets.

def test_a_throttled_answer_carries_the_rate_limit_beside_retry_after(api_client, api_key, chongqing):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read', throttle_rate='2/minute')}")
    first, second, third = (api_client.get("/api/v1/groups/") for _ in range(3))
    assert [r.status_code for r in (first, second, third)] == [200, 200, 429]
    assert [r["X-RateLimit-Remaining"] for r in (first, second, third)] == ["1", "0", "0"]
    assert {r["X-RateLimit-Limit"] for r in (first, second, third)} == {"2"}
    reset = int(third["X-RateLimit-Reset"])
    assert 0 < reset - time.time() <= 61
    assert abs(reset - time.time() - int(third["Retry-After"])) <= 2


def test_a_list_of_codes_reads_the_same_comma_separated_or_repeated(keyed, schema):  # noqa: F811
    """The schema documents the code filters as arrays (`style: form, explode: false`); a generated client that
    sends an array as a repeated parameter gets what the comma-separated form gives."""
    from funds.models import Fund, FundFlow

    second = FundFlow.objects.first()
    second.pk, second.fund = None, Fund.objects.exclude(pk=second.fund_id).first()
    second.save()
    parameter = next(p for p in schema["paths"]["/api/v1/fund-flows/"]["get"]["parameters"] if p["name"] == "fund")
    assert parameter["schema"]["type"] == "array"
    codes = sorted(set(FundFlow.objects.values_list("fund__code", flat=True)))[:2]
    assert len(codes) == 2

    def ids(query):
        return {row["id"] for row in keyed.get("/api/v1/fund-flows/", {**query, "page_size": 1000}).json()["results"]}

    alone = ids({"fund": codes[0]}) | ids({"fund": codes[1]})
    assert alone and ids({"fund": ",".join(codes)}) == ids({"fund": codes}) == alone
