"""A quarter's figures: one write path for the form, the admin, the import and the API (`figures_save_many`)."""
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from districts import signals
from districts.choices import NoteKind, SubmissionState
from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict, QuarterNotEditable
from districts.figures import StoredQuarters
from districts.id_lists import PairIn
from districts.models import FigureNote, Period, Submission, Unit
from districts.registry import sections
from districts.rows_with_history import HISTORY_CHANGED, add_history, insert_with_history, update_with_history
from districts.services.access import editable_quarters, permission_first, require_figure_entry
from districts.services.trail import hold_periods, save_tracked
from districts.validation import Problem, errors, history_of, parse_values, quarter_check, warnings

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_NEW_VERSION = Submission._meta.get_field("version").default  # a new quarter's submission before its first save


@dataclass(frozen=True)
class QuarterWrite:
    """Values for one unit's quarter, as `figures_save` takes them."""

    unit: Unit
    period: Period
    values: dict[str, Any]
    expected_version: int | None = None


class ExplanationsMissing(FiguresRejected):
    """Submitting needs a written explanation for each of these warnings."""


@dataclass
class SaveResult:
    changes: dict[str, str] = field(default_factory=dict)  # value key -> created / updated / unchanged
    warnings: list[Problem] = field(default_factory=list)
    version: int = 1

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.changes.values() if value == outcome)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)


@dataclass
class QuarterSaved:
    """What became of one `QuarterWrite`: its result, or the refusal `figures_save` would raise."""

    write: QuarterWrite
    result: SaveResult | None = None
    submission: Submission | None = None  # None as well for a new quarter in a dry run
    refusal: AccessDenied | QuarterConflict | FiguresRejected | None = None




def _save_comments(*, user, submission, notes: dict[str, str]) -> None:
    for key, text in notes.items():
        text = (text or "").strip()
        existing = FigureNote.objects.filter(submission=submission, figure=key, kind=NoteKind.COMMENT).first()
        if not text:
            if existing:
                existing.delete()
            continue
        if existing and existing.text == text:
            continue
        note = existing or FigureNote(submission=submission, figure=key, kind=NoteKind.COMMENT)
        note.text, note.author = text, user
        save_tracked(note, user)


@permission_first(require_figure_entry)
@transaction.atomic
def figures_save(
    *, user, unit, period, values: dict[str, Any], notes: dict[str, str] | None = None,
    expected_version: int | None = None,
) -> SaveResult:
    """Save part or all of a unit's quarter: check access, validate, refuse a stale form, write, bump the version."""
    if unknown := parse_values(dict.fromkeys(notes or {}))[1]:  # a note on a figure there is none of
        raise FiguresRejected(unknown)
    (saved,) = _save_many(user, [QuarterWrite(unit, period, values, expected_version)])  # in this transaction
    if saved.refusal is not None:
        raise saved.refusal
    if notes:
        _save_comments(user=user, submission=Submission.objects.get(unit=unit, period=period), notes=notes)
    return saved.result


@transaction.atomic
def figures_save_many(*, user, writes: list[QuarterWrite], stored: StoredQuarters | None = None,
                      dry_run: bool = False) -> list[QuarterSaved]:
    """`figures_save` for many quarters at once, with a few queries per section instead of dozens per quarter.

    Each quarter is saved or refused on its own (a refused one writes nothing), with the same access
    rule, validation, version check, history and signals. Writes are taken in order, each checked against
    what the ones before it saved: `stored` holds the history (`history_of` the writes' quarters) and takes
    in every saved quarter, so a caller saving a long file in batches reads its history once; without it,
    it is read for each round once the round's submissions are locked (a quarter that comes again starts a new
    round). `dry_run`: everything but the writes, for a check that answers what saving would do (a quarter
    must not come twice in it: its submission is not created).
    """
    return _save_many(user, writes, stored, dry_run)


