"""A published report shows the method it was computed with, and only that: on the page, in the PDF, the
workbook and the API, whatever happens to its scheme afterwards. Expectations are worked by hand."""
import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluation.models import Dimension, Evaluation, Scheme, SchemeIndicator
from evaluation.sensitivity import sensitivity, weight_choices
from evaluation.tests.conftest import pdf_text


def flat(text: str) -> str:
    """Text without white space: PDF extraction breaks lines and drops spaces where it likes."""
    return re.sub(r"\s+", "", text)


def everything_shown(client, evaluation) -> dict:
    """The report as each channel shows it: page, PDF text, workbook method sheet, API record."""
    book = load_workbook(BytesIO(client.get(f"/evaluation/{evaluation.pk}/report.xlsx").content))
    return {
        "page": client.get(f"/evaluation/{evaluation.pk}/").content.decode(),
        "pdf": flat(pdf_text(client.get(f"/evaluation/{evaluation.pk}/report.pdf").content)),
        "xlsx": "\n".join(str(v) for row in book["评价方法"].iter_rows(values_only=True) for v in row if v is not None),
        "api": client.get(f"/api/v1/evaluations/{evaluation.pk}/").json(),
    }


def edit_the_scheme_after_publication(scheme):
    Scheme.objects.filter(pk=scheme.pk).update(name="改名后的方案", normalisation="zscore", missing_rule="zero")
    Dimension.objects.filter(scheme=scheme, name="企业规模").update(name="规模改名", weight=Decimal("0.5"))
    Dimension.objects.filter(scheme=scheme, name="企业结构").update(weight=Decimal("0.5"))


def test_editing_the_scheme_after_publication_changes_nothing_the_report_shows(
    client_for, city_viewer, published, scheme
):
    client = client_for(city_viewer)
    before = everything_shown(client, published)
    edit_the_scheme_after_publication(scheme)
    after = everything_shown(client, published)

    for channel in ("page", "pdf", "xlsx"):
        text = flat(after[channel])
        assert "极差标准化（0–100）" in text and "剔除缺失项并按剩余权重重新分配" in text, channel
        assert "Z分数" not in text and "缺失项记零分" not in text, channel
        assert "改名后的方案" not in text and "规模改名" not in text, channel
    assert "测试方案（2025年）区县科技创新评价报告" in after["page"] and "测试方案（2025年）区县" in after["pdf"]
    assert after["page"].count("企业规模") == before["page"].count("企业规模")
    assert after["api"] == before["api"]
    assert (after["api"]["scheme"], after["api"]["normalisation"], after["api"]["missing_rule"]) == (
        "测试方案", "minmax", "reweight")
    assert [d["weight"] for d in after["api"]["weights"]["dimensions"]] == [0.6, 0.4]
    listed = client.get("/evaluation/").content.decode()
    assert "测试方案（2025） 第1版" in listed and "改名后的方案" not in listed


def test_sensitivity_keeps_the_missing_rule_the_evaluation_was_computed_with(published, scheme):
    # 企业规模 up 10%: overall = (0.66X + 0.4Y) / 1.06 with X = 25, 50, 25, 75 and Y = 100, -, 50, 0.
    # Leaving 江北's missing Y out (the frozen rule) keeps it at X = 50: 渝中 53.3, 江北 50, 黔江 46.7, 渝北 34.4.
    # Scoring it zero (the scheme's rule after the edit) would give 江北 0.66 × 50 / 1.06 = 31.1, last.
    edit_the_scheme_after_publication(scheme)
    size = next(d for d in published.tree["dimensions"] if d["name"] == "企业规模")
    rows = {row["unit"].code: row["up"] for row in sensitivity(Evaluation.objects.get(pk=published.pk),
                                                                f"d{size['id']}")}
    assert rows == {"500103": 1, "500105": 2, "500114": 3, "500112": 4}


def test_the_publication_date_is_the_shanghai_date_on_page_pdf_and_api(client_for, city_viewer, published):
    # 17:30 UTC on 15 January is 01:30 on 16 January in Shanghai (UTC+8).
    Evaluation.objects.filter(pk=published.pk).update(
        published_at=datetime.datetime(2025, 1, 15, 17, 30, tzinfo=datetime.UTC))
    shown = everything_shown(client_for(city_viewer), published)
    assert "已发布 2025-01-16" in shown["page"]
    assert "2025年01月16日发布" in shown["pdf"]
    assert shown["api"]["published_at"].startswith("2025-01-16T01:30:00+08:00")


def test_the_report_states_its_method_with_the_units_the_missing_rule_touched(client_for, city_viewer, published):
    shown = everything_shown(client_for(city_viewer), published)
    for channel in ("page", "pdf", "xlsx"):
        text = flat(shown[channel])
        assert flat("标准化得分 = (x - 最小值) ÷ (最大值 - 最小值) × 100") in text, channel
        assert "极差标准化使每个单位的得分都取决于该指标最好和最差的单位" in text, channel
        assert "江北区（小巨人（测试：越少越好））" in text, channel  # the one unit with a missing input
        assert flat("名次相同，其后名次顺延（如 1、2、2、4）") in text, channel
        # recognition_count 2: the top 2 − 1 = 1 unit, plus the biggest riser by 3 places or else the 2nd
        rule = "建议名单至多 2 个单位：综合排名前 1 位，另加较上期名次上升最多且至少上升 3 位的 1 个单位"
        assert flat(rule) in text, channel
    page = shown["page"]
    assert "越低越好" in page and "2025Q4 季末存量：科技型企业" in page


