"""check_quarter: each rule, with the message naming the field and what would be accepted."""
import pytest

from districts.models import Period
from districts.validation import MIN_HISTORY, OUTLIER_FACTOR, check_quarter


def codes(problems):
    return {(p.figure, p.level, p.code) for p in problems}


@pytest.fixture
def q3(quarter):
    return quarter


@pytest.mark.parametrize(
    "key, raw, code",
    [
        ("enterprises.tech_smes", -1, "negative"),
        ("economy.rd_spending", "-0.5", "negative"),
        ("enterprises.high_tech", "12.5", "not_integer"),
        ("enterprises.high_tech", "十二", "invalid"),
        ("economy.gdp", "1.234", "too_many_decimals"),
        ("enterprises.tech_smes", "1E+999999", "too_large"),  # refused before it is made an integer (it takes long)
        ("economy.gdp", "-1E+999999", "negative"),
        ("enterprises.nonsense", 1, "unknown"),
    ],
)
def test_a_bad_value_is_an_error(yubei, q3, key, raw, code):
    problems = check_quarter(unit=yubei, period=q3, values={key: raw})
    assert (key, "error", code) in codes(problems)


def test_the_message_names_the_field_and_says_what_is_accepted(yubei, q3):
    [problem] = check_quarter(unit=yubei, period=q3, values={"enterprises.high_tech": "12.5"})
    assert "高新技术企业（有效数）" in problem.message and "整数" in problem.message


def test_little_giants_may_not_outnumber_specialised_smes(yubei, q3):
    problems = check_quarter(unit=yubei, period=q3,
                             values={"enterprises.specialised_smes": 5, "enterprises.little_giants": 6})
    [problem] = problems
    assert problem.code == "giants_over_specialised" and "5" in problem.message
    assert check_quarter(unit=yubei, period=q3,
                         values={"enterprises.specialised_smes": 6, "enterprises.little_giants": 6}) == []


def test_the_stored_value_counts_when_only_one_side_is_sent(yubei, q3, record):
    record(yubei, "2026Q3", {"enterprises.specialised_smes": 5})
    assert {p.code for p in check_quarter(unit=yubei, period=q3, values={"enterprises.little_giants": 9})} == {
        "giants_over_specialised"
    }


def test_a_year_to_date_flow_may_not_fall_within_the_year(yubei, q3, record):
    record(yubei, "2026Q2", {"economy.rd_spending": "500"})
    problems = check_quarter(unit=yubei, period=q3, values={"economy.rd_spending": "499.99"})
    assert codes(problems) == {("economy.rd_spending", "error", "ytd_decrease")}
    assert "500" in problems[0].message


def test_a_year_to_date_flow_starts_again_in_the_first_quarter(yubei, record, chongqing):
    record(yubei, "2025Q4", {"economy.rd_spending": "2000"})
    q1 = Period.objects.get_by_code("2026Q1")
    assert "ytd_decrease" not in {p.code for p in check_quarter(unit=yubei, period=q1,
                                                                values={"economy.rd_spending": "400"})}


def test_a_zone_figure_is_refused_for_a_unit_without_a_high_tech_zone(yubei, q3, chongqing):
    assert not yubei.has_high_tech_zone
    problems = check_quarter(unit=yubei, period=q3, values={"economy.zone_output": "10"})
    assert codes(problems) == {("economy.zone_output", "error", "zone_only")}
    assert "渝北区" in problems[0].message


def test_a_zone_figure_is_fine_for_a_unit_with_a_zone(q3, chongqing):
    from districts.models import Unit

    zone_unit = Unit.objects.filter(has_high_tech_zone=True).first()
    assert check_quarter(unit=zone_unit, period=q3, values={"economy.zone_output": "10"}) == []


