"""The audit trail: every create, change and delete of an ``AuditedModel``.

Rows are written by signal handlers in the same transaction as the change. The acting user
comes from the request (``AuditActorMiddleware``) or from ``acting_as`` in services and
commands.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("houqin_actor", default=None)
_remote_addr: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "houqin_remote_addr", default=None
)


@contextmanager
def acting_as(user: Any, remote_addr: str | None = None) -> Iterator[None]:
    """Attribute the changes made inside the block to ``user``."""
    token = _actor.set(user)
    addr_token = _remote_addr.set(remote_addr)
    try:
        yield
    finally:
        _actor.reset(token)
        _remote_addr.reset(addr_token)


def current_actor() -> Any:
    return _actor.get()


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _audited_fields(instance: Any) -> list[models.Field[Any, Any]]:
    exclude = set(getattr(instance, "audit_exclude", ()))
    return [
        f
        for f in instance._meta.concrete_fields
        if f.name not in exclude and not f.primary_key and f.name != "password"
    ]


def _related_repr(field: models.Field[Any, Any], pk: Any) -> Any:
    if pk is None:
        return None
    related = field.related_model._default_manager.filter(pk=pk).first()  # type: ignore[union-attr]
    return str(related) if related is not None else f"#{pk}"


def _diff(instance: Any, created: bool) -> dict[str, list[Any]]:
    before: dict[str, Any] = {} if created else getattr(instance, "_audit_snapshot", {})
    changes: dict[str, list[Any]] = {}
    for field in _audited_fields(instance):
        new = getattr(instance, field.attname)
        if created:
            if new in (None, "", False):
                continue
            old = None
        else:
            if field.attname not in before:
                continue
            old = before[field.attname]
            if old == new:
                continue
        if field.is_relation:
            old_repr = None if old is None else _related_repr(field, old)
            cached = getattr(instance, field.name, None) if new is not None else None
            new_repr = str(cached) if cached is not None else None
            changes[field.name] = [old_repr, new_repr]
        else:
            changes[field.name] = [_plain(old), _plain(new)]
    return changes


def record(instance: Any, action: str, changes: dict[str, Any], actor: Any = None) -> Any:
    """Write one audit row for ``instance``."""
    from .models import AuditEntry

    user = actor if actor is not None else current_actor()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry.objects.create(
        actor=user,
        actor_repr=(str(user) if user is not None else "system")[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        school_id=instance.audit_school_id() if hasattr(instance, "audit_school_id") else None,
        changes=changes,
        remote_addr=_remote_addr.get(),
    )


def _snapshot(instance: Any) -> None:
    instance._audit_snapshot = {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
    }


def on_save(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    changes = _diff(instance, created)
    if created or changes:
        record(instance, "create" if created else "update", changes)
    _snapshot(instance)


def on_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    record(instance, "delete", {})


def connect_signals() -> None:
    from .models import AuditedModel

    post_save.connect(_dispatch_save, dispatch_uid="houqin_audit_save")
    post_delete.connect(_dispatch_delete, dispatch_uid="houqin_audit_delete")
    globals()["_AUDITED_BASE"] = AuditedModel


def _dispatch_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, _AUDITED_BASE):
        on_save(sender, instance, **kwargs)


def _dispatch_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, _AUDITED_BASE):
        on_delete(sender, instance, **kwargs)


_AUDITED_BASE: type = object
