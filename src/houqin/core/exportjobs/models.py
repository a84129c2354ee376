"""One export prepared in the background for one person."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_path(instance: Any, filename: str) -> str:
    """A random, non-guessable name; the download name is kept in ``filename``."""
    when = timezone.localtime(instance.created_at or timezone.now())
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"exports/{when:%Y}/{when:%m}/{instance.key.hex}.{suffix[:8]}"


class ExportFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    school = models.ForeignKey(
        "org.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    title = models.CharField(_("title"), max_length=200)
    path = models.CharField(max_length=500)
    query = models.TextField(blank=True)
    #: The school switcher's value when it was asked for ("" when the session had none).
    school_choice = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("file"), upload_to=export_path, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_export_owner")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:export_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def expires_at(self) -> Any:
        return self.created_at + datetime.timedelta(days=settings.HOUQIN_EXPORT_KEEP_DAYS)

    @property
    def source_url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path
