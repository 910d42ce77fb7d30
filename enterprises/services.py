# ruff: noqa: S608 -- SQL built from table names only; every value is a query parameter
"""Writes to the enterprise registry: the one path for forms, admin, import and API.

Each service checks the enterprise is inside `restrict(user, "change")` before it writes and again after, in the
same transaction: a district clerk can neither touch another unit's enterprise nor move one out of their unit.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from districts.exceptions import AccessDenied
from districts.models import Period, Unit
from districts.rows_with_history import HISTORY_CHANGED, HISTORY_CREATED, add_history, history_insert
from enterprises import credit_codes
from enterprises.models import (
    CultivationEntry,
    CultivationNote,
    Enterprise,
    Registration,
    StatusRecord,
    StatusValidity,
)
from enterprises.signals import registry_changed
from portal.planner import local_setting

_REFUSED = _("您只能修改本单位的企业及其资质记录。")


def _check(user, enterprise: Enterprise, action: str = "change") -> None:
    if not Enterprise.objects.restrict(user, action).filter(pk=enterprise.pk).exists():
        raise AccessDenied(_REFUSED)


def _save(user, obj) -> None:
    obj._history_user = user
    obj.full_clean()
    obj.save()


@transaction.atomic
def enterprise_create(*, user, name: str, unit: Unit, credit_code: str | None = None,
                      since: datetime.date | None = None, earlier_names: list[str] | None = None, industry: str = "",
                      founded: datetime.date | None = None) -> Enterprise:
    """Put an enterprise on the registry, registered in `unit` from `since` (None: as far back as known)."""
    enterprise = Enterprise(name=name.strip(), unit=unit, credit_code=credit_codes.normalise(credit_code) or None,
                            earlier_names=earlier_names or [], industry=industry, founded=founded)
    _save(user, enterprise)
    _check(user, enterprise, "add")
    _save(user, Registration(enterprise=enterprise, unit=unit, since=since))
    return enterprise


@transaction.atomic
def enterprise_update(*, user, enterprise: Enterprise, name: str | None = None, credit_code: str | None = None,
                      industry: str | None = None, founded: datetime.date | None = None) -> Enterprise:
    """Change what is known of an enterprise; a new name keeps the old one among its earlier names."""
    _check(user, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if name is not None and name.strip() != enterprise.name:
        if enterprise.name not in enterprise.earlier_names:
            enterprise.earlier_names = [*enterprise.earlier_names, enterprise.name]
        enterprise.name = name.strip()
    if credit_code is not None:
        enterprise.credit_code = credit_codes.normalise(credit_code) or None
    if industry is not None:
        enterprise.industry = industry
    if founded is not None:
        enterprise.founded = founded
    _save(user, enterprise)
    return enterprise


@transaction.atomic
def enterprise_move(*, user, enterprise: Enterprise, unit: Unit, on: datetime.date) -> Enterprise:
    """Register the enterprise in `unit` from `on`: it counts in its old unit up to the day before."""
    _check(user, enterprise)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    current = enterprise.registrations.get(until__isnull=True)
    if current.unit_id == unit.pk:
        return enterprise
    if current.since is not None and on <= current.since:
        raise ValidationError(_("迁移日期须晚于在现单位的起始日期 %(since)s。") % {"since": current.since})
    current.until = on - datetime.timedelta(days=1)
    _save(user, current)
    _save(user, Registration(enterprise=enterprise, unit=unit, since=on))
    enterprise.unit = unit
    _save(user, enterprise)
    _check(user, enterprise)  # a clerk may not move an enterprise out of their own unit
    return enterprise


def default_valid_until(kind: str, issued: datetime.date) -> datetime.date | None:
    rule = StatusValidity.objects.filter(kind=kind).first()
    return rule.valid_until(issued) if rule else None


@transaction.atomic
def status_record_save(*, user, enterprise: Enterprise, kind: str, issued: datetime.date, number: str = "",
                       valid_until: datetime.date | None = None) -> tuple[StatusRecord, bool]:
    """Record a status given on `issued` (one record per enterprise, kind and issue day), the end date from the
    kind's rule unless given. Saving what is already recorded changes nothing: returns (record, changed)."""
    _check(user, enterprise)
    wanted = {"number": number.strip(), "valid_until": valid_until or default_valid_until(kind, issued)}
    record = StatusRecord.objects.select_for_update().filter(enterprise=enterprise, kind=kind, issued=issued).first()
    if record is not None and all(getattr(record, field) == value for field, value in wanted.items()):
        return record, False
    record = record or StatusRecord(enterprise=enterprise, kind=kind, issued=issued)
    for field, value in wanted.items():
        setattr(record, field, value)
    _save(user, record)
    return record, True


