"""Issuing, using and revoking API tokens."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from houqin.core.audit import acting_as

from .models import PREFIX_LENGTH, ApiToken, hash_key

#: Tokens expire after this many days unless the client asks for fewer.
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
#: ``last_used_at`` is written at most this often per token.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def default_lifetime_days() -> int:
    return int(getattr(settings, "HOUQIN_API_TOKEN_DAYS", DEFAULT_LIFETIME_DAYS))


@transaction.atomic
def token_create(
    *, user: Any, name: str = "", lifetime_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the raw token (shown once)."""
    raw = secrets.token_urlsafe(32)
    days = lifetime_days or default_lifetime_days()
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_hash=hash_key(raw),
        prefix=raw[:PREFIX_LENGTH],
        expires_at=timezone.now() + datetime.timedelta(days=days) if days > 0 else None,
    )
    token.full_clean()
    with acting_as(user):
        token.save()
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke ``token`` (idempotent: a revoked token stays revoked at its first time)."""
    locked: ApiToken = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        with acting_as(actor):
            locked.save(update_fields=["revoked_at", "updated_at"])
    return locked


def token_lookup(raw: str) -> ApiToken | None:
    """The active token whose hash matches ``raw`` (with its user), or ``None``."""
    if not raw or len(raw) > 200:
        return None
    token: ApiToken | None = (
        ApiToken.objects.select_related("user").filter(key_hash=hash_key(raw)).first()
    )
    if token is None or not token.is_active():
        return None
    return token


def token_touch(token: ApiToken) -> None:
    """Record the use of ``token``, writing at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
