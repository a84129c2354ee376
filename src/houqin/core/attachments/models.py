"""Attachments (photos, PDF, Office files) and comments on any object.

Both point at their owner with a generic key (content type + object id) and copy the
owner's school for scoping and the audit trail. Files live in the ``default`` storage under
a random name (``attachments/<school>/<yyyy>/<mm>/<uuid>.<ext>``) and are only ever served
by ``core:attachment_download`` after checking that the user may see the owner.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import AuditedModel, ScopedQuerySet

ICONS = {
    "application/pdf": "file-earmark-pdf",
    "application/msword": "file-earmark-word",
    "application/vnd.ms-excel": "file-earmark-excel",
    "application/vnd.ms-powerpoint": "file-earmark-ppt",
    "text/plain": "file-earmark-text",
    "text/csv": "filetype-csv",
}


def _folder(instance: Any) -> str:
    when = timezone.localtime(instance.created_at or timezone.now())
    school = instance.school_id or "common"
    return f"attachments/{school}/{when:%Y}/{when:%m}"


def _ext(filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
    return suffix if suffix.isalnum() else "bin"


def attachment_path(instance: Any, filename: str) -> str:
    """A random, non-guessable name; the extension comes from the detected kind."""
    return f"{_folder(instance)}/{instance.key.hex}.{_ext(filename)}"


def thumbnail_path(instance: Any, filename: str) -> str:
    return f"{_folder(instance)}/{instance.key.hex}-thumb.{_ext(filename)}"


class OwnedByObject(AuditedModel):
    """Something attached to any object: its owner, and the owner's school."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    owner = GenericForeignKey("content_type", "object_id")
    school = models.ForeignKey(
        "org.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )

    objects = ScopedQuerySet.as_manager()
    scope_field: ClassVar[str] = "school_id"

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        """The owner's page (the attachment or comment is shown there)."""
        model = self.content_type.model_class()
        if model is None:
            return "/"
        owner = model._default_manager.filter(pk=self.object_id).first()
        url = getattr(owner, "get_absolute_url", None)
        return url() if callable(url) else "/"


class Attachment(OwnedByObject):
    """A checked, re-encoded (for images) file of an object."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=thumbnail_path, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255)
    mime = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    audit_exclude: ClassVar[tuple[str, ...]] = (
        "created_at",
        "updated_at",
        "key",
        "file",
        "thumbnail",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["school", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def ext(self) -> str:
        return _ext(self.file.name or "")

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def is_inline(self) -> bool:
        """Shown in the browser (images, PDF) rather than downloaded."""
        return self.is_image or self.mime == "application/pdf"

    @property
    def download_name(self) -> str:
        """The original name with the extension of what the file really is."""
        stem = PurePosixPath(self.original_name).stem or "file"
        return f"{stem}.{self.ext}"

    @property
    def icon(self) -> str:
        if self.is_image:
            return "file-earmark-image"
        if "wordprocessingml" in self.mime:
            return "file-earmark-word"
        if "spreadsheetml" in self.mime:
            return "file-earmark-excel"
        if "presentationml" in self.mime:
            return "file-earmark-ppt"
        return ICONS.get(self.mime, "file-earmark")

    def download_url(self) -> str:
        return reverse("core:attachment_download", args=[self.pk])

    def thumbnail_url(self) -> str:
        return reverse("core:attachment_thumbnail", args=[self.pk])


class Comment(OwnedByObject):
    """A remark on an object, shown on its activity timeline."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(5000)])
    edited = models.BooleanField(_("edited"), default=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["school", "-created_at"]),
        ]

    def __str__(self) -> str:
        text = " ".join(self.body.split())
        return text[:60] + ("…" if len(text) > 60 else "")