# A comparison of staged rows with the records (`status_records_compare_staged`): each row with the record of its
# enterprise, kind and issue day (record_id, NULL if none) and whether writing it changes anything.
COMPARED_COLUMNS = {"enterprise_id": "bigint", "issued": "date", "number": "text", "valid_until": "date",
                    "record_id": "bigint", "changed": "boolean"}


def status_records_compare_staged(*, kind: str, rows: str, days: str, compared: str, params=(), carried=()) -> None:
    """Put each of `rows` (SQL of a table or subquery, with `params`: enterprise_id, issued, number, valid_until and
    the `carried` columns; an enterprise_id NULL is a row matched to no enterprise, changing nothing) beside what is
    recorded for its enterprise, `kind` and issue day into the temporary table `compared` (COMPARED_COLUMNS and
    `carried`), looked up once for the write. `days`: a table whose `issued` column holds the rows' issue days."""
    record, columns = StatusRecord._meta.db_table, ", ".join([*COMPARED_COLUMNS, *carried])
    carry = "".join(f", s.{column}" for column in carried)
    # The records of the rows' issue days only (a list gives one or a few): else the planner hashes every record of
    # the kind (300,000 high-tech certificates at national scale) to find the few a list has again.
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {compared} ({columns}) SELECT s.enterprise_id, s.issued, s.number, s.valid_until, "
                       f"r.id, s.enterprise_id IS NOT NULL AND (r.id IS NULL OR r.number <> s.number OR r.valid_until "
                       f"IS DISTINCT FROM s.valid_until){carry} FROM {rows} s LEFT JOIN {record} r ON r.enterprise_id "
                       f"= s.enterprise_id AND r.kind = %s AND r.issued = s.issued AND r.issued IN (SELECT issued FROM "
                       f"{days})", [*params, kind])


