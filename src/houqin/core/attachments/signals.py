"""Attachments and comments go with their owner when it is deleted."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete


def _owner_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from ..models import AuditedModel
    from .services import remove_for

    if isinstance(instance, AuditedModel):
        remove_for(instance)


def connect() -> None:
    post_delete.connect(_owner_deleted, dispatch_uid="houqin_attachments_owner_deleted")
