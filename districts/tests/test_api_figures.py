"""Writing figures through the API: a unit's quarter, the bulk write (JSON and CSV, dry run), the workflow."""
import re

import pytest

from districts.models import Submission
from enterprises.models import EnterpriseFigures

ROWS = [
    {"unit": "500112", "enterprises.tech_smes": "1200", "enterprises.high_tech": "150"},
    {"unit": "500101", "enterprises.tech_smes": "300"},
]


def stored():
    return sorted(EnterpriseFigures.objects.values_list("unit__code", "period__year", "tech_smes", "high_tech"))


@pytest.fixture
def staff_api(city_staff, quarter, api_client):
    api_client.force_login(city_staff)
    return api_client


@pytest.fixture
def clerk_api(yubei_clerk, quarter, api_client):
    api_client.force_login(yubei_clerk)
    return api_client


def value_count(rows) -> int:
    return sum(len(row) - 1 for row in rows)


def test_a_dry_run_answers_what_would_be_written_and_writes_nothing(staff_api):
    response = staff_api.post("/api/v1/figures/bulk/", {"period": "2026Q3", "rows": ROWS, "dry_run": True},
                              format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["dry_run"], body["written"], body["conflicts"]) == (True, False, [])
    # every value of a new quarter is created; the enterprise section has four figures, the rest unchanged
    assert body["created"] == value_count(ROWS)
    assert stored() == []


