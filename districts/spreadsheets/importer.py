"""The import of quarterly figures from a spreadsheet: check (preview), then apply, all or nothing.

Both steps run the same code: the file is read once to find the units and quarters it touches, whose
stored history is loaded once (`StoredQuarters`: the quarters and the HISTORY_WINDOW before each); then it
is read as a stream and its quarters are saved in chunks of CHUNK_QUARTERS through `figures_save_many`,
the one write path with the access rule and the validation, inside one transaction, each quarter checked
against the history and what the rows before it saved. The check is that save's dry run: it writes
nothing and keeps what would change and the problems on the job; the import keeps its writes only if no
row has an error. Values equal to the stored ones are left alone, so importing a file twice changes
nothing the second time. Memory is bounded by the chunk, the preview's limit and the history (units ×
quarters, held as integers), not by the file's rows.
"""
import gc
import logging
from array import array
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from districts.choices import ImportStatus
from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict, QuarterNotEditable
from districts.figures import StoredQuarters
from districts.id_lists import IdIn
from districts.models import ImportJob, Period, Submission, Unit, UnitCodeAlias
from districts.registry import sections
from districts.services import QuarterWrite, figures_save_many, hold_periods
from districts.spreadsheets.columns import figure_columns
from districts.spreadsheets.normalise import NotANumber, clean_text, parse_number
from districts.spreadsheets.reader import FileRefused, Table, column_letter, read_table
from districts.validation import HISTORY_WINDOW, history_of

logger = logging.getLogger(__name__)
CHUNK_QUARTERS = 1000  # quarters read, checked and written together: a few queries per section per chunk
PREVIEW_LIMIT = 1000  # changes and problems of each level kept on the job for its page; the counts cover all
ERROR, WARNING = "error", "warning"
CONVERTED_PLACES = Decimal("0.01")
# Containers allocated (net) between two of the cyclic collector's youngest-generation passes while a file is checked or
# imported (Python's default is 700). See `_rare_collections`.
COLLECTION_THRESHOLD = 50_000


@dataclass
class Quarter:
    """The values a file gives for one unit's quarter, and where each came from."""

    unit: Unit
    period: Period
    row: int
    letters: dict[str, str]  # value key -> the letter of its column in the file
    values: dict[str, Decimal | None] = field(default_factory=dict)

    def cell(self, key: str) -> str | None:
        """The column letter of the value of `key` this row gives, None for one it does not."""
        return self.letters[key] if key in self.values else None


class Outcome:
    """What a check or import found: every count, and the first PREVIEW_LIMIT changes and problems of each level."""

    def __init__(self):
        self.changes: list[dict] = []
        self.problems: list[dict] = []
        self.counts = {"changes": 0, ERROR: 0, WARNING: 0}
        self.unchanged = 0
        # "unit id:period id" -> the quarter's Submission.version when the check read it; a quarter of the file
        # missing here did not exist yet (version 0), so a file of new quarters keeps nothing
        self.versions: dict[str, int] = {}

    def problem(self, row, column, message, level=ERROR):
        self.counts[level] += 1
        if self.counts[level] <= PREVIEW_LIMIT:
            self.problems.append({"row": row, "column": column, "level": level, "message": str(message)})

    def change(self, count: int, entries: Iterable[dict]):
        """Count `count` changes; their preview `entries` are only built while the preview has room (a national
        file makes millions)."""
        self.counts["changes"] += count
        self.changes += islice(entries, max(0, PREVIEW_LIMIT - len(self.changes)))

    @property
    def has_errors(self) -> bool:
        return self.counts[ERROR] > 0

    @property
    def truncated(self) -> bool:
        return any(count > PREVIEW_LIMIT for count in self.counts.values())

    def as_preview(self) -> dict:
        return {"changes": self.changes, "problems": self.problems, "unchanged": self.unchanged,
                "counts": self.counts, "truncated": self.truncated, "versions": self.versions}