def _save_many(user, writes: list[QuarterWrite], stored: StoredQuarters | None = None,
               dry_run: bool = False) -> list[QuarterSaved]:
    hold_periods({write.period.id for write in writes})  # all of them before any submission (`hold_periods`)
    saved = []
    with sections.slots_fixed():
        for run in _runs_without_repeated_quarters(writes):
            saved += _save_run(user, run, stored, dry_run)
    return saved


def _runs_without_repeated_quarters(writes):
    """The writes in runs where no quarter comes twice: a run locks and reads each of its quarters once."""
    run, quarters = [], set()
    for write in writes:
        quarter = (write.unit.id, write.period.id)
        if quarter in quarters:
            yield run
            run, quarters = [], set()
        run.append(write)
        quarters.add(quarter)
    if run:
        yield run


def _save_run(user, writes: list[QuarterWrite], stored: StoredQuarters | None,
              dry_run: bool) -> list[QuarterSaved]:
    periods = list({write.period.id: write.period for write in writes}.values())
    unit_ids = {write.unit.id for write in writes}
    quarters = [(write.unit.id, write.period.id) for write in writes]
    submissions = {(s.unit_id, s.period_id): s for s in _locked(Submission.objects, quarters)}
    # Asked once the periods are held and the submissions locked: a close (of the period, or of the unit's entry)
    # that began before has committed by now, and this statement sees it.
    editable = editable_quarters(user=user, quarters=[(write.unit, write.period) for write in writes])
    stored = stored or history_of(unit_ids=unit_ids, periods=periods)
    rows = _SectionRows(quarters, dry_run=dry_run)
    changeable = {section.model for section in sections if section.figures and user.has_perm(
        f"{section.model._meta.app_label}.change_{section.model._meta.model_name}")}
    outcomes, permitted = [], {}  # the value keys of a write -> whether the user may change all they go to
    for write in writes:
        quarter = (write.unit.id, write.period.id)
        submission = submissions.get(quarter)  # None: a quarter not reported yet
        parsed, problems = parse_values(write.values)
        if (may_change := permitted.get(keys := tuple(write.values))) is None:
            may_change = permitted[keys] = _models_of(keys) <= changeable
        problems, refusal, row = _check(write, quarter in editable, may_change, submission, stored, parsed,
                                        problems)
        if refusal is not None:
            outcomes.append(QuarterSaved(write, refusal=refusal))
            continue
        changes = rows.stage(user, write, parsed)
        stored.put(write.unit.id, write.period, row)
        outcomes.append(QuarterSaved(write, SaveResult(changes=changes, warnings=warnings(problems)), submission))
    _write_submissions(user, [o for o in outcomes if o.result is not None], dry_run)
    if not dry_run:
        rows.write(user)
    return outcomes


def _locked(manager, quarters):
    """The rows of these (unit id, period id) quarters, locked until the transaction ends, and no other rows: without
    a join to the unit and the period (the models' default ordering) a save would lock those too, and two units
    saving the same quarter would wait for each other. Locked in the order of their ids, so two saves never wait in
    a ring."""
    return manager.select_for_update(of=("self",)).filter(
        PairIn(F("unit_id"), F("period_id"), quarters)).order_by("pk")


def _models_of(keys) -> set:
    """The models the values of these keys go to (an unknown key goes to none)."""
    known = sections.slots_by_key()
    return {known[key].section.model for key in keys if key in known}


