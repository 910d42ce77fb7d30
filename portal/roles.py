"""The four roles of the portal, kept as auth groups, and what each may do.

A role is a Django group. Each app declares the model permissions each role gets on its own models in its
`AppConfig.role_permissions` (most with `domain_permissions`); `sync_role_groups` writes them to the groups.
Which rows a person may see or change is decided separately, by `RestrictedQuerySet.restrict()`.
"""
from django.apps import apps

DISTRICT_STAFF = "区县填报人员"
MUNICIPAL_STAFF = "市级管理人员"
MUNICIPAL_VIEWER = "市级查看人员"
API_CONSUMER = "API调用方"

ALL_ROLES = (DISTRICT_STAFF, MUNICIPAL_STAFF, MUNICIPAL_VIEWER, API_CONSUMER)
MUNICIPAL_ROLES = (MUNICIPAL_STAFF, MUNICIPAL_VIEWER)

READ = ("view",)
WRITE = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

Grants = dict[str, tuple[str, ...]]  # "app_label" (every model) or "app_label.model" -> actions


def domain_permissions(app_label: str, district_staff: tuple[str, ...] = READ, **models: tuple[str, ...]
                       ) -> dict[str, Grants]:
    """A domain app's usual `role_permissions`: municipal staff do everything, municipal viewers and API consumers
    read, district staff get `district_staff` on every model and, per model name, the actions given
    (`fundflow=WRITE`)."""
    return {
        MUNICIPAL_STAFF: {app_label: ALL},
        MUNICIPAL_VIEWER: {app_label: READ},
        API_CONSUMER: {app_label: READ},
        DISTRICT_STAFF: {app_label: district_staff} | {f"{app_label}.{model}": acts for model, acts in models.items()},
    }


def role_permissions() -> dict[str, Grants]:
    """Every role's grants, gathered from the `role_permissions` of every installed app."""
    merged: dict[str, Grants] = {role: {} for role in ALL_ROLES}
    for config in apps.get_app_configs():
        for role, grants in getattr(config, "role_permissions", {}).items():
            merged[role] |= grants
    return merged


def _permissions_for(grants: Grants) -> list:
    from django.contrib.auth.models import Permission

    chosen: dict[tuple[str, str], tuple[str, ...]] = {}
    for target, actions in grants.items():
        app_label, _, model = target.partition(".")
        for perm in Permission.objects.filter(content_type__app_label=app_label).select_related("content_type"):
            key = (app_label, perm.content_type.model)
            if model and perm.content_type.model != model:
                continue
            if model or key not in chosen:
                chosen[key] = actions
    wanted = {f"{action}_{model}" for (_, model), actions in chosen.items() for action in actions}
    apps = {app for app, _ in chosen}
    return list(Permission.objects.filter(content_type__app_label__in=apps, codename__in=wanted))


def sync_role_groups() -> None:
    """Create the role groups and set their permissions to what the apps declare (idempotent)."""
    from django.contrib.auth.models import Group

    for role, grants in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(grants))


def has_role(user, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._portal_roles = cached
    return bool(cached.intersection(roles))


def is_municipal(user) -> bool:
    """Municipal staff and viewers see every unit; superusers count as municipal staff."""
    return user.is_authenticated and (user.is_superuser or has_role(user, *MUNICIPAL_ROLES))


def is_municipal_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, MUNICIPAL_STAFF))


def is_district_staff(user) -> bool:
    return has_role(user, DISTRICT_STAFF) and not is_municipal(user)
