"""What the attachments section and the activity timeline of an object show.

A constant number of queries however many attachments and comments there are: one for the
attachments, one each for comments, status changes and audit entries (each capped).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import AuditEntry, StatusChange
from ..uploads import accept_attribute, max_upload_bytes
from .access import (
    can_change_comment,
    can_upload,
    owner_school_id,
    supports_attachments,
)
from .models import Attachment, Comment

ATTACHMENT_LIMIT = 200
TIMELINE_LIMIT = 50


@dataclass
class Event:
    """One line of the activity timeline."""

    kind: str
    at: datetime.datetime
    actor: str
    icon: str
    title: str = ""
    detail: str = ""
    comment: Comment | None = None
    can_change: bool = False
    sort_id: int = 0


def attachment_list(content_type: ContentType, object_id: int) -> list[Attachment]:
    return list(
        Attachment.objects.filter(content_type=content_type, object_id=object_id)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")[:ATTACHMENT_LIMIT]
    )


def _field_label(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return name


def _choice_label(model: Any, field: str, value: str) -> str:
    try:
        choices = dict(model._meta.get_field(field).flatchoices)
    except FieldDoesNotExist:
        return value
    return str(choices.get(value, value)) if value else "—"


def _audit_event(entry: AuditEntry, model: Any) -> Event:
    changes: dict[str, Any] = entry.changes or {}
    actor = str(entry.actor) if entry.actor is not None else entry.actor_repr
    event = Event("audit", entry.created_at, actor, "pencil", sort_id=entry.pk)
    attached = changes.get("attachments")
    if isinstance(attached, list) and len(attached) == 2:
        old, new = attached
        event.icon = "paperclip"
        event.title = _("Attached files") if new else _("Removed an attachment")
        event.detail = str(new or old or "")
    elif entry.action == AuditEntry.Action.CREATE:
        event.icon, event.title = "plus-circle", _("Created")
    elif entry.action == AuditEntry.Action.DELETE:
        event.icon, event.title = "trash", _("Deleted")
    else:
        event.title = _("Changed")
        event.detail = "、".join(_field_label(model, name) for name in changes)
    return event


def timeline(user: Any, owner: Any, limit: int = TIMELINE_LIMIT) -> tuple[list[Event], bool]:
    """Comments, status changes and audit entries of ``owner``, newest first; and whether
    older entries were left out."""
    model = type(owner)
    content_type = ContentType.objects.get_for_model(owner, for_concrete_model=True)
    events: list[Event] = []
    comments = (
        Comment.objects.filter(content_type=content_type, object_id=owner.pk)
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
    for comment in comments:
        events.append(
            Event(
                "comment",
                comment.created_at,
                str(comment.author) if comment.author is not None else _("(deleted user)"),
                "chat-left-text",
                comment=comment,
                can_change=can_change_comment(user, comment),
                sort_id=comment.pk,
            )
        )
    moves = (
        StatusChange.objects.filter(content_type=content_type, object_id=str(owner.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    for move in moves:
        events.append(
            Event(
                "status",
                move.created_at,
                str(move.actor) if move.actor is not None else _("system"),
                "arrow-right-circle",
                title=f"{_choice_label(model, move.field, move.from_status)} → "
                f"{_choice_label(model, move.field, move.to_status)}",
                detail=move.reason,
                sort_id=move.pk,
            )
        )
    entries = (
        AuditEntry.objects.filter(content_type=content_type, object_id=str(owner.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    events.extend(_audit_event(entry, model) for entry in entries)
    events.sort(key=lambda e: (e.at, e.sort_id), reverse=True)
    return events[:limit], len(events) > limit


def object_panel(request: HttpRequest, owner: Any, **extra: Any) -> dict[str, Any]:
    """The context of ``core/_attachments.html`` and ``core/_timeline.html`` for ``owner``;
    empty when the object cannot carry attachments (no school, no scoping)."""
    model = type(owner)
    if not supports_attachments(model) or owner_school_id(owner) is None:
        return {}
    user = request.user
    content_type = ContentType.objects.get_for_model(owner, for_concrete_model=True)
    attachments = attachment_list(content_type, owner.pk)
    upload = can_upload(user, owner)
    images: list[Attachment] = []
    files: list[Attachment] = []
    for attachment in attachments:
        attachment.can_delete = upload or attachment.uploaded_by_id == user.pk  # type: ignore[attr-defined]
        (images if attachment.is_image and attachment.thumbnail else files).append(attachment)
    events, truncated = timeline(user, owner)
    url = getattr(owner, "get_absolute_url", None)
    owner_url = url() if callable(url) else ""
    panel = {
        "owner": owner,
        "owner_url": owner_url,
        "images": images,
        "files": files,
        "count": len(attachments),
        "can_upload": upload,
        "upload_url": reverse("core:attachment_upload", args=[content_type.pk, owner.pk]),
        "comment_url": reverse("core:comment_add", args=[content_type.pk, owner.pk]),
        "accept": accept_attribute(),
        "max_size": max_upload_bytes(),
        "timeline": events,
        "timeline_truncated": truncated,
        "errors": [],
        "comment_errors": [],
        "body": "",
    }
    panel.update(extra)
    return {"panel": panel}
