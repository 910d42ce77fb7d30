"""The report page, its PDF and Excel, the sensitivity view, and who may see or change what."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluation.models import Evaluation
from evaluation.sensitivity import sensitivity
from evaluation.tests.conftest import pdf_text


def test_the_report_page_shows_the_ranking_groups_and_recognition(client_for, yubei_clerk, published):
    page = client_for(yubei_clerk).get(f"/evaluation/{published.pk}/").content.decode()
    assert "综合排名" in page and "组内排名：中心城区" in page
    assert "渝中区" in page and "综合得分 55，全市第1位" in page
    assert 'id="chart-data"' in page


def test_the_pdf_has_the_ranking_table_as_text(client_for, city_viewer, published):
    response = client_for(city_viewer).get(f"/evaluation/{published.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "一、综合排名" in text and "二、组内排名" in text
    cells = text.split("\n")  # the text of each table cell is on its own line
    for rank, unit, score in (("1", "渝中区", "55.00"), ("2", "江北区", "50.00"), ("3", "黔江区", "45.00")):
        at = cells.index(unit)
        assert cells[at - 1: at + 2] == [rank, unit, score]


def test_the_workbook_has_ranking_and_flagged_missing_inputs(client_for, city_viewer, published):
    response = client_for(city_viewer).get(f"/evaluation/{published.pk}/report.xlsx")
    workbook = load_workbook(BytesIO(response.content))
    ranking = workbook["综合排名"]
    assert [ranking.cell(3, c).value for c in (1, 2, 4)] == [1, "渝中区", pytest.approx(55)]
    flagged = [row for row in workbook["评价输入"].iter_rows(min_row=3, values_only=True) if row[6] == "缺失"]
    assert [(row[0], row[2]) for row in flagged] == [("江北区", "小巨人（测试：越少越好）")]


def test_a_draft_is_hidden_from_district_staff_and_viewers(client_for, yubei_clerk, draft):
    assert client_for(yubei_clerk).get(f"/evaluation/{draft.pk}/").status_code == 404
    assert client_for(yubei_clerk).get(f"/evaluation/{draft.pk}/report.pdf").status_code == 404


def test_only_municipal_staff_publish(client_for, city_viewer, yubei_clerk, city_staff, draft):
    assert client_for(city_viewer).post(f"/evaluation/{draft.pk}/publish/").status_code == 403
    assert client_for(yubei_clerk).post(f"/evaluation/{draft.pk}/publish/").status_code == 403
    assert not Evaluation.objects.get(pk=draft.pk).is_published
    client_for(city_staff).post(f"/evaluation/{draft.pk}/publish/")
    assert Evaluation.objects.get(pk=draft.pk).is_published


def test_anonymous_visitors_are_sent_to_the_login(client, published):
    response = client.get(f"/evaluation/{published.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sensitivity_moves_the_ranking_when_a_weight_moves(published):
    # With 企业规模 0.6·1.1 = 0.66 against 企业结构 0.4 the overall is (0.66X + 0.4Y) / 1.06:
    # X = 25, 50, 25, 75 and Y = 100, -, 50, 0 (江北 has no Y, so its score stays X = 50)
    size = next(d for d in published.tree["dimensions"] if d["name"] == "企业规模")
    rows = {row["unit"].code: row for row in sensitivity(published, f"d{size['id']}")}
    up = {"500103": (0.66 * 25 + 0.4 * 100) / 1.06, "500105": 50, "500112": (0.66 * 25 + 0.4 * 50) / 1.06,
          "500114": 0.66 * 75 / 1.06}
    expected = sorted(up, key=lambda code: -up[code])
    assert [code for code, _ in sorted(rows.items(), key=lambda item: item[1]["up"])] == expected
    assert rows["500103"]["rank"] == 1


def test_the_sensitivity_page_lists_every_weight(client_for, city_viewer, published):
    page = client_for(city_viewer).get(f"/evaluation/{published.pk}/sensitivity/").content.decode()
    assert "企业规模" in page and "科技型企业数" in page and 'id="sensitivity"' in page


def test_the_api_serves_published_evaluations_and_never_drafts(client_for, city_viewer, published, scheme):
    from evaluation.services import evaluation_create

    draft = evaluation_create(scheme=scheme)
    data = client_for(city_viewer).get("/api/v1/evaluations/").json()
    assert [e["id"] for e in data["results"]] == [published.pk]
    first = data["results"][0]["results"][0]
    assert (first["unit"], first["rank"], first["score"]) == ("500103", 1, pytest.approx(55))
    assert client_for(city_viewer).get(f"/api/v1/evaluations/{draft.pk}/").status_code == 404
