"""The import of quarterly figures from a spreadsheet: check (preview), then apply, all or nothing.

Both steps run the same code: every unit's quarter goes through `figures_save`, the one write path
with the access rule and the validation, inside one transaction. The check rolls that transaction
back and keeps what would change and every problem on the job; the import keeps it only if no row
has an error. Values equal to the stored ones are left alone, so importing a file twice changes
nothing the second time.
"""
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from districts.choices import ImportStatus
from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict
from districts.figures import quarter_values
from districts.models import ImportJob, Period, Submission, Unit
from districts.services import figures_save, quarter_editable
from districts.spreadsheets.columns import figure_columns
from districts.spreadsheets.normalise import NotANumber, clean_text, parse_number
from districts.spreadsheets.reader import FileRefused, Table, column_letter, read_table

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 20  # rows between progress updates
ERROR, WARNING = "error", "warning"
CONVERTED_PLACES = Decimal("0.01")


@dataclass
class Quarter:
    """The values a file gives for one unit's quarter, and where each came from."""

    unit: Unit
    period: Period
    row: int
    values: dict[str, Decimal | None] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # value key -> column letter


class Outcome:
    def __init__(self):
        self.changes: list[dict] = []
        self.problems: list[dict] = []
        self.unchanged = 0
        self.versions: dict[str, int] = {}  # "unit id:period id" -> the quarter's version when checked

    def problem(self, row, column, message, level=ERROR):
        self.problems.append({"row": row, "column": column, "level": level, "message": str(message)})

    @property
    def has_errors(self) -> bool:
        return any(problem["level"] == ERROR for problem in self.problems)

    def as_preview(self) -> dict:
        return {"changes": self.changes, "problems": self.problems, "unchanged": self.unchanged,
                "versions": self.versions}


def import_job_create(*, user, file_name: str, content: bytes, period: Period) -> tuple[ImportJob, Table | None]:
    """Record an upload; a file refused outright is recorded as rejected with the reason."""
    job = ImportJob(created_by=user, file_name=file_name[:255], content=content, period=period)
    table = None
    try:
        table = read_table(content, file_name, figure_columns())
        job.rows = len(table.rows)
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


def progress_of(job: ImportJob) -> int:
    """Percentage of rows done by a running check or import (kept in the cache, outside its transaction)."""
    return cache.get(_progress_key(job.pk), 0)


def _progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


def _run(job: ImportJob, table: Table | None, *, dry_run: bool) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING if dry_run else ImportStatus.APPLYING, started_at=timezone.now()
    )
    cache.set(_progress_key(job.pk), 0, timeout=3600)
    outcome = Outcome()
    try:
        table = table or read_table(bytes(job.content), job.file_name, figure_columns())
        quarters = _quarters(job, table, outcome)
        with transaction.atomic():
            checked = {} if dry_run else job.preview.get("versions", {})
            _save_quarters(job, quarters, outcome, checked)
            if dry_run or outcome.has_errors:
                transaction.set_rollback(True)
    except FileRefused as refused:
        outcome.problem(None, None, refused)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(),
            error_summary=_("导入时发生意外错误，未写入任何数据；请联系管理员。"),
        )
        raise
    job.refresh_from_db()
    job.preview = outcome.as_preview()
    job.changed = len(outcome.changes)
    if outcome.has_errors:
        job.status = ImportStatus.REJECTED
        count = sum(problem["level"] == ERROR for problem in outcome.problems)
        job.error_summary = _("%(n)s 个错误，未写入任何数据。") % {"n": count}
    else:
        job.status = ImportStatus.READY if dry_run else ImportStatus.DONE
        job.error_summary = ""
    if job.status != ImportStatus.READY:
        job.finished_at = timezone.now()
    job.save()
    cache.set(_progress_key(job.pk), 100, timeout=3600)
    return job