def test_a_bulk_write_creates_then_a_second_identical_one_changes_nothing(staff_api):
    first = staff_api.post("/api/v1/figures/bulk/", {"period": "2026Q3", "rows": ROWS}, format="json").json()
    assert (first["written"], first["created"], first["updated"]) == (True, value_count(ROWS), 0)
    assert stored() == [("500101", 2026, 300, None), ("500112", 2026, 1200, 150)]
    again = staff_api.post("/api/v1/figures/bulk/", {"period": "2026Q3", "rows": ROWS}, format="json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, value_count(ROWS))


def test_one_bad_row_refuses_the_whole_batch_naming_row_field_and_code(staff_api):
    rows = [*ROWS, {"unit": "500999", "enterprises.tech_smes": "1"},
            {"unit": "500103", "enterprises.tech_smes": "-5", "enterprises.high_tech": "很多"}]
    response = staff_api.post("/api/v1/figures/bulk/", {"period": "2026Q3", "rows": rows}, format="json")
    assert response.status_code == 400
    body = response.json()
    conflicts = {(c["row"], c["field"], c["code"]) for c in body["conflicts"]}
    assert (2, "unit", "unknown_unit") in conflicts
    assert (3, "enterprises.high_tech", "invalid") in conflicts
    assert body["written"] is False and body["code"] == "figures_rejected"
    assert "rows[2].unit" in body["errors"]
    assert stored() == []


def test_a_bulk_write_takes_csv_saved_by_wps_in_gbk(staff_api):
    text = "unit,period,enterprises.tech_smes\n500234,2026Q3,88\n"  # 开县's old code finds 开州区
    response = staff_api.generic("POST", "/api/v1/figures/bulk/", text.encode("gbk"), content_type="text/csv")
    assert response.status_code == 200, response.json()
    assert stored() == [("500154", 2026, 88, None)]


def test_a_bulk_write_takes_csv_with_the_line_ends_of_any_system(staff_api):
    for end, (code, value) in (("\r", ("500112", 7)), ("\r\n", ("500113", 8))):
        text = end.join(["unit,period,enterprises.tech_smes", f"{code},2026Q3,{value}", ""])
        response = staff_api.generic("POST", "/api/v1/figures/bulk/", text.encode(), content_type="text/csv")
        assert response.status_code == 200, response.json()
    assert stored() == [("500112", 2026, 7, None), ("500113", 2026, 8, None)]


def test_a_csv_body_the_csv_module_cannot_read_is_a_clear_400_and_writes_nothing(staff_api):
    text = f"unit,period,enterprises.tech_smes\n500112,2026Q3,{'8' * 200_000}\n"  # over the module's field limit
    response = staff_api.generic("POST", "/api/v1/figures/bulk/", text.encode(), content_type="text/csv",
                                 HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "CSV" in str(response.json()), response.content
    assert stored() == []


def test_a_clerk_cannot_write_another_units_row_in_a_bulk_and_nothing_is_written(clerk_api):
    response = clerk_api.post("/api/v1/figures/bulk/", {"period": "2026Q3", "rows": ROWS}, format="json")
    assert response.status_code == 400
    assert [(c["row"], c["field"]) for c in response.json()["conflicts"]] == [(1, "unit")]
    assert stored() == []


def test_a_clerk_reads_and_writes_their_quarter_and_a_stale_version_is_refused(clerk_api, yubei_submission):
    quarter = clerk_api.get("/api/v1/figures/500112/2026Q3/").json()
    assert quarter["editable"] is True and quarter["values"]["enterprises.tech_smes"] is None
    saved = clerk_api.patch("/api/v1/figures/500112/2026Q3/", {
        "values": {"enterprises.tech_smes": 1200}, "expected_version": quarter["version"],
    }, format="json").json()
    assert saved["created"] == 1 and saved["version"] == quarter["version"] + 1
    stale = clerk_api.patch("/api/v1/figures/500112/2026Q3/", {
        "values": {"enterprises.tech_smes": 1300}, "expected_version": quarter["version"],
    }, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    assert EnterpriseFigures.objects.get().tech_smes == 1200


def test_invalid_figures_are_refused_with_an_error_per_figure(clerk_api):
    response = clerk_api.patch("/api/v1/figures/500112/2026Q3/", {
        "values": {"enterprises.specialised_smes": 5, "enterprises.little_giants": 9},
    }, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "figures_rejected"
    assert response.json()["errors"]
    assert stored() == []


def test_a_note_on_a_figure_that_does_not_exist_is_refused_and_nothing_is_written(clerk_api, yubei_submission):
    response = clerk_api.patch("/api/v1/figures/500112/2026Q3/", {
        "values": {"enterprises.tech_smes": 1200}, "notes": {"enterprises.no_such_figure": "备注"},
    }, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "figures_rejected"
    assert "enterprises.no_such_figure" in response.json()["errors"]
    assert stored() == [] and Submission.objects.get(pk=yubei_submission.pk).version == yubei_submission.version


def test_a_quarter_goes_submitted_returned_with_a_comment_then_resubmitted(clerk_api, city_staff, yubei_submission):
    clerk_api.patch("/api/v1/figures/500112/2026Q3/", {"values": {"enterprises.tech_smes": 1200}}, format="json")
    submitted = clerk_api.post("/api/v1/submissions/500112/2026Q3/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    clerk_api.force_login(city_staff)
    no_comment = clerk_api.post("/api/v1/submissions/500112/2026Q3/return/", {}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["errors"]
    returned = clerk_api.post("/api/v1/submissions/500112/2026Q3/return/", {"comment": "请核对高企数"}, format="json")
    assert returned.json()["state"] == "returned"
    assert returned.json()["events"][-1] | {"at": None} == {
        "action": "return", "actor": "city_staff", "at": None, "comment": "请核对高企数"}
    approve_now = clerk_api.post("/api/v1/submissions/500112/2026Q3/approve/", format="json")
    assert approve_now.status_code == 409 and approve_now.json()["code"] == "transition_refused"
    assert Submission.objects.get(pk=yubei_submission.pk).state == "returned"


@pytest.mark.parametrize("query, body", [("true", False), ("false", True), ("1", False)])
def test_a_dry_run_asked_one_way_in_the_query_and_another_in_the_body_is_refused_and_writes_nothing(
    staff_api, query, body
):
    response = staff_api.post(f"/api/v1/figures/bulk/?dry_run={query}",
                              {"period": "2026Q3", "rows": ROWS, "dry_run": body}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["dry_run"]
    assert stored() == []


def test_a_dry_run_asked_only_in_the_query_is_a_dry_run_even_with_a_body_that_does_not_mention_it(staff_api):
    response = staff_api.post("/api/v1/figures/bulk/?dry_run=true", {"period": "2026Q3", "rows": ROWS},
                              format="json")
    assert (response.status_code, response.json()["written"]) == (200, False)
    assert stored() == []
    agreeing = staff_api.post("/api/v1/figures/bulk/?dry_run=true", {"period": "2026Q3", "rows": ROWS,
                                                                     "dry_run": True}, format="json")
    assert (agreeing.status_code, agreeing.json()["dry_run"]) == (200, True)
    assert stored() == []


def test_a_dry_run_of_a_csv_file_in_the_query_writes_nothing(staff_api):
    text = "unit,period,enterprises.tech_smes\n500112,2026Q3,88\n"
    response = staff_api.generic("POST", "/api/v1/figures/bulk/?dry_run=true", text.encode(), content_type="text/csv")
    assert (response.status_code, response.json()["created"]) == (200, 1)
    assert stored() == []


def test_the_schema_gives_the_bodys_dry_run_no_default_for_a_generated_client_to_send(client, chongqing):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    body = schema["components"]["schemas"]["BulkRequestRequest"]["properties"]["dry_run"]
    assert "default" not in body


def test_the_write_routes_take_unit_and_period_as_two_path_parameters(client, chongqing):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    quarter_paths = [path for path in paths if "{unit}/{period}" in path]
    assert set(quarter_paths) == {
        "/api/v1/figures/{unit}/{period}/", "/api/v1/submissions/{unit}/{period}/",
        *(f"/api/v1/submissions/{{unit}}/{{period}}/{name}/" for name in ("submit", "approve", "return", "reopen")),
    }
    assert not [path for path in paths if "{key}" in path]
    for path in quarter_paths:
        for operation in paths[path].values():
            names = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert names == {"unit", "period"}, path


def test_the_old_single_key_with_an_encoded_slash_still_reaches_the_quarter(clerk_api, yubei_submission):
    saved = clerk_api.patch("/api/v1/figures/500112%2F2026Q3/", {"values": {"enterprises.tech_smes": 7}},
                            format="json")
    assert saved.status_code == 200, saved.json()
    assert clerk_api.get("/api/v1/figures/500112%2F2026Q3/").json()["values"]["enterprises.tech_smes"] == "7.00"
    submitted = clerk_api.post("/api/v1/submissions/500112%2F2026Q3/submit/", {}, format="json")
    assert (submitted.status_code, submitted.json()["state"]) == (200, "submitted")


def test_a_write_key_submits_its_quarter_but_cannot_approve_it_and_city_staff_approve_it(
    api_client, api_key, city_staff, yubei_submission
):
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('write', '500112')}")
    api_client.patch("/api/v1/figures/500112/2026Q3/", {"values": {"enterprises.tech_smes": 9}}, format="json")
    assert api_client.post("/api/v1/submissions/500112/2026Q3/submit/", {}, format="json").status_code == 200
    refused = api_client.post("/api/v1/submissions/500112/2026Q3/approve/", format="json")
    assert refused.status_code == 403
    assert Submission.objects.get(pk=yubei_submission.pk).state == "submitted"
    api_client.credentials()
    api_client.force_login(city_staff)
    approved = api_client.post("/api/v1/submissions/500112/2026Q3/approve/", format="json")
    assert (approved.status_code, approved.json()["state"]) == (200, "approved")


def test_a_refusal_says_the_same_in_both_languages_and_gives_the_services_reason_in_the_language_asked(
    clerk_api, yubei_submission
):
    english = clerk_api.post("/api/v1/submissions/500112/2026Q3/approve/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = clerk_api.post("/api/v1/submissions/500112/2026Q3/approve/")
    assert english.status_code == chinese.status_code == 403
    assert english.json()["message"] == chinese.json()["message"]
    assert english.json()["message"]["zh"] != english.json()["message"]["en"]
    reason_en, reason_zh = (r.json()["errors"]["non_field_errors"][0] for r in (english, chinese))
    assert not re.search(r"[\u4e00-\u9fff]", reason_en) and re.search(r"[\u4e00-\u9fff]", reason_zh)
    assert Submission.objects.get(pk=yubei_submission.pk).state == yubei_submission.state
