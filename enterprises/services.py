"""Writes to the enterprise registry: the one path for forms, admin, import and API.

Each service checks the enterprise is inside `restrict(user, "change")` before it writes and again after, in the
same transaction: a district clerk can neither touch another unit's enterprise nor move one out of their unit.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from districts.exceptions import AccessDenied
from districts.models import Period, Unit
from districts.rows_with_history import insert_with_history, update_with_history
from enterprises import credit_codes
from enterprises.models import (
    CultivationEntry,
    CultivationNote,
    Enterprise,
    Registration,
    StatusRecord,
    StatusValidity,
)

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


@transaction.atomic
def status_records_save_many(*, user, kind: str, rows: list[tuple[int, datetime.date, str, datetime.date | None]],
                             write: bool = True) -> tuple[int, int]:
    """`status_record_save` for many rows at once (enterprise id, issued, number, valid-until or None): the changed
    and the unchanged. A row already recorded with the same values is left alone; `write=False` only counts. Each
    enterprise must be inside the user's change scope, checked for all before and after writing."""
    enterprises = {pk for pk, *_ in rows}
    _check_all(user, enterprises)
    rule = StatusValidity.objects.filter(kind=kind).first()
    existing = {(record.enterprise_id, record.issued): record for record in StatusRecord.objects.select_for_update()
                .filter(kind=kind, enterprise__in=enterprises, issued__in={issued for _, issued, *_ in rows})}
    now = timezone.now()
    new, changed = [], []
    for pk, issued, number, valid_until in rows:
        wanted = {"number": number.strip(),
                  "valid_until": valid_until or (rule.valid_until(issued) if rule else None), "updated_at": now}
        record = existing.get((pk, issued))
        if record is None:
            new.append({"enterprise_id": pk, "kind": kind, "issued": issued, "revoked": None, "revoked_reason": "",
                        **wanted})
        elif (record.number, record.valid_until) != (wanted["number"], wanted["valid_until"]):
            changed.append({"id": record.pk, **wanted})
    if write:
        insert_with_history(StatusRecord, new, user=user, date=now)
        update_with_history(StatusRecord, changed, ["number", "valid_until", "updated_at"], user=user, date=now)
        _check_all(user, enterprises)
    return len(new) + len(changed), len(rows) - len(new) - len(changed)


def _check_all(user, enterprises: set[int]) -> None:
    if Enterprise.objects.restrict(user, "change").filter(pk__in=enterprises).count() != len(enterprises):
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
