"""Uploading and removing attachments, adding, changing and removing comments.

The callers (views, API) check permissions with ``access``; these functions validate, store
and record. Uploads are all-or-nothing: when one file is refused nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import acting_as, current_actor, record
from ..uploads import CheckedFile, check_upload
from .access import owner_school_id
from .models import Attachment, Comment

MAX_FILES = 20
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def _acting(actor: Any) -> AbstractContextManager[Any]:
    """Attribute changes to ``actor``, keeping the request's address when it is the same user."""
    return nullcontext() if actor is None or current_actor() is actor else acting_as(actor)


def clean_name(name: str) -> str:
    """The file's own name without any path or control characters, at most 255 long."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = _UNSAFE_NAME.sub("", base).strip() or "file"
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 250 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:255]
    return base


@dataclass(frozen=True)
class Pending:
    """A checked file waiting to be stored. Documents are stored from the upload itself, so
    a batch does not hold every document in memory; images from their re-encoded bytes."""

    name: str
    checked: CheckedFile
    size: int
    source: Any


def check_files(files: Iterable[Any]) -> list[Pending]:
    """Every file checked; one ``ValidationError`` naming each refused file."""
    checked: list[Pending] = []
    errors: list[str] = []
    files = list(files)
    if not files:
        raise ValidationError(_("Choose at least one file."), code="required")
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("At most %(count)d files at a time.") % {"count": MAX_FILES}, code="too_many"
        )
    for file in files:
        name = clean_name(getattr(file, "name", "") or "")
        try:
            result = check_upload(file, name)
        except ValidationError as exc:
            errors.extend(f"{name}: {message}" for message in exc.messages)
            continue
        kept = result if result.is_image else replace(result, content=b"")
        checked.append(Pending(name, kept, result.size, file))
    if errors:
        raise ValidationError(errors)
    return checked


def _store(attachment: Attachment, pending: Pending) -> None:
    checked = pending.checked
    if checked.content:
        content: File[Any] = ContentFile(checked.content)
    else:
        pending.source.seek(0)
        content = File(pending.source)
    attachment.file.save(f"file.{checked.ext}", content, save=False)
    if checked.thumbnail is not None:
        attachment.thumbnail.save(
            f"thumb.{checked.ext}", ContentFile(checked.thumbnail), save=False
        )


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def attachment_upload(
    *, actor: Any, owner: Any, files: Iterable[Any], description: str = ""
) -> list[Attachment]:
    """Check every file, then store them all on ``owner``; nothing is stored on error."""
    checked = check_files(files)
    content_type = ContentType.objects.get_for_model(owner, for_concrete_model=True)
    school_id = owner_school_id(owner)
    stored: list[str] = []
    created: list[Attachment] = []
    try:
        with transaction.atomic(), _acting(actor):
            for pending in checked:
                item = pending.checked
                attachment = Attachment(
                    content_type=content_type,
                    object_id=owner.pk,
                    school_id=school_id,
                    original_name=pending.name,
                    mime=item.mime,
                    size=pending.size,
                    sha256=item.sha256,
                    width=item.width,
                    height=item.height,
                    uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                    description=description.strip()[:200],
                )
                _store(attachment, pending)
                stored += [attachment.file.name or "", attachment.thumbnail.name or ""]
                attachment.full_clean(exclude=["file", "thumbnail"])
                attachment.save()
                created.append(attachment)
            names = "、".join(pending.name for pending in checked)
            record(owner, "update", {"attachments": [None, names]})
    except BaseException:
        _remove_files(stored)
        raise
    return created


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: Attachment, owner: Any) -> None:
    """Remove the row now and the stored files once the deletion is committed."""
    names = [attachment.file.name or "", attachment.thumbnail.name or ""]
    with _acting(actor):
        attachment.delete()
        record(owner, "update", {"attachments": [attachment.original_name, None]})
    transaction.on_commit(lambda: _remove_files(names))


@transaction.atomic
def comment_add(*, actor: Any, owner: Any, body: str) -> Comment:
    comment = Comment(
        content_type=ContentType.objects.get_for_model(owner, for_concrete_model=True),
        object_id=owner.pk,
        school_id=owner_school_id(owner),
        author=actor if getattr(actor, "is_authenticated", False) else None,
        body=body.strip(),
    )
    comment.full_clean()
    with _acting(actor):
        comment.save()
    return comment


@transaction.atomic
def comment_edit(*, actor: Any, comment: Comment, body: str) -> Comment:
    comment.body = body.strip()
    comment.edited = True
    comment.full_clean()
    with _acting(actor):
        comment.save()
    return comment


@transaction.atomic
def comment_delete(*, actor: Any, comment: Comment) -> None:
    with _acting(actor):
        comment.delete()


def remove_for(instance: Any) -> None:
    """Delete the attachments and comments of a deleted object (``post_delete``)."""
    if isinstance(instance, Attachment | Comment):
        return
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    pk = instance.pk
    if not isinstance(pk, int):
        return
    names: list[str] = []
    for attachment in Attachment.objects.filter(content_type=content_type, object_id=pk):
        names += [attachment.file.name or "", attachment.thumbnail.name or ""]
        attachment.delete()
    for comment in Comment.objects.filter(content_type=content_type, object_id=pk):
        comment.delete()
    if names:
        transaction.on_commit(lambda: _remove_files(names))
