"""figures_save: access, validation, conflicts and history of a unit's quarter."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from districts import signals
from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict
from districts.models import Period, Submission
from districts.services import QuarterWrite, figures_save, figures_save_many, submission_approve, submission_submit
from enterprises.models import EnterpriseFigures
from funds.models import EconomyFigures, Fund, FundFlow

COUNTS = {"enterprises.tech_smes": 1200, "enterprises.specialised_smes": 80, "enterprises.little_giants": 6}


def stored(unit, period):
    return list(EnterpriseFigures.objects.filter(unit=unit, period=period).values())


def test_a_clerk_saves_their_own_open_quarter_and_sees_what_changed(yubei_clerk, yubei, quarter, yubei_submission):
    result = figures_save(user=yubei_clerk, unit=yubei, period=quarter, values=COUNTS)
    assert result.created == 3 and result.updated == 0
    row = EnterpriseFigures.objects.get(unit=yubei, period=quarter)
    assert (row.tech_smes, row.specialised_smes, row.little_giants, row.updated_by) == (1200, 80, 6, yubei_clerk)
    again = figures_save(user=yubei_clerk, unit=yubei, period=quarter,
                         values=COUNTS | {"enterprises.tech_smes": "1,250"}, expected_version=result.version)
    assert (again.updated, again.unchanged) == (1, 2)
    assert again.version == result.version + 1 == Submission.objects.get(pk=yubei_submission.pk).version


def test_a_dry_run_answers_what_the_save_does_and_writes_nothing(city_staff, yubei, quarter, yubei_submission):
    later = Period.objects.get(ordinal=quarter.ordinal + 1)  # a quarter without a submission yet
    figures_save(user=city_staff, unit=yubei, period=quarter, values={"enterprises.tech_smes": 1000})
    writes = [QuarterWrite(yubei, quarter, COUNTS),
              QuarterWrite(yubei, later, COUNTS | {"enterprises.tech_smes": None})]

    def answers(saved):
        return [(s.refusal, s.result.changes, s.result.warnings, s.result.version) for s in saved]

    dry = answers(figures_save_many(user=city_staff, writes=writes, dry_run=True))
    assert stored(yubei, later) == [] and not Submission.objects.filter(unit=yubei, period=later).exists()
    assert EnterpriseFigures.objects.get(unit=yubei, period=quarter).tech_smes == 1000
    assert dry == answers(figures_save_many(user=city_staff, writes=writes))
    assert [changes for _refusal, changes, _warnings, _version in dry] == [
        {"enterprises.tech_smes": "updated", "enterprises.specialised_smes": "updated",
         "enterprises.little_giants": "updated"},
        {"enterprises.tech_smes": "unchanged", "enterprises.specialised_smes": "created",
         "enterprises.little_giants": "created"},
    ]


def test_every_change_is_kept_with_who_and_the_old_and_new_value(yubei_clerk, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 100})
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 120})
    latest, first = EnterpriseFigures.history.filter(unit=yubei, period=quarter).order_by("-history_id")[:2]
    assert (first.tech_smes, latest.tech_smes) == (100, 120)
    assert latest.history_user == yubei_clerk
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "tech_smes"] == [("tech_smes", 100, 120)]


def test_it_refuses_a_clerk_of_another_district(wanzhou_clerk, yubei, quarter, yubei_submission):
    with pytest.raises(AccessDenied):
        figures_save(user=wanzhou_clerk, unit=yubei, period=quarter, values=COUNTS)
    assert stored(yubei, quarter) == []


def test_it_refuses_a_municipal_viewer(city_viewer, yubei, quarter, yubei_submission):
    with pytest.raises(AccessDenied):
        figures_save(user=city_viewer, unit=yubei, period=quarter, values=COUNTS)
    assert stored(yubei, quarter) == []


def test_it_refuses_a_clerk_once_the_quarter_is_submitted(yubei_clerk, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values=COUNTS)
    submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    before = stored(yubei, quarter)
    with pytest.raises(AccessDenied):
        figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 1})
    assert stored(yubei, quarter) == before


def test_it_refuses_a_clerk_in_a_quarter_that_was_never_opened(yubei_clerk, yubei, chongqing):
    period = Period.objects.get_by_code("2026Q4")
    with pytest.raises(AccessDenied):
        figures_save(user=yubei_clerk, unit=yubei, period=period, values=COUNTS)
    assert stored(yubei, period) == []


def test_city_staff_correct_an_approved_quarter_and_the_dashboards_hear_of_it(
    yubei_clerk, city_staff, yubei, quarter, yubei_submission, django_capture_on_commit_callbacks
):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values=COUNTS)
    submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    submission_approve(user=city_staff, submission=yubei_submission)
    heard = []
    signals.approved_figures_changed.connect(lambda **kw: heard.append(kw["unit"]), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            figures_save(user=city_staff, unit=yubei, period=quarter, values={"enterprises.tech_smes": 1201})
    finally:
        signals.approved_figures_changed.disconnect(dispatch_uid="t")
    assert heard == [yubei]
    assert EnterpriseFigures.objects.get(unit=yubei, period=quarter).tech_smes == 1201


def test_a_stale_form_is_refused_and_the_first_save_survives(yubei_clerk, yubei, quarter, yubei_submission):
    opened = Submission.objects.get(pk=yubei_submission.pk).version
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 500},
                 expected_version=opened)
    with pytest.raises(QuarterConflict) as conflict:
        figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 400},
                     expected_version=opened)
    assert "已被他人修改" in str(conflict.value)
    assert EnterpriseFigures.objects.get(unit=yubei, period=quarter).tech_smes == 500


def test_an_error_anywhere_writes_nothing_at_all(yubei_clerk, yubei, quarter, yubei_submission):
    with pytest.raises(FiguresRejected):
        figures_save(user=yubei_clerk, unit=yubei, period=quarter,
                     values={"enterprises.tech_smes": 10, "economy.rd_spending": "-5"})
    assert stored(yubei, quarter) == []
    assert not EconomyFigures.objects.filter(unit=yubei, period=quarter).exists()


def test_fund_money_is_saved_per_fund_by_its_code(yubei_clerk, yubei, quarter, yubei_submission):
    fund = Fund.objects.order_by("order").first()
    key = f"fundflow.{fund.code}.disbursed"
    result = figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={key: "123.45"})
    assert result.changes == {key: "created"}
    assert FundFlow.objects.get(unit=yubei, period=quarter, fund=fund).disbursed == Decimal("123.45")


def test_a_comment_on_a_figure_is_kept_with_the_quarter(yubei_clerk, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 10},
                 notes={"enterprises.tech_smes": "含新入库 3 家"})
    note = yubei_submission.notes.get(figure="enterprises.tech_smes")
    assert (note.kind, note.text, note.author) == ("comment", "含新入库 3 家", yubei_clerk)


def test_saving_a_whole_quarter_reads_the_fund_list_a_fixed_number_of_times(
    yubei_clerk, yubei, quarter, yubei_submission
):
    def fund_reads(values):
        with CaptureQueriesContext(connection) as queries:
            figures_save(user=yubei_clerk, unit=yubei, period=quarter, values=values)
        # the list, not a saved flow's own fund (its history row reads it)
        return sum('FROM "funds_fund"' in query["sql"] and "WHERE" not in query["sql"]
                   for query in queries.captured_queries)

    funds = list(Fund.objects.all())
    one = fund_reads({f"fundflow.{funds[0].code}.received": 10})
    every = fund_reads({f"fundflow.{fund.code}.{field}": 10 for fund in funds for field in ("received", "disbursed")})
    assert len(funds) > 1 and every == one
