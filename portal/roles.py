"""The four roles of the portal, kept as auth groups, and what each may do.

A role is a Django group; its model permissions come from ROLE_PERMISSIONS. Which rows a person
may see or change is decided separately, by `RestrictedQuerySet.restrict()` in districts.
"""
from django.contrib.auth.models import Group, Permission

DISTRICT_STAFF = "区县填报人员"
MUNICIPAL_STAFF = "市级管理人员"
MUNICIPAL_VIEWER = "市级查看人员"
API_CONSUMER = "API调用方"

ALL_ROLES = (DISTRICT_STAFF, MUNICIPAL_STAFF, MUNICIPAL_VIEWER, API_CONSUMER)
MUNICIPAL_ROLES = (MUNICIPAL_STAFF, MUNICIPAL_VIEWER)

DOMAIN_APPS = ("districts", "enterprises", "funds", "platforms", "indicators", "ledger", "evaluation", "briefs")
READ = ("view",)
WRITE = ("view", "add", "change")
ALL = ("view", "add", "change", "delete")

# role -> app label -> actions on every model of that app; a "model" key narrows one model.
ROLE_PERMISSIONS = {
    MUNICIPAL_STAFF: dict.fromkeys(DOMAIN_APPS, ALL) | {"django_celery_beat": ALL},
    MUNICIPAL_VIEWER: dict.fromkeys(DOMAIN_APPS, READ),
    API_CONSUMER: dict.fromkeys(DOMAIN_APPS, READ),
    DISTRICT_STAFF: {
        "districts": READ,
        "enterprises": WRITE,
        "funds": READ,
        "funds.fundflow": WRITE,
        "funds.economyfigures": WRITE,
        "platforms": READ,
        "platforms.platformmilestone": WRITE,
        "indicators": READ,
        "ledger": READ,
        "ledger.task": WRITE,
        "ledger.progressnote": WRITE,
        "ledger.attachment": WRITE,
        "ledger.rounditem": ("view", "change"),
        "evaluation": READ,
    },
}


def _permissions_for(grants: dict[str, tuple[str, ...]]) -> list[Permission]:
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
    """Create the role groups and set their permissions to ROLE_PERMISSIONS (idempotent)."""
    for role, grants in ROLE_PERMISSIONS.items():
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
