"""The submission workflow: open, submit with explanations, approve, return, reopen, close, per-unit access."""
import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from districts import signals
from districts.choices import EntryAccess, PeriodStatus, SubmissionState
from districts.exceptions import AccessDenied, FiguresRejected, TransitionRefused
from districts.models import Period, Submission, SubmissionEvent, Unit
from districts.services import (
    ExplanationsMissing,
    figures_save,
    period_close,
    period_open,
    periods_close_overdue,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_set_access,
    submission_submit,
)

FINE = {"enterprises.tech_smes": 100, "enterprises.specialised_smes": 10, "enterprises.little_giants": 1}


def reload(submission):
    return Submission.objects.get(pk=submission.pk)


@pytest.fixture
def submitted(yubei_clerk, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values=FINE)
    return submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})


def test_opening_a_quarter_gives_every_unit_that_has_joined_a_draft(city_staff, chongqing):
    period = Period.objects.get_by_code("2026Q4")
    late_joiner = Unit.objects.get(code="500243")
    late_joiner.joined = Period.objects.get_by_code("2027Q1")
    late_joiner.save()
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    created = period_open(user=city_staff, period=period, deadline=deadline)
    assert created == Unit.objects.count() - 1
    assert not Submission.objects.filter(period=period, unit=late_joiner).exists()
    period.refresh_from_db()
    assert (period.status, period.deadline) == (PeriodStatus.OPEN, deadline)
    assert SubmissionEvent.objects.filter(submission__period=period, action="open", actor=city_staff).count() == created
    assert period_open(user=city_staff, period=period, deadline=deadline) == 0  # moving the deadline again


@pytest.mark.parametrize("persona", ["yubei_clerk", "city_viewer"])
def test_only_municipal_staff_open_a_quarter(request, persona, chongqing):
    period = Period.objects.get_by_code("2026Q4")
    with pytest.raises(AccessDenied):
        period_open(user=request.getfixturevalue(persona), period=period, deadline=None)
    assert not Submission.objects.filter(period=period).exists()
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.PLANNED


def test_a_clean_quarter_is_submitted_with_who_and_when(submitted, yubei_clerk):
    assert submitted.state == SubmissionState.SUBMITTED and submitted.submitted_on_time
    event = submitted.events.get(action="submit")
    assert event.actor == yubei_clerk


def test_an_empty_quarter_cannot_be_submitted(yubei_clerk, yubei_submission):
    with pytest.raises(FiguresRejected, match="尚未填报"):
        submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={})
    assert reload(yubei_submission).state == SubmissionState.DRAFT


def test_a_warning_needs_an_explanation_before_submitting(yubei_clerk, yubei, quarter, yubei_submission, record):
    record(yubei, "2026Q2", {"enterprises.tech_smes": 10})
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values={"enterprises.tech_smes": 40})
    with pytest.raises(ExplanationsMissing) as missing:
        submission_submit(user=yubei_clerk, submission=yubei_submission, explanations={"enterprises.tech_smes": " "})
    assert [p.figure for p in missing.value.problems] == ["enterprises.tech_smes"]
    assert reload(yubei_submission).state == SubmissionState.DRAFT
    submission_submit(user=yubei_clerk, submission=yubei_submission,
                      explanations={"enterprises.tech_smes": "本季度集中入库一批企业"})
    assert reload(yubei_submission).state == SubmissionState.SUBMITTED
    note = yubei_submission.notes.get(kind="explanation")
    assert (note.figure, note.text) == ("enterprises.tech_smes", "本季度集中入库一批企业")


def test_a_clerk_of_another_district_cannot_submit(wanzhou_clerk, yubei_clerk, yubei, quarter, yubei_submission):
    figures_save(user=yubei_clerk, unit=yubei, period=quarter, values=FINE)
    with pytest.raises(AccessDenied):
        submission_submit(user=wanzhou_clerk, submission=yubei_submission, explanations={})
    assert reload(yubei_submission).state == SubmissionState.DRAFT


