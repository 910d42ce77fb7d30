"""A quarter's figures for many units at once (the API's bulk write), all or nothing, optionally a dry run.

The rows go through `figures_save_many`, the one code path of forms, admin and import (`figures_save` is
it for one quarter); every refusal becomes a conflict naming the row, the field and a code. One conflict and nothing is
written; a dry run rolls back even a clean batch, so it answers exactly what a real run would do.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict
from districts.models import Period, Unit
from districts.services import QuarterSaved, QuarterWrite, figures_save_many


@dataclass(frozen=True)
class Conflict:
    row: int  # 0-based index of the row in the request (CSV: the data row after the header)
    field: str  # "unit", "period", "version" or a value key such as "enterprises.tech_smes"
    code: str
    message: str


@dataclass
class BulkResult:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[Conflict] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.conflicts


def _unit(user, code: str) -> Unit | None:
    return Unit.objects.restrict(user, "view").by_code(str(code or "")).first()


def _period(code) -> Period | None:
    try:
        return Period.objects.get_by_code(str(code or ""))
    except (ValueError, Period.DoesNotExist):
        return None


def _write_of(*, user, index: int, row: dict, default_period: str | None, result: BulkResult) -> QuarterWrite | None:
    """The row as a write, or None with its conflict recorded."""
    values = {key: value for key, value in row.items() if key not in ("unit", "period", "version")}
    unit = _unit(user, row.get("unit"))
    if unit is None:
        message = _("区县代码“%(code)s”不存在或不属于您可填报的单位；请填写 GB/T 2260 代码，如 500112") % {
            "code": row.get("unit") or ""}
        result.conflicts.append(Conflict(index, "unit", "unknown_unit", message))
        return None
    period = _period(row.get("period") or default_period)
    if period is None:
        code = row.get("period") or default_period or ""
        message = _("季度“%(code)s”无效；应写作 2025Q4 这样的形式") % {"code": code}
        result.conflicts.append(Conflict(index, "period", "invalid_period", message))
        return None
    version = row.get("version")
    try:
        expected_version = int(version) if version not in (None, "") else None
    except ValueError:
        result.conflicts.append(Conflict(index, "version", "invalid", _("version 应为整数（读取时返回的版本号）")))
        return None
    return QuarterWrite(unit, period, values, expected_version)


def _record(index: int, saved: QuarterSaved, result: BulkResult) -> None:
    if isinstance(saved.refusal, AccessDenied):
        result.conflicts.append(Conflict(index, "unit", "forbidden", str(saved.refusal)))
    elif isinstance(saved.refusal, QuarterConflict):
        result.conflicts.append(Conflict(index, "version", "version_conflict", str(saved.refusal)))
    elif isinstance(saved.refusal, FiguresRejected):
        result.conflicts += [Conflict(index, p.figure or "values", p.code, p.message) for p in saved.refusal.problems]
    else:
        result.created += saved.result.created
        result.updated += saved.result.updated
        result.unchanged += saved.result.unchanged
        result.warnings += [Conflict(index, w.figure, w.code, w.message) for w in saved.result.warnings]


def figures_bulk_save(*, user, rows: list[dict], period: str | None = None, dry_run: bool = False) -> BulkResult:
    """Save each row (`unit`, optional `period` and `version`, then value keys) or, on any conflict, none."""
    result = BulkResult(dry_run=dry_run)
    with transaction.atomic():
        writes = {index: _write_of(user=user, index=index, row=row, default_period=period, result=result)
                  for index, row in enumerate(rows)}
        writes = {index: write for index, write in writes.items() if write is not None}
        for index, saved in zip(writes, figures_save_many(user=user, writes=list(writes.values())), strict=True):
            _record(index, saved, result)
        result.conflicts.sort(key=lambda conflict: conflict.row)
        if dry_run or result.conflicts:
            transaction.set_rollback(True)
    return result
