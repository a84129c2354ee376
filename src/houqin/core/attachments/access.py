"""Who may see, add to and remove the attachments and comments of an object.

Everything follows the owner: seeing its attachments and commenting needs the owner's
``view_`` permission and the owner within the user's scope (``visible_to``); uploading needs
the owner's ``change_`` permission in the owner's school. A user without the permission in
any school gets 403; an owner outside the user's scope (another school) answers 404, as does
an owner whose model has no ``visible_to``. A model may also name the objects a person sees
as their own without the permission (``personal_for(user)``, e.g. a repair request for the
person who reported it): those owners' attachments are visible to that person.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.utils import timezone

from ..models import AuditedModel
from ..scoping import all_permissions, has_perm_in_school
from ..views.mixins import narrow
from .models import Attachment, Comment, OwnedByObject

#: Global moderation permissions (granted to the admin role).
MODERATE_COMMENTS = "core.delete_comment"


def perm_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def owner_school_id(owner: Any) -> int | None:
    """The school an object belongs to: its ``school_id``, a school's own pk, else none."""
    field = getattr(type(owner), "scope_field", "school_id")
    value = owner.pk if field == "id" else getattr(owner, field, None)
    return value if isinstance(value, int) else None


def supports_attachments(model: type[Model]) -> bool:
    """Audited records (not logs, not attachments themselves) narrowable to a user's scope."""
    return (
        issubclass(model, AuditedModel)
        and not issubclass(model, OwnedByObject)
        and hasattr(model._default_manager.all(), "visible_to")
    )


def _holds(user: Any, perm: str) -> bool:
    perms = all_permissions(user)
    return perm in perms or "*" in perms


def visible_owner(user: Any, content_type: ContentType, object_id: int) -> Any:
    """The owner if ``user`` may see it; 403 without the view permission, else 404."""
    model = content_type.model_class()
    if model is None or not supports_attachments(model):
        raise Http404
    perm = perm_name(model, "view")
    if not _holds(user, perm):
        personal = getattr(model, "personal_for", None)
        own = personal(user).filter(pk=object_id).first() if personal is not None else None
        if own is None:
            raise PermissionDenied
        return own
    owner = narrow(model._default_manager.all(), user, perm).filter(pk=object_id).first()
    if owner is None:
        raise Http404
    return owner


def owner_from_url(user: Any, ct_id: int, object_id: int) -> Any:
    try:
        content_type = ContentType.objects.get_for_id(ct_id)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    return visible_owner(user, content_type, object_id)


def owner_of(user: Any, item: OwnedByObject) -> Any:
    return visible_owner(user, ContentType.objects.get_for_id(item.content_type_id), item.object_id)


def can_upload(user: Any, owner: Any) -> bool:
    """The owner's change permission, unless the owner has frozen its files (a paid claim)."""
    if getattr(owner, "attachments_locked", False):
        return False
    school_id = owner_school_id(owner)
    return school_id is not None and has_perm_in_school(
        user, perm_name(type(owner), "change"), school_id
    )


def can_delete_attachment(user: Any, attachment: Attachment, owner: Any) -> bool:
    if getattr(owner, "attachments_locked", False):
        return False
    return attachment.uploaded_by_id == user.pk or can_upload(user, owner)


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "HOUQIN_COMMENT_EDIT_MINUTES", 15)))


def is_moderator(user: Any, school_id: int | None) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_perm_in_school(
        user, MODERATE_COMMENTS, school_id
    )


def can_change_comment(user: Any, comment: Comment, now: datetime.datetime | None = None) -> bool:
    """The author within the edit window, or a moderator of the school, at any time."""
    now = now or timezone.now()
    own = comment.author_id is not None and comment.author_id == user.pk
    if own and now - comment.created_at <= edit_window():
        return True
    return is_moderator(user, comment.school_id)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
