"""The quarterly workflow: submit, approve, return, reopen, and the district's entry access."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from districts import signals
from districts.choices import EDITABLE_STATES, EntryAccess, NoteKind, SubmissionAction, SubmissionState
from districts.exceptions import FiguresRejected, TransitionRefused
from districts.figures import quarter_values
from districts.models import FigureNote, Submission
from districts.registry import sections
from districts.services.access import permission_first, require_municipal_staff, require_own_unit_staff
from districts.services.figures import ExplanationsMissing
from districts.services.trail import locked_submission, record_event, save_tracked
from districts.validation import ERROR, Problem, check_quarter, errors, history_of, warnings


@permission_first(require_municipal_staff)
@transaction.atomic
def submission_set_access(*, user, submission, access: str, comment: str = "") -> Submission:
    """Open or close entry for one unit regardless of the period, or let it follow the period again."""
    if access not in EntryAccess.values:
        choices = "、".join(map(str, EntryAccess.labels))
        raise TransitionRefused(_("填报开放方式应为：%(choices)s。") % {"choices": choices})
    submission = locked_submission(submission)
    submission.access = access
    save_tracked(submission, user)
    action = SubmissionAction.OPEN if submission.is_open_for_entry else SubmissionAction.CLOSE
    label = EntryAccess(access).label
    record_event(submission, action, user, f"{label}{'：' + comment.strip() if comment.strip() else ''}")
    return submission


def _require_state(submission, allowed, doing: str) -> None:
    if submission.state not in allowed:
        raise TransitionRefused(
            _("%(submission)s 当前状态为“%(state)s”，不能%(doing)s。")
            % {"submission": submission, "state": submission.get_state_display(), "doing": doing}
        )


@permission_first(require_own_unit_staff)
@transaction.atomic
@sections.slots_fixed()
def submission_submit(*, user, submission, explanations: dict[str, str] | None = None) -> Submission:
    """Submit a quarter for approval: no errors, and a written explanation for every warning."""
    submission = locked_submission(submission)
    _require_state(submission, EDITABLE_STATES, _("提交"))
    if not submission.is_open_for_entry:
        raise TransitionRefused(
            _("%(submission)s 的填报已关闭，不能提交；如需补报请联系市科技局。") % {"submission": submission}
        )
    stored = history_of(unit_ids=[submission.unit_id], periods=[submission.period])  # the quarter and its history
    if not any(v is not None for v in stored.of(submission.unit_id, submission.period).values()):
        raise FiguresRejected([Problem("", ERROR, "empty", _("本季度尚未填报任何数据，请先填写并保存。"))])
    problems = check_quarter(unit=submission.unit, period=submission.period, values={}, stored=stored)
    if errors(problems):
        raise FiguresRejected(errors(problems))
    explanations = {key: (text or "").strip() for key, text in (explanations or {}).items()}
    missing = [w for w in warnings(problems) if not explanations.get(w.figure)]
    if missing:
        raise ExplanationsMissing(missing)
    for key in {w.figure for w in warnings(problems)}:
        note = FigureNote.objects.filter(submission=submission, figure=key, kind=NoteKind.EXPLANATION).first()
        note = note or FigureNote(submission=submission, figure=key, kind=NoteKind.EXPLANATION)
        note.text, note.author = explanations[key], user
        save_tracked(note, user)
    submission.state, submission.submitted_at = SubmissionState.SUBMITTED, timezone.now()
    save_tracked(submission, user)
    count = len({w.figure for w in warnings(problems)})
    comment = _("附 %(count)s 条情况说明") % {"count": count} if count else ""
    record_event(submission, SubmissionAction.SUBMIT, user, comment)
    return submission


@permission_first(require_municipal_staff)
@transaction.atomic
def submission_approve(*, user, submission) -> Submission:
    """Approve a submitted quarter; its values are kept so later corrections show what changed."""
    submission = locked_submission(submission)
    _require_state(submission, (SubmissionState.SUBMITTED,), _("审核通过"))
    values = quarter_values(unit=submission.unit, period=submission.period)
    submission.state, submission.approved_at = SubmissionState.APPROVED, timezone.now()
    submission.approved_values = {key: None if v is None else str(v) for key, v in values.items()}
    save_tracked(submission, user)
    record_event(submission, SubmissionAction.APPROVE, user)
    signals.quarter_approved.send(sender=Submission, unit=submission.unit, period=submission.period)
    return submission


@permission_first(require_municipal_staff)
@transaction.atomic
def submission_return(*, user, submission, comment: str) -> Submission:
    """Send a submitted quarter back to the unit with what to fix."""
    if not (comment or "").strip():
        raise TransitionRefused(_("退回时请填写退回原因，说明需要修改的内容。"))
    submission = locked_submission(submission)
    _require_state(submission, (SubmissionState.SUBMITTED,), _("退回"))
    submission.state = SubmissionState.RETURNED
    save_tracked(submission, user)
    record_event(submission, SubmissionAction.RETURN, user, comment.strip())
    return submission


@permission_first(require_municipal_staff)
@transaction.atomic
def submission_reopen(*, user, submission, reason: str) -> Submission:
    """Reopen an approved quarter for the unit to correct (entry opened for that unit)."""
    if not (reason or "").strip():
        raise TransitionRefused(_("重新开放已审核的季度时请填写原因。"))
    submission = locked_submission(submission)
    _require_state(submission, (SubmissionState.APPROVED,), _("重新开放"))
    submission.state, submission.access = SubmissionState.DRAFT, EntryAccess.OPEN
    save_tracked(submission, user)
    record_event(submission, SubmissionAction.REOPEN, user, reason.strip())
    signals.quarter_reopened.send(sender=Submission, unit=submission.unit, period=submission.period)
    return submission
