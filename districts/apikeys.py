"""API keys: create one (its secret is shown once), revoke one, find the key of a presented secret.

A key reads `<prefix>.<secret>`. The prefix finds the row; only the SHA-256 of the secret is stored
(a random 256-bit secret needs no slow hash: there is nothing to guess from).
"""
import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from districts.choices import ApiKeyScope
from districts.models import ApiKey, Membership, Unit
from portal import roles

logger = logging.getLogger(__name__)

# last_used is written at most this often per key, so polling does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *, name: str, scope: str, created_by, unit: Unit | None = None, throttle_rate: str = "1000/hour"
) -> tuple[ApiKey, str]:
    """Create a key and the user it acts as; returns the key and its full text, which is never stored."""
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    user = get_user_model().objects.create_user(username=f"apikey-{prefix}", password=None)
    write = scope == ApiKeyScope.WRITE_UNIT
    user.groups.add(Group.objects.get(name=roles.DISTRICT_STAFF if write else roles.API_CONSUMER))
    if write and unit is not None:
        Membership.objects.create(user=user, unit=unit)
    key = ApiKey(
        name=name, prefix=prefix, secret_hash=_digest(secret), scope=scope, unit=unit,
        throttle_rate=throttle_rate, user=user, created_by=created_by,
    )
    key.full_clean()
    key.save()
    return key, f"{prefix}.{secret}"


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Refuse the key from its next request on; the row stays for the record."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        key.user.is_active = False
        key.user.save(update_fields=["is_active"])
    return key


def api_key_for(token: str) -> ApiKey | None:
    """The live key whose full text is `token`, or None; notes when it was used (at most once a minute)."""
    prefix, _, secret = token.strip().partition(".")
    # The key's unit is its user's membership: read with the key, as every request asks whose it is.
    key = ApiKey.objects.select_related("user__membership", "unit").filter(prefix=prefix).first()
    if key is None or key.revoked or not key.user.is_active:
        return None
    if not hmac.compare_digest(key.secret_hash, _digest(secret)):
        return None
    now = timezone.now()
    if key.last_used is None or now - key.last_used > LAST_USED_RESOLUTION:
        # After the request's transaction, on its own: a read takes no write lock, and a stamp that
        # cannot be written (a locked SQLite file) is logged and never fails the request.
        transaction.on_commit(lambda: _stamp_last_used(key.pk, now))
    return key


def _stamp_last_used(pk: int, now) -> None:
    """The first of parallel requests after a quiet minute writes the stamp; the others match no row."""
    try:
        ApiKey.objects.filter(Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_RESOLUTION), pk=pk).update(
            last_used=now
        )
    except DatabaseError as exc:
        logger.warning("API key %s: last used not noted: %s", pk, exc)
