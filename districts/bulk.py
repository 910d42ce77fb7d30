"""A quarter's figures for many units at once (the API's bulk write), all or nothing, optionally a dry run.

Each row goes through `figures_save`, the one code path of forms, admin and import, inside a savepoint;
every refusal becomes a conflict naming the row, the field and a code. One conflict and nothing is
written; a dry run rolls back even a clean batch, so it answers exactly what a real run would do.
"""
from dataclasses import dataclass, field

from django.db import transaction

from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict
from districts.models import Period, Unit
from districts.services import figures_save


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


def _save_row(*, user, index: int, row: dict, default_period: str | None, result: BulkResult) -> None:
    values = {key: value for key, value in row.items() if key not in ("unit", "period", "version")}
    unit = _unit(user, row.get("unit"))
    if unit is None:
        message = f"区县代码“{row.get('unit') or ''}”不存在或不属于您可填报的单位；请填写 GB/T 2260 代码，如 500112"
        result.conflicts.append(Conflict(index, "unit", "unknown_unit", message))
        return
    period = _period(row.get("period") or default_period)
    if period is None:
        message = f"季度“{row.get('period') or default_period or ''}”无效；应写作 2025Q4 这样的形式"
        result.conflicts.append(Conflict(index, "period", "invalid_period", message))
        return
    version = row.get("version")
    try:
        with transaction.atomic():
            saved = figures_save(
                user=user, unit=unit, period=period, values=values,
                expected_version=int(version) if version not in (None, "") else None,
            )
    except AccessDenied as exc:
        result.conflicts.append(Conflict(index, "unit", "forbidden", str(exc)))
    except QuarterConflict as exc:
        result.conflicts.append(Conflict(index, "version", "version_conflict", str(exc)))
    except FiguresRejected as exc:
        result.conflicts += [Conflict(index, p.figure or "values", p.code, p.message) for p in exc.problems]
    except ValueError:
        result.conflicts.append(Conflict(index, "version", "invalid", "version 应为整数（读取时返回的版本号）"))
    else:
        result.created += saved.created
        result.updated += saved.updated
        result.unchanged += saved.unchanged
        result.warnings += [Conflict(index, w.figure, w.code, w.message) for w in saved.warnings]


def figures_bulk_save(*, user, rows: list[dict], period: str | None = None, dry_run: bool = False) -> BulkResult:
    """Save each row (`unit`, optional `period` and `version`, then value keys) or, on any conflict, none."""
    result = BulkResult(dry_run=dry_run)
    with transaction.atomic():
        for index, row in enumerate(rows):
            _save_row(user=user, index=index, row=row, default_period=period, result=result)
        if dry_run or result.conflicts:
            transaction.set_rollback(True)
    return result
