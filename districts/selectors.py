"""Reads for the quarter pages: each figure beside its history, the change log, the completeness of a period."""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from districts.choices import NoteKind, SubmissionAction, SubmissionState
from districts.figures import values_by_period
from districts.models import Membership, Period, Submission, SubmissionEvent
from districts.registry import Section, Slot, sections
from districts.validation import Problem


@dataclass
class FigureLine:
    """One line of the quarter page: a slot with this quarter's value and what to compare it with."""

    slot: Slot
    value: Decimal | None
    previous: Decimal | None
    last_year: Decimal | None
    approved: str | None = None  # the value at approval, when it has changed since
    changed_since_approval: bool = False
    problems: list[Problem] = field(default_factory=list)
    notes: list = field(default_factory=list)
    entered: str | None = None  # what the person typed, shown again when the save was refused
    hint: str = ""

    @property
    def shown(self):
        return self.entered if self.entered is not None else self.value

    @property
    def shows_unit(self) -> bool:
        return self.slot.figure.unit_label not in self.slot.label

    @property
    def has_error(self) -> bool:
        return any(p.is_error for p in self.problems)

    @property
    def needs_explanation(self) -> bool:
        return any(not p.is_error for p in self.problems)

    @property
    def change(self) -> Decimal | None:
        """Percent change on the previous quarter (stocks) or on the same quarter last year (year-to-date flows)."""
        base = self.previous if self.slot.figure.kind == "stock" else self.last_year
        if self.value is None or not base:
            return None
        return (self.value - base) / abs(base) * 100

    @property
    def comment(self) -> str:
        return next((n.text for n in self.notes if n.kind == NoteKind.COMMENT), "")

    @property
    def explanation(self) -> str:
        return next((n.text for n in self.notes if n.kind == NoteKind.EXPLANATION), "")

    @property
    def queries(self) -> list:
        return [n for n in self.notes if n.kind == NoteKind.QUERY]


@dataclass
class SectionBlock:
    section: Section
    lines: list[FigureLine]
    extra: dict = field(default_factory=dict)  # the context of a section that renders its own template


def quarter_blocks(*, submission, user, problems: list[Problem] = (), posted: dict | None = None) -> list[SectionBlock]:
    """Every registered section of a unit's quarter, each figure with last quarter and last year beside it."""
    unit, period = submission.unit, submission.period
    previous, last_year = period.shifted(-1), period.shifted(-4)
    periods = [p for p in (period, previous, last_year) if p]
    values = values_by_period(unit=unit, periods=periods)
    now = values.get(period.pk, {})
    before = values.get(previous.pk, {}) if previous else {}
    year_ago = values.get(last_year.pk, {}) if last_year else {}
    approved = submission.approved_values or {}
    notes = list(submission.notes.all())
    blocks = []
    for section in sections:
        lines = []
        hints = section.hints(unit=unit, period=period) if section.hints else {}
        for slot in section.slots():
            line = FigureLine(slot, now.get(slot.key), before.get(slot.key), year_ago.get(slot.key))
            line.hint = hints.get(slot.key, "")
            if submission.approved_values is not None and submission.state != SubmissionState.APPROVED:
                was = approved.get(slot.key)
                line.approved = was
                line.changed_since_approval = (None if was is None else Decimal(was)) != line.value
            line.problems = [p for p in problems if p.figure == slot.key]
            line.notes = [n for n in notes if n.figure == slot.key]
            line.entered = (posted or {}).get(slot.key)
            lines.append(line)
        extra = section.context(unit=unit, period=period, user=user) if section.context else {}
        blocks.append(SectionBlock(section, lines, extra))
    return blocks


@dataclass
class HistoryEntry:
    at: object
    user: object
    label: str
    old: object
    new: object


def figure_history(*, unit, period) -> list[HistoryEntry]:
    """Who changed which figure of the quarter, when, from what to what (newest first)."""
    entries = []
    for section in sections:
        if not section.figures:
            continue
        records = list(section.model.history.filter(unit=unit, period=period).order_by("history_date", "history_id"))
        last_by_row = {}
        for record in records:
            row_id = record.id
            earlier = last_by_row.get(row_id)
            for figure in section.figures:
                old = getattr(earlier, figure.field) if earlier else None
                new = getattr(record, figure.field)
                if old == new:
                    continue
                label = section.verbose_name(figure)
                if section.row_field:
                    label = f"{getattr(record, section.row_field)} · {label}"
                entries.append(HistoryEntry(record.history_date, record.history_user, label, old, new))
            last_by_row[row_id] = record
    return sorted(entries, key=lambda e: e.at, reverse=True)


@dataclass
class Completeness:
    period: Period
    rows: list[Submission]
    by_state: Counter
    by_group: list[tuple[object, Counter]]
    missing: list[Submission]


def period_completeness(*, user, period) -> Completeness:
    """Every unit's state for a period, submitted on time or late, counts by group, and who has not yet submitted."""
    rows = list(
        Submission.objects.restrict(user, "view").filter(period=period)
        .select_related("unit", "unit__group", "period").order_by("unit__group__order", "unit__order")
    )
    by_group: dict = {}
    for submission in rows:
        counter = by_group.setdefault(submission.unit.group, Counter())
        counter[submission.state] += 1
        counter["total"] += 1
        if submission.submitted_at and submission.submitted_on_time is False:
            counter["late"] += 1
    missing = [s for s in rows if s.state in (SubmissionState.DRAFT, SubmissionState.RETURNED)]
    contacts: dict[int, list] = {}
    for membership in Membership.objects.filter(unit__in=[s.unit_id for s in missing]).select_related("user"):
        contacts.setdefault(membership.unit_id, []).append(membership.user)
    for submission in missing:
        submission.contacts = contacts.get(submission.unit_id, [])
    return Completeness(period, rows, Counter(s.state for s in rows), list(by_group.items()), missing)



def return_event(submission) -> SubmissionEvent | None:
    """Why, by whom and when a returned quarter was sent back: the latest return, while it is still returned."""
    if submission is None or submission.state != SubmissionState.RETURNED:
        return None
    return (SubmissionEvent.objects.filter(submission=submission, action=SubmissionAction.RETURN)
            .select_related("actor").order_by("-at", "-pk").first())
