"""Reads the import and the template share: which units a user may fill, and their current figures."""
from districts.figures import quarter_values
from districts.models import Unit
from portal import roles
from portal.querysets import unit_id_of


def units_for_entry(user):
    """Units whose figures this user may enter: every unit for municipal staff, a clerk's own unit."""
    if roles.is_municipal_staff(user):
        return Unit.objects.all()
    if roles.is_district_staff(user) and (unit_id := unit_id_of(user)) is not None:
        return Unit.objects.filter(pk=unit_id)
    return Unit.objects.none()


def current_values(*, period, units) -> dict[int, dict[str, object]]:
    """{unit id: {value key: value}} of the figures stored for `period` (the caller restricts `units`)."""
    return {unit.pk: quarter_values(unit=unit, period=period) for unit in units}