def test_approval_is_recorded_and_announced(submitted, city_staff, django_capture_on_commit_callbacks):
    heard = []
    signals.quarter_approved.connect(lambda **kw: heard.append((kw["unit"], kw["period"])), weak=False,
                                     dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            approved = submission_approve(user=city_staff, submission=submitted)
    finally:
        signals.quarter_approved.disconnect(dispatch_uid="t")
    assert heard == [(approved.unit, approved.period)]
    assert approved.state == SubmissionState.APPROVED and approved.approved_at
    assert approved.approved_values["enterprises.tech_smes"] == "100"
    assert approved.events.filter(action="approve", actor=city_staff).count() == 1


@pytest.mark.parametrize("persona", ["yubei_clerk", "city_viewer", "wanzhou_clerk"])
def test_only_municipal_staff_approve(request, submitted, persona):
    with pytest.raises(AccessDenied):
        submission_approve(user=request.getfixturevalue(persona), submission=submitted)
    assert reload(submitted).state == SubmissionState.SUBMITTED


def test_approving_twice_has_one_effect(submitted, city_staff):
    submission_approve(user=city_staff, submission=submitted)
    with pytest.raises(TransitionRefused, match="已审核通过"):
        submission_approve(user=city_staff, submission=submitted)
    assert submitted.events.filter(action="approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_approving_at_the_same_moment_make_one_approval(city_staff, yubei_clerk, chongqing):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    yubei, period = Unit.objects.get(code="500112"), Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=None)
    submission = Submission.objects.get(unit=yubei, period=period)
    figures_save(user=yubei_clerk, unit=yubei, period=period, values=FINE)
    submission_submit(user=yubei_clerk, submission=submission, explanations={})
    outcomes, barrier = [], threading.Barrier(2)

    def approve():
        barrier.wait()
        try:
            submission_approve(user=city_staff, submission=submission)
            outcomes.append("approved")
        except TransitionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert submission.events.filter(action="approve").count() == 1


def test_returning_needs_a_comment_and_lets_the_unit_edit_again(submitted, city_staff, yubei_clerk):
    with pytest.raises(TransitionRefused, match="退回原因"):
        submission_return(user=city_staff, submission=submitted, comment="  ")
    assert reload(submitted).state == SubmissionState.SUBMITTED
    returned = submission_return(user=city_staff, submission=submitted, comment="高企数与税务口径不一致")
    assert returned.state == SubmissionState.RETURNED and returned.is_open_for_entry
    assert returned.events.get(action="return").comment == "高企数与税务口径不一致"
    figures_save(user=yubei_clerk, unit=returned.unit, period=returned.period, values={"enterprises.high_tech": 3})


def test_an_approved_quarter_is_reopened_only_with_a_reason(submitted, city_staff, yubei_clerk):
    submission_approve(user=city_staff, submission=submitted)
    with pytest.raises(TransitionRefused, match="原因"):
        submission_reopen(user=city_staff, submission=submitted, reason="")
    assert reload(submitted).state == SubmissionState.APPROVED
    reopened = submission_reopen(user=city_staff, submission=submitted, reason="统计局口径调整")
    assert reopened.state == SubmissionState.DRAFT and reopened.is_open_for_entry
    figures_save(user=yubei_clerk, unit=reopened.unit, period=reopened.period, values={"enterprises.tech_smes": 101})


def test_a_draft_cannot_be_reopened_or_returned(yubei_submission, city_staff):
    with pytest.raises(TransitionRefused):
        submission_reopen(user=city_staff, submission=yubei_submission, reason="x")
    with pytest.raises(TransitionRefused):
        submission_return(user=city_staff, submission=yubei_submission, comment="x")
    assert reload(yubei_submission).state == SubmissionState.DRAFT


def test_closing_the_period_locks_the_clerks_out(quarter, city_staff, yubei_clerk, yubei_submission):
    period_close(user=city_staff, period=quarter)
    assert not reload(yubei_submission).is_open_for_entry
    with pytest.raises(AccessDenied):
        figures_save(user=yubei_clerk, unit=yubei_submission.unit, period=quarter, values=FINE)
    with pytest.raises(TransitionRefused):
        period_close(user=city_staff, period=quarter)


def test_a_period_past_its_deadline_is_closed_by_the_schedule_and_every_unit_sees_why(
    quarter, yubei_clerk, yubei_submission
):
    today = timezone.localdate()
    quarter.deadline = today
    quarter.save()
    assert periods_close_overdue(today=today) == []  # the deadline day itself is still open
    assert not SubmissionEvent.objects.filter(submission__period=quarter, action="close").exists()

    assert periods_close_overdue(today=today + datetime.timedelta(days=1)) == ["2026Q3"]
    closed = SubmissionEvent.objects.filter(submission__period=quarter, action="close")
    assert closed.count() == Submission.objects.filter(period=quarter).count() > 0
    assert {(event.actor, today.isoformat() in event.comment) for event in closed} == {(None, True)}
    latest = Period.objects.get(pk=quarter.pk).history.first()
    assert (latest.status, latest.history_user) == (PeriodStatus.CLOSED, None)
    assert not reload(yubei_submission).is_open_for_entry
    with pytest.raises(AccessDenied):
        figures_save(user=yubei_clerk, unit=yubei_submission.unit, period=quarter, values=FINE)
    assert periods_close_overdue(today=today + datetime.timedelta(days=1)) == []  # closed once


def test_city_staff_open_and_close_one_unit_regardless_of_the_period(
    quarter, city_staff, yubei_clerk, yubei_submission
):
    period_close(user=city_staff, period=quarter)
    opened = submission_set_access(user=city_staff, submission=yubei_submission, access=EntryAccess.OPEN)
    assert opened.is_open_for_entry and opened.events.last().action == "open"
    figures_save(user=yubei_clerk, unit=opened.unit, period=quarter, values=FINE)
    closed = submission_set_access(user=city_staff, submission=yubei_submission, access=EntryAccess.CLOSED)
    assert not closed.is_open_for_entry and closed.events.last().action == "close"
    with pytest.raises(AccessDenied):
        submission_set_access(user=yubei_clerk, submission=yubei_submission, access=EntryAccess.OPEN)
    assert reload(yubei_submission).access == EntryAccess.CLOSED


def test_only_city_staff_raise_a_query_and_only_the_unit_answers_it(
    city_staff, yubei_clerk, wanzhou_clerk, city_viewer, yubei_submission
):
    from districts.models import FigureNote
    from districts.services import figure_query_answer, figure_query_raise

    for outsider in (yubei_clerk, city_viewer):
        with pytest.raises(AccessDenied):
            figure_query_raise(user=outsider, submission=yubei_submission, figure="enterprises.high_tech", text="?")
    assert not FigureNote.objects.exists()
    with pytest.raises(TransitionRefused, match="enterprises.nothing"):
        figure_query_raise(user=city_staff, submission=yubei_submission, figure="enterprises.nothing", text="?")
    query = figure_query_raise(user=city_staff, submission=yubei_submission, figure="enterprises.high_tech",
                               text="请核对高企名单")
    for outsider in (wanzhou_clerk, city_viewer):
        with pytest.raises(AccessDenied):
            figure_query_answer(user=outsider, note=query, answer="x")
    assert FigureNote.objects.get(pk=query.pk).answered_at is None
    figure_query_answer(user=yubei_clerk, note=query, answer="已核对")
    assert FigureNote.objects.get(pk=query.pk).answer == "已核对"