def _check(write: QuarterWrite, editable: bool, may_change: bool, submission, stored: StoredQuarters,
           parsed: dict, unreadable: list[Problem]) -> tuple[list[Problem], Exception | None, Any]:
    """The quarter's problems, the refusal figures_save raises for it (None to save), and the quarter as `stored` is
    to hold it once saved (`quarter_check`); `may_change`: whether the user has the change permission of every model
    the values go to; `parsed` and `unreadable`: `parse_values` of the write's values."""
    unit, period = write.unit, write.period
    if not editable:
        return [], QuarterNotEditable(_("您不能修改%(unit)s %(period)s的数据：只能填报本单位、处于开放填报中的季度。")
                                      % {"unit": unit.name, "period": period.code}), None
    if not may_change:
        return [], AccessDenied(_("您没有修改这些数据的权限。")), None
    current = submission.version if submission is not None else 0  # 0: the quarter does not exist yet
    if write.expected_version is not None and write.expected_version != current:
        return [], QuarterConflict(expected_version=write.expected_version, current_version=current), None
    checked, row = quarter_check(unit=unit, period=period, parsed=parsed, stored=stored,
                                 errors_before=bool(errors(unreadable)))
    problems = unreadable + checked
    if found := errors(problems):
        return problems, FiguresRejected(found), None
    return problems, None, row


def _write_submissions(user, saved: list[QuarterSaved], dry_run: bool) -> None:
    """A new quarter gets its submission; one whose figures changed a new version; an approved one tells the
    dashboards. A dry run only works out the versions (and leaves a new quarter without a submission)."""
    if dry_run:
        for s in saved:
            version = _NEW_VERSION if s.submission is None else s.submission.version
            s.result.version = version + _changes_anything(s)
        return
    now = timezone.now()
    for s in saved:
        if s.submission is None:
            s.submission = Submission(unit_id=s.write.unit.pk, period_id=s.write.period.pk)
    changed = [s for s in saved if _changes_anything(s)]
    bumped = [s.submission for s in changed if s.submission.pk is not None]
    for s in changed:
        s.submission.version += 1
        s.submission.updated_at = now
    created = [s.submission for s in saved if s.submission.pk is None]
    columns = [field.attname for field in Submission._meta.concrete_fields if not field.primary_key]
    for submission in created:
        submission.updated_at = now
    ids = insert_with_history(Submission, [{name: getattr(s, name) for name in columns} for s in created],
                              user=user, date=now)
    for submission, pk in zip(created, ids, strict=True):
        submission.pk, submission._state.adding = pk, False
    # One UPDATE for all (the rows are locked, so each becomes the version computed above), then their history.
    Submission.objects.filter(pk__in=[s.pk for s in bumped]).update(version=F("version") + 1, updated_at=now)
    add_history(Submission, [s.pk for s in bumped], kind=HISTORY_CHANGED, user=user, date=now)
    for s in saved:
        s.result.version = s.submission.version
    for s in changed:
        if s.submission.state == SubmissionState.APPROVED:
            signals.approved_figures_changed.send(sender=Submission, unit=s.write.unit, period=s.write.period)


def _changes_anything(saved: QuarterSaved) -> bool:
    return any(outcome != UNCHANGED for outcome in saved.result.changes.values())