def _quarters(job: ImportJob, table: Table, outcome: Outcome) -> list[Quarter]:
    """Group the rows by unit and quarter, noting every cell that cannot be read."""
    code_col, name_col, period_col = table.column_of("code"), table.column_of("name"), table.column_of("period")
    periods = {period.code: period for period in Period.objects.all()}
    quarters: dict[tuple[int, int], Quarter] = {}
    for row in table.rows:
        unit = _unit_of(row, code_col, name_col, outcome)
        period = job.period
        if period_col is not None and clean_text(row.cells.get(period_col)):
            code = clean_text(row.cells[period_col]).upper()
            period = periods.get(code)
            if period is None:
                outcome.problem(row.number, column_letter(period_col), _(
                    "季度“%(value)s”不存在：应写作 2025Q4 这样的形式，且该季度已在平台中设立。"
                ) % {"value": row.cells[period_col]})
        if unit is None or period is None:
            continue
        if (unit.pk, period.pk) in quarters:
            first = quarters[(unit.pk, period.pk)].row
            outcome.problem(row.number, None, _(
                "%(unit)s %(period)s 与第 %(first)s 行重复：每个单位每个季度只能有一行。"
            ) % {"unit": unit.name, "period": period.code, "first": first})
            continue
        quarter = quarters[(unit.pk, period.pk)] = Quarter(unit, period, row.number)
        for index, match in table.headers.items():
            if match.role != "figure" or index not in row.cells:
                continue
            try:
                number = parse_number(row.cells[index])
            except NotANumber:
                outcome.problem(row.number, column_letter(index), _(
                    "“%(label)s”应为数字，收到的是“%(value)s”：请填写阿拉伯数字，如 1234 或 1,234.5，不填请留空。"
                ) % {"label": match.column.label, "value": row.cells[index]})
                continue
            if number is not None:
                if match.divisor != 1:  # 元 or 亿元 converted to 万元, kept to the fen the field stores
                    number = (number / match.divisor).quantize(CONVERTED_PLACES)
                quarter.values[match.column.key] = number
                quarter.cells[match.column.key] = column_letter(index)
    return sorted(quarters.values(), key=lambda q: (q.period.ordinal, q.unit.order, q.unit.code))


def _unit_of(row, code_col, name_col, outcome: Outcome) -> Unit | None:
    code = clean_text(row.cells.get(code_col)) if code_col is not None else ""
    name = clean_text(row.cells.get(name_col)) if name_col is not None else ""
    if code.endswith(".0"):  # a code typed as a number and saved by Excel as a float
        code = code[:-2]
    unit = None
    if code:
        unit = Unit.objects.by_code(code).first()
        if unit is None:
            outcome.problem(row.number, column_letter(code_col), _(
                "单位代码“%(code)s”不存在：应为 6 位行政区划代码（如渝北区 500112），旧代码也可。"
            ) % {"code": code})
            return None
    elif name:
        unit = Unit.objects.filter(name=name).first()
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


def _save_quarters(job: ImportJob, quarters: list[Quarter], outcome: Outcome, checked: dict[str, int]) -> None:
    """Save each quarter; on import, a quarter saved by someone else since the check is a conflict."""
    user = job.created_by
    for done, quarter in enumerate(quarters, start=1):
        unit, period = quarter.unit, quarter.period
        if not quarter.values:
            continue  # a row naming a unit but giving no figure (an unfilled template row) asks for nothing
        if not quarter_editable(user=user, unit=unit, period=period):
            outcome.problem(quarter.row, None, _(
                "不能导入%(unit)s %(period)s的数据：您只能填报本单位、处于开放填报中的季度"
                "（已审核通过或已关闭的季度不能修改）。"
            ) % {"unit": unit.name, "period": period.code})
        else:
            _save_quarter(user, quarter, outcome, checked)
        if done % PROGRESS_EVERY == 0:
            cache.set(_progress_key(job.pk), min(99, done * 100 // len(quarters)), timeout=3600)


def _save_quarter(user, quarter: Quarter, outcome: Outcome, checked: dict[str, int]) -> None:
    key = f"{quarter.unit.pk}:{quarter.period.pk}"
    submission = Submission.objects.filter(unit=quarter.unit, period=quarter.period).first()
    if submission is not None:
        outcome.versions[key] = submission.version
    old = quarter_values(unit=quarter.unit, period=quarter.period)
    changed = {key: value for key, value in quarter.values.items() if old.get(key) != value}
    outcome.unchanged += len(quarter.values) - len(changed)
    if not changed:
        return
    try:
        with transaction.atomic():
            result = figures_save(user=user, unit=quarter.unit, period=quarter.period, values=changed,
                                  expected_version=checked.get(key))
    except QuarterConflict as conflict:
        outcome.problem(quarter.row, None, _(
            "%(unit)s %(period)s 的数据在预览之后已被他人修改（预览时为第 %(then)s 版，现为第 %(now)s 版），"
            "本次导入未写入任何数据：请重新上传文件，核对新的预览后再确认。"
        ) % {"unit": quarter.unit.name, "period": quarter.period.code, "then": conflict.expected_version,
             "now": conflict.current_version})
        return
    except AccessDenied as denied:
        outcome.problem(quarter.row, None, denied)
        return
    except FiguresRejected as rejected:
        for problem in rejected.problems:
            outcome.problem(quarter.row, quarter.cells.get(problem.figure), problem.message)
        return
    for problem in result.warnings:
        outcome.problem(quarter.row, quarter.cells.get(problem.figure), problem.message, level=WARNING)
    labels = {column.key: column.label for column in figure_columns()}
    for key, value in changed.items():
        outcome.changes.append({
            "row": quarter.row, "column": quarter.cells[key], "unit": quarter.unit.name, "unit_code": quarter.unit.code,
            "period": quarter.period.code, "label": labels.get(key, key),
            "old": _text(old.get(key)), "new": _text(value),
        })


def _text(value) -> str:
    return "" if value is None else f"{value.normalize():f}"