def import_job_create(*, user, file_name: str, content: bytes, period: Period,
                      size: int | None = None) -> tuple[ImportJob, Table | None]:
    """Record an upload; a file refused outright is recorded as rejected with the reason. `size`: the file's
    size when `content` is only its beginning."""
    job = ImportJob(created_by=user, file_name=file_name[:255], content=content, period=period)
    table = None
    try:
        table = read_table(content, file_name, figure_columns(), size=size)
        job.rows = table.count()
    except FileRefused as refused:
        job.content = b""  # a refused file (a zip bomb, say) is not worth keeping; the reason is
        job.status = ImportStatus.REJECTED
        job.error_summary = str(refused)
        job.preview = {"changes": [], "problems": [{"row": None, "column": None, "level": ERROR,
                                                    "message": str(refused)}], "unchanged": 0}
        job.finished_at = timezone.now()
    job.full_clean(exclude=["content"])
    job.save()
    return job, table


def import_check(*, job: ImportJob, table: Table | None = None) -> ImportJob:
    """Fill the job's preview: what would change and every problem. Writes no figures."""
    return _run(job, table, dry_run=True)


def import_claim(*, job: ImportJob) -> bool:
    """Move a checked job to "importing", once: a second confirmation (double click, two tabs) gets False."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(status=ImportStatus.APPLYING)
    return claimed == 1


def import_apply(*, job: ImportJob) -> ImportJob:
    """Write a claimed job's figures in one transaction, or nothing if any row has an error."""
    if job.status != ImportStatus.APPLYING:
        return job
    return _run(job, None, dry_run=False)


def import_not_queued(*, job: ImportJob) -> None:
    """A job whose task the broker could not take (Redis down), so nothing was checked or written: an upload's check
    is recorded as failed (to upload again later), a confirmation goes back to ready (to confirm again later)."""
    now = timezone.now()
    if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.FAILED, finished_at=now,
            error_summary=_("后台检查未能开始（消息队列暂不可用），未写入任何数据：请稍后重新上传。")):
        return
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.APPLYING).update(
        status=ImportStatus.READY,
        error_summary=_("后台导入未能开始（消息队列暂不可用），未写入任何数据：请稍后再次确认导入。"))


