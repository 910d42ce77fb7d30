"""The one rule of access: `restrict(user, action)` on every district-scoped queryset.

Views, the admin, the API and every form's choices call it, so a district clerk can only ever see
or change rows of their own unit, and a municipal viewer changes nothing. Models say how they reach
their unit with `unit_field` (a lookup such as "unit" or "platform__unit"). A model whose rows a clerk
may change only under a further condition (rows of a quarter still open for entry) says so with a
queryset that narrows `changeable_in_unit()`.
"""
import hashlib

from django.core.exceptions import EmptyResultSet
from django.db import models

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
        return restricted.changeable_in_unit() if action in WRITE_ACTIONS else restricted

    def changeable_in_unit(self):
        """Of rows in a district clerk's own unit, those the clerk may change: all of them, unless the model's
        queryset narrows it."""
        return self


def unit_id_of(user) -> int | None:
    """The unit a user belongs to, or None (municipal users and outsiders belong to none)."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.unit_id if membership else None


def access_fingerprint(values) -> str:
    """Which rows `values` holds: the SQL of its WHERE clause (and the joins it needs), without the columns and
    ordering, for keys of what is kept per user's scope (whose compiling in full would cost a list endpoint more than
    the rest of a warm request)."""
    try:
        sql, params = values.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # restrict() gave none()
        return "none"
    return hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()[:24]


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