def test_the_appendix_lists_every_units_inputs_on_the_page_and_in_the_pdf(client_for, city_viewer, published):
    client = client_for(city_viewer)
    page = client.get(f"/evaluation/{published.pk}/").content.decode()
    appendix = page[page.index('id="inputs"'):]
    # 江北区 reported 30 tech SMEs, 5 high-tech enterprises and no little giants
    row = appendix[appendix.index("江北区"):].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[1:4]] == ["30", "5", "缺失"]
    cells = pdf_text(client.get(f"/evaluation/{published.pk}/report.pdf").content).split("\n")
    at = len(cells) - 1 - cells[::-1].index("江北区")  # the appendix comes last
    assert cells[at: at + 4] == ["江北区", "30", "5", "缺失"]


def test_a_statistician_recomputes_every_score_from_what_the_api_publishes(client_for, city_viewer, published):
    data = client_for(city_viewer).get(f"/api/v1/evaluations/{published.pk}/").json()
    assert data["method"]["normalisation"] == "极差标准化（0–100）"
    values: dict = {}
    for item in data["inputs"]:
        values.setdefault(item["input"], {})[item["unit"]] = item["value"]
    # min–max on the units that have a value, reversed where lower is better; missing inputs left out
    # and the weights of the rest scaled up: a second, plain implementation of the stated method.
    scores: dict = {}
    for dimension in data["weights"]["dimensions"]:
        for leaf in dimension["indicators"]:
            column = {u: v for u, v in values[leaf["id"]].items() if v is not None}
            low, high = min(column.values()), max(column.values())
            for unit, value in column.items():
                score = (value - low) / (high - low) * 100
                scores.setdefault(unit, {})[leaf["id"]] = 100 - score if leaf["reversed"] else score

    def mean(parts):
        parts = [(w, s) for w, s in parts if s is not None]
        return sum(w * s for w, s in parts) / sum(w for w, _ in parts) if parts else None

    for result in data["results"]:
        mine = scores.get(result["unit"], {})
        by_dimension = [(d["weight"], mean([(leaf["weight"], mine.get(leaf["id"])) for leaf in d["indicators"]]))
                        for d in data["weights"]["dimensions"]]
        assert result["score"] == pytest.approx(mean(by_dimension)), result["unit_name"]


def test_a_weight_alone_on_its_level_is_not_offered_and_the_page_says_why(client_for, city_viewer, published):
    # 企业结构 holds one indicator: its weight 1 moved to 1.1 is renormalised to 1.1 / 1.1 = 1, a no-op.
    tree = {d["name"]: d for d in published.tree["dimensions"]}
    size, shape = tree["企业规模"], tree["企业结构"]
    assert [value for value, _ in weight_choices(published)] == [
        f"d{size['id']}", *[f"i{leaf['id']}" for leaf in size["indicators"]], f"d{shape['id']}"]
    assert dict(weight_choices(published))[f"d{shape['id']}"] == "企业结构（0.4）：小巨人（测试：越少越好）"
    page = client_for(city_viewer).get(f"/evaluation/{published.pk}/sensitivity/").content.decode()
    assert "重新归一仍为 1，任何得分都不会变化" in page and "企业结构 · 小巨人（测试：越少越好）" in page
    lone = shape["indicators"][0]["id"]
    assert f'value="i{lone}"' not in page


def test_a_scheme_of_one_dimension_offers_only_its_indicators():
    tree = {"dimensions": [{"id": 1, "name": "企业规模", "weight": 1.0, "indicators": [
        {"id": 11, "name": "科技型企业数", "weight": 0.75, "reversed": False},
        {"id": 12, "name": "高新技术企业数", "weight": 0.25, "reversed": False}]}]}
    assert [value for value, _ in weight_choices(Evaluation(tree=tree))] == ["i11", "i12"]


def test_the_smallest_move_of_the_best_unit_that_changes_the_recommendations_is_found(published):
    from evaluation.extremes import extreme_moves

    # Recommended now: 渝中 55 and 江北 50 (黔江 45 is third). 黔江 holds the most tech SMEs (50; 渝中 10 the
    # fewest). Raising it to v stretches the range: 江北's tech score becomes 20 / (v − 10) × 100 and its
    # overall (no little-giants input) 0.75 × that + 0.25 × 50. That drops below 黔江's unchanged 45 once
    # 2000 / (v − 10) < 43.33, i.e. v > 56.15: 57 enterprises, the first whole number, swaps 江北 for 黔江.
    moves = {(m.leaf["code"], m.best): m for m in extreme_moves(published)}
    best = moves["tech_smes", True]
    assert (best.unit.name, best.value, best.moved_to) == ("黔江区", 50, 57)
    assert (best.entering, best.leaving) == (["黔江区"], ["江北区"])
    assert best.relative == pytest.approx(14)


def test_the_sensitivity_page_shows_how_far_the_extremes_must_move(client_for, city_viewer, published):
    page = client_for(city_viewer).get(f"/evaluation/{published.pk}/sensitivity/").content.decode()
    table = page[page.index('id="extremes"'):]
    assert "黔江区" in table and "57" in table and "入选：黔江区" in table and "落选：江北区" in table


def test_an_indicator_swapped_in_the_scheme_after_publication_keeps_its_frozen_name(
    client_for, city_viewer, published, scheme
):
    from indicators.models import Indicator

    SchemeIndicator.objects.filter(dimension__scheme=scheme, indicator__code="tech_smes").update(
        indicator=Indicator.objects.get(code="specialised_smes"))
    page = client_for(city_viewer).get(f"/evaluation/{published.pk}/").content.decode()
    tree = page[page.index('id="method-tree"'):page.index('id="appendix"')]
    assert "科技型企业数" in tree and "专精特新中小企业数" not in tree
