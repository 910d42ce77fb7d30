"""Reads the import and the template share: which units a user may fill, and their current figures."""
from districts.models import Unit
from districts.querysets import unit_id_of
from districts.spreadsheets.columns import figure_columns
from portal import roles


def units_for_entry(user):
    """Units whose figures this user may enter: every unit for municipal staff, a clerk's own unit."""
    if roles.is_municipal_staff(user):
        return Unit.objects.all()
    if roles.is_district_staff(user) and (unit_id := unit_id_of(user)) is not None:
        return Unit.objects.filter(pk=unit_id)
    return Unit.objects.none()


def current_values(*, user, period, units) -> dict[int, dict[str, object]]:
    """{unit id: {figure key: value}} of the figures stored for `period`, as far as `user` may see them."""
    result: dict[int, dict[str, object]] = {}
    by_section: dict[str, list] = {}
    for column in figure_columns():
        by_section.setdefault(column.section.key, []).append(column)
    for columns in by_section.values():
        section = columns[0].section
        rows = section.model.objects.restrict(user, "view").filter(period=period, unit__in=list(units))
        for row in rows:
            known = result.setdefault(row.unit_id, {})
            for column in columns:
                known[column.key] = getattr(row, column.figure.field)
    return result
