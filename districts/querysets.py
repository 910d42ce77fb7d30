"""The one rule of access: `restrict(user, action)` on every district-scoped queryset.

Views, the admin, the API and every form's choices call it, so a district clerk can only ever see
or change rows of their own unit, and a municipal viewer changes nothing. Models say how they reach
their unit with `unit_field` (a lookup such as "unit" or "platform__unit"); models with quarterly
figures also name `period_field`, and then district staff may change a row only while that unit's
quarter is open for entry.
"""
from django.db import models
from django.db.models import Exists, OuterRef

from portal import roles

VIEW = "view"
WRITE_ACTIONS = ("add", "change", "delete")


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        opts = self.model._meta
        if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            return self.none()
        # API consumers (other systems, analysts) read every unit, like municipal viewers.
        if roles.is_municipal(user) or (action == VIEW and roles.has_role(user, roles.API_CONSUMER)):
            return self
        unit_id = unit_id_of(user)
        if unit_id is None:
            return self.none()
        restricted = self.filter(**{self.model.unit_field: unit_id})
        period_field = getattr(self.model, "period_field", None)
        if action in WRITE_ACTIONS and period_field:
            from districts.models import Submission

            open_quarters = Submission.objects.open_for_entry().filter(
                unit=OuterRef(self.model.unit_field), period=OuterRef(period_field)
            )
            restricted = restricted.filter(Exists(open_quarters))
        return restricted


def unit_id_of(user) -> int | None:
    """The unit a user belongs to, or None (municipal users and outsiders belong to none)."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.unit_id if membership else None


def people_visible_to(user):
    """The people a user may see listed (choices, memberships, who changed a row): everyone for municipal users,
    their own unit's members for district staff, nobody for anyone else."""
    from django.contrib.auth import get_user_model

    people = get_user_model()._default_manager.all()
    if roles.is_municipal(user):
        return people
    unit_id = unit_id_of(user)
    return people.filter(membership__unit_id=unit_id) if unit_id is not None else people.none()


def visible_rows(queryset, user, action: str = VIEW):
    """`queryset` as `user` may see it: restrict() for district-scoped rows, people_visible_to() for people,
    unchanged for shared reference tables (their permissions are the admin's and the API's to check)."""
    from django.contrib.auth import get_user_model

    if isinstance(queryset, RestrictedQuerySet):
        return queryset.restrict(user, action)
    if queryset.model is get_user_model():
        return queryset.filter(pk__in=people_visible_to(user).values("pk"))
    return queryset