def status_records_compared_counts(*, compared: str) -> tuple[int, int]:
    """The changed and the unchanged rows of a comparison, among those matched to an enterprise."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FILTER (WHERE changed), COUNT(*) FILTER (WHERE enterprise_id IS NOT NULL "
                       f"AND NOT changed) FROM {compared}")
        return cursor.fetchone()


@transaction.atomic
def status_records_save_compared(*, user, kind: str, compared: str) -> None:
    """`status_record_save` for the rows of a comparison (`status_records_compare_staged`) in SQL: a changed row is
    inserted, or its record updated by id; an unchanged row is left alone. Each enterprise must be inside the user's
    change scope, checked for all before writing (writing a status moves no enterprise out of it)."""
    _check_staged(user, compared)
    record, now = StatusRecord._meta.db_table, timezone.now()
    # `record_id IS NOT NULL` tells the planner how few rows have a record to update: without it, it hashed every
    # record of the registry (3.4 million at national scale) for a few.
    update = (f"UPDATE {record} AS r SET number = c.number, valid_until = c.valid_until, updated_at = %s "
              f"FROM {compared} c WHERE r.id = c.record_id AND c.record_id IS NOT NULL AND c.changed")
    # New records in the order of the unique kind–issue-day–enterprise index (one kind here), and so of the enterprise
    # index too: the pages of each are visited one after the other rather than at random.
    insert = (f"INSERT INTO {record} AS r (enterprise_id, kind, issued, number, valid_until, revoked, "
              f"revoked_reason, updated_at) SELECT c.enterprise_id, %s, c.issued, c.number, c.valid_until, "
              f"NULL, '', %s FROM {compared} c WHERE c.record_id IS NULL ORDER BY c.issued, c.enterprise_id")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {compared} WHERE record_id IS NOT NULL AND changed)")
        if updates := cursor.fetchone()[0]:
            cursor.execute(f"ANALYZE {compared}")  # the join to the records is planned by how many rows it has
        if connection.vendor == "postgresql":  # one statement: the rows written go to their history as returned
            columns = ", ".join(f"r.{field.column}" for field in StatusRecord._meta.concrete_fields)
            user_id = user.pk if user else None
            writes = {"created": (insert, [kind, now], HISTORY_CREATED)}
            if updates:
                writes["updated"] = (update, [now], HISTORY_CHANGED)
            steps = [f"{name} AS ({sql} RETURNING {columns})" for name, (sql, _params, _kind) in writes.items()]
            steps += [f"{name}_history AS ({history_insert(StatusRecord, name)})" for name in writes]
            params = [param for _sql, params, _kind in writes.values() for param in params]
            params += [param for _sql, _params, kind in writes.values() for param in (now, kind, user_id)]
            # Memory for a national list's sort into index order and its written rows on their way to the history,
            # which at the default 4 MB went to temporary files and back.
            with local_setting(cursor, "work_mem", "64MB"):
                cursor.execute(f"WITH {', '.join(steps)} SELECT 1", params)
        else:
            cursor.execute(f"{update} RETURNING id", [now])
            updated = [pk for (pk,) in cursor.fetchall()]
            cursor.execute(f"{insert} RETURNING id", [kind, now])
            created = [pk for (pk,) in cursor.fetchall()]
            add_history(StatusRecord, created, kind=HISTORY_CREATED, user=user, date=now)
            add_history(StatusRecord, updated, kind=HISTORY_CHANGED, user=user, date=now)
    registry_changed.send(sender=StatusRecord)


def _check_staged(user, table: str) -> None:
    """Refuse the rows of `table` unless each one's enterprise (if any) is in the user's change scope."""
    scope = Enterprise.objects.restrict(user, "change")
    if not scope.query.has_filters():  # the user may change every enterprise
        return
    scope, params = scope.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} s WHERE s.enterprise_id IS NOT NULL AND NOT EXISTS "
                       f"(SELECT 1 FROM ({scope}) e WHERE e.id = s.enterprise_id))", params)
        if cursor.fetchone()[0]:
            raise AccessDenied(_REFUSED)


@transaction.atomic
def status_record_revoke(*, user, record: StatusRecord, on: datetime.date | None, reason: str) -> StatusRecord:
    """Revoke a status from `on`: it no longer holds that day (None lifts a revocation made in error)."""
    _check(user, record.enterprise)
    record = StatusRecord.objects.select_for_update().get(pk=record.pk)
    record.revoked, record.revoked_reason = on, reason.strip() if on else ""
    _save(user, record)
    return record


_LIST_REFUSED = _("您只能修改本单位的培育清单。")


def _check_entry(user, entry: CultivationEntry) -> None:
    if not CultivationEntry.objects.restrict(user, "change").filter(pk=entry.pk).exists():
        raise AccessDenied(_LIST_REFUSED)


@transaction.atomic
def cultivation_entry_save(*, user, unit: Unit, enterprise: Enterprise, target: str, due: datetime.date,
                           entry: CultivationEntry | None = None) -> CultivationEntry:
    """Put an enterprise registered in `unit` on the unit's cultivation list with the tier it should reach by
    `due`, or change the tier and date of `entry`."""
    if entry is not None:
        _check_entry(user, entry)
        entry = CultivationEntry.objects.select_for_update().get(pk=entry.pk)
    if not Enterprise.objects.restrict(user).filter(pk=enterprise.pk, unit=unit).exists():
        raise ValidationError(_("只能选择当前注册在本单位的企业。"))
    entry = entry or CultivationEntry(unit=unit, enterprise=enterprise)
    entry.target, entry.due = target, due
    _save(user, entry)
    _check_entry(user, entry)
    return entry


@transaction.atomic
def cultivation_entry_delete(*, user, entry: CultivationEntry) -> None:
    """Take an enterprise off its unit's list, with its notes (municipal staff)."""
    if not CultivationEntry.objects.restrict(user, "delete").filter(pk=entry.pk).exists():
        raise AccessDenied(_LIST_REFUSED)
    entry._history_user = user
    entry.delete()


@transaction.atomic
def cultivation_entry_recommend(*, user, entry: CultivationEntry, on: datetime.date | None) -> CultivationEntry:
    """Recommend the enterprise into the city's listing reserve pool on `on` (None withdraws the recommendation)."""
    _check_entry(user, entry)
    entry = CultivationEntry.objects.select_for_update().get(pk=entry.pk)
    entry.recommended = on
    _save(user, entry)
    return entry


@transaction.atomic
def cultivation_note_save(*, user, entry: CultivationEntry, period: Period, text: str) -> CultivationNote:
    """The unit's note on an enterprise of its list for a quarter (saving again replaces it)."""
    _check_entry(user, entry)
    note = CultivationNote.objects.filter(entry=entry, period=period).first() or \
        CultivationNote(entry=entry, period=period)
    note.text = text.strip()
    _save(user, note)
    # The list's ETag and Last-Modified follow the entries: a new note is a change of its entry.
    CultivationEntry.objects.filter(pk=entry.pk).update(updated_at=timezone.now())
    return note
