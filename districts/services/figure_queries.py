"""Follow-up queries on a figure: the bureau asks, the district answers."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from districts.choices import NoteKind
from districts.exceptions import AccessDenied, TransitionRefused
from districts.models import FigureNote
from districts.registry import sections
from districts.services.access import permission_first, require_municipal_staff
from districts.services.trail import save_tracked
from portal import roles
from portal.querysets import unit_id_of


@permission_first(require_municipal_staff)
@transaction.atomic
def figure_query_raise(*, user, submission, figure: str, text: str) -> FigureNote:
    """Municipal staff flag a figure for follow-up: a question the unit answers."""
    try:
        sections.slot(figure)
    except KeyError:
        raise TransitionRefused(_("没有名为“%(key)s”的填报项。") % {"key": figure}) from None
    if not (text or "").strip():
        raise TransitionRefused(_("请写明需要核实的内容。"))
    note = FigureNote(submission=submission, figure=figure, kind=NoteKind.QUERY, text=text.strip(), author=user)
    save_tracked(note, user)
    return note


@transaction.atomic
def figure_query_answer(*, user, note, answer: str) -> FigureNote:
    """The unit answers a follow-up query (also on a locked quarter: answering changes no figure)."""
    note = FigureNote.objects.select_for_update().select_related("submission").get(pk=note.pk)
    if note.kind != NoteKind.QUERY:
        raise TransitionRefused(_("只能答复核实要求。"))
    own = roles.is_district_staff(user) and unit_id_of(user) == note.submission.unit_id
    if not (own or roles.is_municipal_staff(user)):
        raise AccessDenied(_("只有本单位的填报人员可以答复核实要求。"))
    if not (answer or "").strip():
        raise TransitionRefused(_("请填写答复内容。"))
    note.answer, note.answered_by, note.answered_at = answer.strip(), user, timezone.now()
    save_tracked(note, user)
    return note
