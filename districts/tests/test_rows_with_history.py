"""The figure rows and submissions a save writes in bulk, each with a history row that holds what was stored."""
import pytest

from conftest import make_user
from districts import rows_with_history
from districts.exceptions import FiguresRejected
from districts.models import Period, Submission, Unit
from districts.services import QuarterWrite, figures_save, figures_save_many
from enterprises.models import EnterpriseFigures
from funds.models import Fund, FundFlow
from portal import roles

TECH = "enterprises.tech_smes"


@pytest.fixture
def quarter(chongqing):
    """A past quarter with no submission yet: municipal staff's first correction creates it."""
    return Period.objects.get_by_code("2026Q2")


def tracked(history_row) -> dict:
    """The history row's copy of the model's fields."""
    return {field.attname: getattr(history_row, field.attname) for field in type(history_row).tracked_fields}


def as_stored(row) -> dict:
    return {field.attname: getattr(row, field.attname) for field in type(row)._meta.concrete_fields}


# A few rows go through one INSERT or UPDATE, many through COPY on PostgreSQL: both keep the rule.
@pytest.mark.parametrize("few_rows", [50, 0], ids=["statements", "copy"])
def test_each_save_adds_one_history_row_per_written_row_equal_to_the_row_as_stored(city_staff, yubei, quarter,
                                                                                   few_rows, monkeypatch):
    monkeypatch.setattr(rows_with_history, "FEW_ROWS", few_rows)
    fund = Fund.objects.first()
    money = f"fundflow.{fund.code}.received"
    figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 100, money: "12.5"})
    figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 120})
    for model, kinds in ((EnterpriseFigures, ["+", "~"]), (FundFlow, ["+"]), (Submission, ["+", "~"])):
        row = model.objects.get(unit=yubei, period=quarter)
        history = list(model.history.filter(id=row.pk).order_by("history_id"))
        assert [h.history_type for h in history] == kinds, model
        assert {h.history_user for h in history} == {city_staff}
        assert tracked(history[-1]) == as_stored(row)
    first, latest = EnterpriseFigures.history.filter(unit=yubei, period=quarter).order_by("history_id")
    assert (first.tech_smes, first.version, latest.tech_smes, latest.version) == (100, 1, 120, 2)
    assert Submission.history.filter(unit=yubei, period=quarter).latest("history_id").version == \
        Submission.objects.get(unit=yubei, period=quarter).version


def test_a_count_beyond_its_column_is_refused_by_the_validation_and_nothing_is_written(city_staff, yubei, quarter):
    """The model field's own range is a rule of the validation: the rows are staged without the field's validators."""
    with pytest.raises(FiguresRejected) as refused:  # 2**63 is beyond the integer column of every backend
        figures_save(user=city_staff, unit=yubei, period=quarter, values={TECH: 2**63})
    [problem] = refused.value.problems
    assert problem.code == "too_large" and "科技型企业" in problem.message
    assert not EnterpriseFigures.objects.filter(unit=yubei, period=quarter).exists()
    assert not EnterpriseFigures.history.filter(unit=yubei, period=quarter).exists()
    assert not Submission.objects.filter(unit=yubei, period=quarter).exists()


@pytest.mark.parametrize("few_rows", [50, 0], ids=["statements", "copy"])
def test_quarters_saved_together_each_get_their_own_new_submission(city_staff, quarter, few_rows, monkeypatch):
    """Many new quarters saved at once (an import's chunk): each result holds the submission created for its own
    unit's quarter, with that quarter's history."""
    monkeypatch.setattr(rows_with_history, "FEW_ROWS", few_rows)
    units = list(Unit.objects.order_by("-code"))  # not in the order of their ids
    saved = figures_save_many(user=city_staff, writes=[
        QuarterWrite(unit, quarter, {TECH: 10 + index}) for index, unit in enumerate(units)])
    for index, (unit, outcome) in enumerate(zip(units, saved, strict=True)):
        submission = Submission.objects.get(pk=outcome.submission.pk)
        assert (submission.unit, submission.period) == (unit, quarter)
        assert EnterpriseFigures.objects.get(unit=unit, period=quarter).tech_smes == 10 + index
        assert [h.history_type for h in Submission.history.filter(id=submission.pk)] == ["+"]


def test_deleting_a_user_keeps_the_figures_they_saved_without_their_name(chongqing, yubei, quarter):
    """Who saved a row, and who wrote each history row, are kept without a database constraint: the user's deletion
    still clears them, and the figures and their history stay."""
    leaver = make_user("leaver", roles.MUNICIPAL_STAFF)
    figures_save(user=leaver, unit=yubei, period=quarter, values={TECH: 100})
    leaver.delete()
    row = EnterpriseFigures.objects.get(unit=yubei, period=quarter)
    assert (row.tech_smes, row.updated_by_id) == (100, None)
    assert [h.history_user_id for h in EnterpriseFigures.history.filter(id=row.pk)] == [None]
    assert [h.history_user_id for h in Submission.history.filter(unit=yubei, period=quarter)] == [None]