class _SectionRows:
    """The sections' model rows of some quarters, locked, as dicts of column -> value, with the changes staged for
    a bulk write (`districts/rows_with_history.py`); a dry run stages nothing, since no quarter comes twice in a
    run."""

    def __init__(self, quarters, *, dry_run: bool):
        self._quarters, self._dry_run = quarters, dry_run
        self._rows: dict[str, dict[tuple, dict]] = {}  # section key -> (unit id, period id, row pk) -> row
        self._created: dict[str, list[dict]] = defaultdict(list)
        self._updated: dict[str, list[dict]] = defaultdict(list)
        self._fields: dict[str, set[str]] = defaultdict(set)
        self._plans: dict[tuple[str, ...], list[tuple]] = {}
        self._templates: dict[str, tuple[dict, str | None]] = {}  # section key -> new row, its row column

    def _existing(self, section) -> dict[tuple, dict]:
        if section.key not in self._rows:
            columns = [field.attname for field in section.model._meta.concrete_fields]
            found = _locked(section.model._default_manager, self._quarters).values(*columns)
            row_column = _row_column(section)
            self._rows[section.key] = {
                (row["unit_id"], row["period_id"], row[row_column] if row_column else None): row for row in found
            }
        return self._rows[section.key]

    def stage(self, user, write: QuarterWrite, parsed: dict[str, Any]) -> dict[str, str]:
        """Stage the parsed values of one quarter, which passed the validation (it holds the rules of the model
        fields' own validators: sign, decimal places, digits, the integer range); returns each key's outcome."""
        changes, unit_id, period_id = {}, write.unit.id, write.period.id
        for section, row, fields, template, defaults_blank in self._plan(tuple(parsed)):
            existing = self._rows.get(section.key)
            if existing is None:
                existing = self._existing(section)
            quarter = (unit_id, period_id, row)
            if (found := existing.get(quarter)) is None:
                # No row and no value: nothing to create. Where every default is None the comparisons below find
                # that anyway, without this walk.
                if not defaults_blank and all(parsed[key] is None for key, _name, _integer in fields):
                    changes.update((key, UNCHANGED) for key, _name, _integer in fields)
                    continue
                outcome, before = CREATED, template
            else:
                outcome, before = UPDATED, found
            dirty = {}
            for key, name, integer in fields:
                value = parsed[key]
                if (value is None) if (stored := before[name]) is None else stored == value:
                    changes[key] = UNCHANGED
                else:
                    changes[key] = outcome
                    dirty[name] = int(value) if integer and value is not None else value
            if dirty and not self._dry_run:  # a dry run only answers what would change
                existing[quarter] = self._staged(section, quarter, found, dirty, user, timezone.now())
        return changes

    def _plan(self, keys: tuple[str, ...]) -> list[tuple]:
        """The value keys grouped by the model row they go to: (section, the row's pk or None, [(key, field name,
        whether it is an integer)], a new row of the section, whether those fields' defaults are all None) each;
        worked out once for the quarters with the same keys (an import's)."""
        if (found := self._plans.get(keys)) is None:
            groups: dict[tuple, tuple] = {}
            for key in keys:
                section, row, name, integer = self._target(key)
                groups.setdefault((section.key, row), (section, row, []))[2].append((key, name, integer))
            found = self._plans[keys] = [
                (section, row, fields, template := self._template(section)[0],
                 all(template[name] is None for _key, name, _integer in fields))
                for section, row, fields in groups.values()]
        return found

    def _staged(self, section, quarter: tuple, found: dict | None, dirty: dict, user, now) -> dict:
        """The row of (unit id, period id, row pk) with its `dirty` columns changed, staged to be written."""
        if found is None:
            template, row_column = self._template(section)
            new = dict(template)
            new["unit_id"], new["period_id"] = quarter[0], quarter[1]
            if row_column:
                new[row_column] = quarter[2]
            self._created[section.key].append(new)
        else:
            new = dict(found)
            new["version"] += 1
            self._updated[section.key].append(new)
            self._fields[section.key].update(dirty)
        new.update(dirty)
        new["updated_by_id"], new["updated_at"] = user.pk, now
        return new

    def _target(self, key: str) -> tuple:
        """Where a value key's value goes: (section, the row's pk or None, field name, whether it is an integer)."""
        slot = sections.slot(key)
        return slot.section, slot.row.value.pk if slot.row else None, slot.figure.field, slot.figure.integer

    def _template(self, section) -> tuple[dict, str | None]:
        """A new row of the section's model (every column but the id, at its default), and its row column."""
        if (found := self._templates.get(section.key)) is None:
            found = self._templates[section.key] = (
                {field.attname: field.get_default() for field in _columns(section.model)}, _row_column(section))
        return found

    def write(self, user) -> None:
        now = timezone.now()
        for key, created in self._created.items():
            insert_with_history(sections[key].model, created, user=user, date=now)
        for key, updated in self._updated.items():
            fields = [*sorted(self._fields[key]), "version", "updated_at", "updated_by_id"]
            update_with_history(sections[key].model, updated, fields, user=user, date=now)


def _row_column(section) -> str | None:
    return section.model._meta.get_field(section.row_field).attname if section.row_field else None


@cache
def _columns(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]