def progress_of(job: ImportJob) -> int:
    """Percentage of rows done by a running check or import (kept in the cache, outside its transaction)."""
    return cache.get(_progress_key(job.pk), 0)


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def _run(job: ImportJob, table: Table | None, *, dry_run: bool) -> ImportJob:
    started = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING if dry_run else ImportStatus.APPLYING, started_at=started
    )
    cache.set(_progress_key(job.pk), 0, timeout=3600)
    outcome, finished = Outcome(), False
    seen = None if dry_run else job.preview.get("versions")  # None as well for a job checked before they were
    try:
        table = table or read_table(bytes(job.content), job.file_name, figure_columns())
        with transaction.atomic(), sections.slots_fixed(), _rare_collections():
            extent = _Extent.of(job, table)
            # All of the file's quarters at once, in the order every service takes them: a chunk that reaches a
            # quarter later than another does not then wait for it while something waits for the other.
            hold_periods([period.id for period in extent.periods])
            stored = history_of(unit_ids=extent.unit_ids, periods=extent.periods)
            for chunk in _chunks(_quarters(job, table, outcome)):
                _save_chunk(job.created_by, chunk, outcome, seen, stored, dry_run=dry_run)
                for ordinal in extent.done_with(chunk[-1].row):
                    stored.forget(ordinal)
                done = chunk[-1].row - table.header_row
                cache.set(_progress_key(job.pk), min(99, done * 100 // max(job.rows, 1)), timeout=3600)
            if dry_run or outcome.has_errors:
                transaction.set_rollback(True)
            else:
                # Done in the transaction that writes the figures: a worker that dies after the commit leaves
                # a finished job, which a redelivered task does not import a second time.
                _finish(job, outcome, started, dry_run=False)
                finished = True
    except FileRefused as refused:
        outcome.problem(None, None, refused)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(),
            error_summary=_("导入时发生意外错误，未写入任何数据；请联系管理员。"),
        )
        raise
    if not finished:
        _finish(job, outcome, started, dry_run=dry_run)
    cache.set(_progress_key(job.pk), 100, timeout=3600)
    return job


@contextmanager
def _rare_collections():
    """Run with the cyclic garbage collector's youngest generation collected every COLLECTION_THRESHOLD allocations.

    A file's quarters allocate millions of small dicts, tuples and lists, freed by reference counting chunk by
    chunk; at the default threshold the collector ran thousands of times per 100,000 rows and, each time enough
    survived, walked every object of the process (about 0.75 s of a 6.5 s check, measured with the collector off).
    The check and the import make almost no cycles (a handful per file, collected afterwards as usual), so memory
    stays as flat."""
    thresholds = gc.get_threshold()
    gc.set_threshold(COLLECTION_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _finish(job: ImportJob, outcome: Outcome, started: datetime, *, dry_run: bool) -> None:
    """Record the outcome on the job: checked (ready), imported (done) or rejected, with its preview."""
    job.preview = outcome.as_preview()
    job.changed = outcome.counts["changes"]
    job.started_at = started
    if outcome.has_errors:
        job.status = ImportStatus.REJECTED
        job.error_summary = _("%(n)s 个错误，未写入任何数据。") % {"n": outcome.counts[ERROR]}
    else:
        job.status = ImportStatus.READY if dry_run else ImportStatus.DONE
        job.error_summary = ""
    job.finished_at = None if job.status == ImportStatus.READY else timezone.now()
    job.save(update_fields=["preview", "changed", "started_at", "status", "error_summary", "finished_at"])


def _chunks(quarters):
    quarters = iter(quarters)
    while chunk := tuple(islice(quarters, CHUNK_QUARTERS)):
        yield chunk


class _Units:
    """Every unit by code, old code and name, read once: a file names thousands of them."""

    def __init__(self):
        units = list(Unit.objects.all())
        self.by_code = {unit.code: unit for unit in units}
        self.by_name = {unit.name: unit for unit in units}
        by_pk = {unit.pk: unit for unit in units}
        for code, unit_id in UnitCodeAlias.objects.values_list("code", "unit_id"):
            self.by_code.setdefault(code, by_pk[unit_id])
        self.size = max(by_pk, default=0) + 1


class _FirstRows:
    """The row that first gave each unit's quarter: per period, an array indexed by unit id, so it is
    as big as the units, not the file."""

    def __init__(self, units: int):
        self._units = units
        self._by_period: dict[int, array] = {}

    def claim(self, unit: Unit, period: Period, row: int) -> int:
        """Record `row` as the quarter's; returns the earlier row that gave it, or 0."""
        if (rows := self._by_period.get(period.id)) is None:
            rows = self._by_period[period.id] = array("L", [0]) * self._units
        first = rows[unit.id]
        if not first:
            rows[unit.id] = row
        return first


class _Places:
    """Which unit and quarter a row is about, from its code or name and its period column (or the job's)."""

    def __init__(self, job: ImportJob, table: Table):
        self.code, self.name, self.period = (table.column_of(role) for role in ("code", "name", "period"))
        self.periods = {period.code: period for period in Period.objects.all()}
        self.units = _Units()
        self.default = job.period

    def of(self, row, outcome: Outcome) -> tuple[Unit | None, Period | None]:
        unit = _unit_of(row, self.code, self.name, self.units, outcome)
        period = self.default
        if self.period is not None and (code := clean_text(row.cells.get(self.period))):
            period = self.periods.get(code.upper())
            if period is None:
                outcome.problem(row.number, column_letter(self.period), _(
                    "季度“%(value)s”不存在：应写作 2025Q4 这样的形式，且该季度已在平台中设立。"
                ) % {"value": row.cells[self.period]})
        return unit, period


@dataclass
class _Extent:
    """The units and quarters of a file, and the last row that needs each quarter's values (its own rows and the
    rows of the HISTORY_WINDOW quarters after it), read through once; its problems are noted on the second
    reading."""

    unit_ids: set[int]
    periods: list[Period]
    needed_until: dict[int, int]  # quarter ordinal -> row number

    @classmethod
    def of(cls, job: ImportJob, table: Table) -> "_Extent":
        places, unit_ids, periods, last_rows, ignored = _Places(job, table), set(), {}, {}, Outcome()
        for row in table.rows(roles={"code", "name", "period"}):
            unit, period = places.of(row, ignored)
            if unit is not None and period is not None:
                unit_ids.add(unit.id)
                periods[period.id] = period
                last_rows[period.ordinal] = row.number
        needed_until = defaultdict(int)
        for ordinal, row in last_rows.items():
            for earlier in range(ordinal - HISTORY_WINDOW, ordinal + 1):
                needed_until[earlier] = max(needed_until[earlier], row)
        return cls(unit_ids, list(periods.values()) or [job.period], needed_until)

    def done_with(self, row: int) -> list[int]:
        """The quarters no row after `row` needs (each is given once): a file sorted by quarter keeps about
        HISTORY_WINDOW quarters of values, not all of its own."""
        done = [ordinal for ordinal, last in self.needed_until.items() if last <= row]
        for ordinal in done:
            del self.needed_until[ordinal]
        return done


def _quarters(job: ImportJob, table: Table, outcome: Outcome):
    """The file's quarters in file order, noting every cell that cannot be read and every repeated quarter."""
    places = _Places(job, table)
    first_rows = _FirstRows(places.units.size)
    figures = [(index, match.column.key, _converter(match.divisor), column_letter(index), match.column.label)
               for index, match in table.headers.items() if match.role == "figure"]
    letters = {key: letter for _index, key, _convert, letter, _label in figures}
    for row in table.rows():
        unit, period = places.of(row, outcome)
        if unit is None or period is None:
            continue
        if first := first_rows.claim(unit, period, row.number):
            outcome.problem(row.number, None, _(
                "%(unit)s %(period)s 与第 %(first)s 行重复：每个单位每个季度只能有一行。"
            ) % {"unit": unit.name, "period": period.code, "first": first})
            continue
        quarter = Quarter(unit, period, row.number, letters)
        values, cells = quarter.values, row.cells
        for index, key, convert, letter, label in figures:
            if (cell := cells.get(index)) is None:
                continue
            try:
                number = convert(cell)
            except NotANumber:
                outcome.problem(row.number, letter, _(
                    "“%(label)s”应为数字，收到的是“%(value)s”：请填写阿拉伯数字，如 1234 或 1,234.5，不填请留空。"
                ) % {"label": label, "value": cell})
                continue
            if number is not None:
                values[key] = number
        yield quarter


def _converter(divisor: Decimal):
    """How a cell of a figure column becomes the figure's value: read, and if the header gave another unit (元 or
    亿元 for 万元), converted and kept to the fen the field stores."""
    if divisor == 1:
        return parse_number

    def converted(cell) -> Decimal | None:
        number = parse_number(cell)
        return None if number is None else (number / divisor).quantize(CONVERTED_PLACES)
    return converted


# A unit's name comes on every row of a long file, read twice: normalised once per name (NFKC and a regular expression
# cost more than the rest of finding the row's unit). Bounded, so a file of distinct names does not grow it.
_clean_name = lru_cache(maxsize=8192)(clean_text)


def _unit_of(row, code_col, name_col, units: _Units, outcome: Outcome) -> Unit | None:
    code = clean_text(row.cells.get(code_col)) if code_col is not None else ""
    name = _clean_name(row.cells.get(name_col)) if name_col is not None else ""
    if code.endswith(".0"):  # a code typed as a number and saved by Excel as a float
        code = code[:-2]
    unit = None
    if code:
        unit = units.by_code.get(code)
        if unit is None:
            outcome.problem(row.number, column_letter(code_col), _(
                "单位代码“%(code)s”不存在：应为 6 位行政区划代码（如渝北区 500112），旧代码也可。"
            ) % {"code": code})
            return None
    elif name:
        unit = units.by_name.get(name)
        if unit is None:
            outcome.problem(row.number, column_letter(name_col), _(
                "单位名称“%(name)s”不存在：应为单位全称，如“渝北区”“两江新区”，或改填单位代码。"
            ) % {"name": name})
            return None
    else:
        outcome.problem(row.number, None, _("该行没有单位代码或单位名称：请填写其中之一。"))
        return None
    if code and name and name != unit.name:
        outcome.problem(row.number, column_letter(name_col), _(
            "单位代码 %(code)s 是%(unit)s，与单位名称“%(name)s”不一致：请核对后只保留正确的一项。"
        ) % {"code": code, "unit": unit.name, "name": name})
        return None
    return unit


def _save_chunk(user, chunk: tuple[Quarter, ...], outcome: Outcome, seen: dict[str, int] | None,
                stored: StoredQuarters, *, dry_run: bool) -> None:
    """Save the chunk's changed values (`stored`: the file's history, which the saves keep up to date). The check
    notes each quarter's version in `outcome.versions` (as the write path read it for a quarter it was given, read
    here for one whose values are all unchanged); the import (`seen`: those the check noted) refuses as a conflict a
    quarter saved since, whatever history it has."""
    pending, unchanged = [], []
    for quarter in chunk:
        if not quarter.values:  # a unit's row without figures asks for nothing
            continue
        old = stored.of(quarter.unit.id, quarter.period)
        changed = {figure: value for figure, value in quarter.values.items()  # a value is never None here
                   if (was := old.get(figure)) is None or was != value} if old else quarter.values
        outcome.unchanged += len(quarter.values) - len(changed)
        if not changed:
            unchanged.append(quarter)
            continue
        expected = None if seen is None else seen.get(_version_key(quarter), 0)
        pending.append((quarter, old, QuarterWrite(quarter.unit, quarter.period, changed, expected)))
    if dry_run and unchanged:
        _note_versions(unchanged, outcome)
    saved = figures_save_many(user=user, writes=[write for _quarter, _old, write in pending], stored=stored,
                              dry_run=dry_run)
    labels = {column.key: column.label for column in figure_columns()}
    for (quarter, old, write), result in zip(pending, saved, strict=True):
        if result.refusal is not None:  # an error: the job cannot be imported, so its version is not needed
            _refused(quarter, result.refusal, outcome)
            continue
        if dry_run and result.submission is not None:  # None: a quarter not reported yet (version 0)
            outcome.versions[_version_key(quarter)] = result.submission.version
        for problem in result.result.warnings:
            outcome.problem(quarter.row, quarter.cell(problem.figure), problem.message, level=WARNING)
        outcome.change(len(write.values), ({
            "row": quarter.row, "column": quarter.cell(key), "unit": quarter.unit.name,
            "unit_code": quarter.unit.code, "period": quarter.period.code, "label": labels.get(key, key),
            "old": _text(old.get(key)), "new": _text(value),
        } for key, value in write.values.items()))


def _note_versions(quarters: list[Quarter], outcome: Outcome) -> None:
    """Note the version of each of `quarters` that has a submission."""
    versions = {(unit_id, period_id): version for unit_id, period_id, version in Submission.objects.filter(
        IdIn(F("unit_id"), {quarter.unit.pk for quarter in quarters}),
        IdIn(F("period_id"), {quarter.period.pk for quarter in quarters}),
    ).values_list("unit_id", "period_id", "version")}
    outcome.versions |= {_version_key(quarter): version for quarter in quarters
                         if (version := versions.get((quarter.unit.pk, quarter.period.pk)))}


def _version_key(quarter: Quarter) -> str:
    return f"{quarter.unit.pk}:{quarter.period.pk}"


def _refused(quarter: Quarter, refusal: Exception, outcome: Outcome) -> None:
    if isinstance(refusal, QuarterConflict):
        outcome.problem(quarter.row, None, _(
            "%(unit)s %(period)s 的数据在预览之后已被他人修改（预览时为第 %(then)s 版，现为第 %(now)s 版），"
            "本次导入未写入任何数据：请重新上传文件，核对新的预览后再确认。"
        ) % {"unit": quarter.unit.name, "period": quarter.period.code, "then": refusal.expected_version,
             "now": refusal.current_version})
    elif isinstance(refusal, QuarterNotEditable):  # the write path's refusal, in the import's words
        outcome.problem(quarter.row, None, _(
            "不能导入%(unit)s %(period)s的数据：您只能填报本单位、处于开放填报中的季度"
            "（已审核通过或已关闭的季度不能修改）。"
        ) % {"unit": quarter.unit.name, "period": quarter.period.code})
    elif isinstance(refusal, AccessDenied):
        outcome.problem(quarter.row, None, refusal)
    elif isinstance(refusal, FiguresRejected):
        for problem in refusal.problems:
            outcome.problem(quarter.row, quarter.cell(problem.figure), problem.message)


def _text(value) -> str:
    return "" if value is None else f"{value.normalize():f}"