def test_a_jump_of_more_than_half_is_a_warning(yubei, q3, record):
    record(yubei, "2026Q2", {"enterprises.tech_smes": 100})
    assert check_quarter(unit=yubei, period=q3, values={"enterprises.tech_smes": 150}) == []
    [problem] = check_quarter(unit=yubei, period=q3, values={"enterprises.tech_smes": 151})
    assert (problem.level, problem.code) == ("warning", "jump")
    assert "51%" in problem.message and "说明" in problem.message
    [drop] = check_quarter(unit=yubei, period=q3, values={"enterprises.tech_smes": 49})
    assert "下降" in drop.message


def test_a_flow_jump_compares_the_quarter_own_amounts(yubei, q3, record):
    # Q1 100, Q2 200 (own 100); Q3 own amount 100 is steady, 160 is +60%.
    record(yubei, "2026Q1", {"economy.rd_spending": "100"})
    record(yubei, "2026Q2", {"economy.rd_spending": "200"})
    assert check_quarter(unit=yubei, period=q3, values={"economy.rd_spending": "300"}) == []
    assert codes(check_quarter(unit=yubei, period=q3, values={"economy.rd_spending": "360"})) == {
        ("economy.rd_spending", "warning", "jump")
    }


def test_a_value_far_outside_the_units_history_is_a_warning(yubei, q3, record):
    # 2026Q2 was not reported, so there is no quarter-on-quarter jump to speak of: the history speaks.
    history = {"2025Q2": 100, "2025Q3": 80, "2025Q4": 120, "2026Q1": 100}
    assert len(history) >= MIN_HISTORY
    for code, value in history.items():
        record(yubei, code, {"enterprises.high_tech": value})
    highest, lowest = max(history.values()), min(history.values())
    assert check_quarter(unit=yubei, period=q3, values={"enterprises.high_tech": highest * OUTLIER_FACTOR}) == []
    problems = check_quarter(unit=yubei, period=q3, values={"enterprises.high_tech": highest * OUTLIER_FACTOR + 1})
    assert codes(problems) == {("enterprises.high_tech", "warning", "outlier")}
    assert f"{lowest}–{highest}" in problems[0].message


def test_one_warning_per_figure_the_jump_said_first(yubei, q3, record):
    for code, value in {"2025Q3": 100, "2025Q4": 100, "2026Q1": 100, "2026Q2": 100}.items():
        record(yubei, code, {"enterprises.high_tech": value})
    problems = check_quarter(unit=yubei, period=q3, values={"enterprises.high_tech": 1000})
    assert codes(problems) == {("enterprises.high_tech", "warning", "jump")}


def test_a_flow_jump_message_quotes_the_year_to_date_figures_and_the_quarterly_amounts_it_compares(
    yubei, q3, record
):
    # The page shows the year-to-date figures 420.95 (Q1), 691.71 (Q2) and 1207.87 (Q3); the rule compares
    # the quarters' own amounts: Q3 1207.87 − 691.71 = 516.16 against Q2 691.71 − 420.95 = 270.76, +91%.
    record(yubei, "2026Q1", {"economy.rd_spending": "420.95"})
    record(yubei, "2026Q2", {"economy.rd_spending": "691.71"})
    [problem] = check_quarter(unit=yubei, period=q3, values={"economy.rd_spending": "1207.87"})
    assert problem.code == "jump"
    for shown in ("1207.87", "691.71", "420.95", "516.16", "270.76", "91%", "2026Q3", "2026Q2", "单季发生额"):
        assert shown in problem.message, shown
    assert problem.message.index("516.16") < problem.message.index("270.76")


def test_a_first_quarter_flow_is_its_own_amount_in_the_message(yubei, record, chongqing):
    # 2025: Q3 300 and Q4 400 year to date, so Q4's own amount is 100; 2026Q1 reports 180 (+80%).
    record(yubei, "2025Q3", {"economy.rd_spending": "300"})
    record(yubei, "2025Q4", {"economy.rd_spending": "400"})
    [problem] = check_quarter(unit=yubei, period=Period.objects.get_by_code("2026Q1"),
                              values={"economy.rd_spending": "180"})
    assert "2026Q1 累计 180" in problem.message and "2025Q4 累计 400 − 2025Q3 累计 300" in problem.message
    assert "80%" in problem.message
