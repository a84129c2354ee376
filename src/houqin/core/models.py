"""Base classes for every Houqin model, and the audit trail."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import school_ids


class AuditedModel(models.Model):
    """A model whose creations, changes and deletions are written to the audit trail."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")
    _audit_snapshot: dict[str, Any]

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> Any:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._audit_snapshot = dict(zip(field_names, values, strict=False))
        return instance

    def audit_school_id(self) -> int | None:
        return getattr(self, "school_id", None)


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may see."""

    scope_field: ClassVar[str] = "school_id"

    def visible_to(self, user: Any, perm: str | None = None) -> ScopedQuerySet:
        field = getattr(self.model, "scope_field", self.scope_field)
        return self.filter(**{f"{field}__in": school_ids(user, perm)})


class SchoolOwnedModel(AuditedModel):
    """A row that belongs to one school: the unit of scoping."""

    school = models.ForeignKey(
        "org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )

    objects = ScopedQuerySet.as_manager()
    scope_field: ClassVar[str] = "school_id"

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One create, change or delete of an audited object: who, when, what from what to what."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_repr = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    school = models.ForeignKey(
        "org.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field: ClassVar[str] = "school_id"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["school", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"


class StatusChange(models.Model):
    """One move of an object's status: the append-only workflow ledger."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    school = models.ForeignKey(
        "org.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    field = models.CharField(max_length=40, default="status")
    from_status = models.CharField(_("from"), max_length=40, blank=True)
    to_status = models.CharField(_("to"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class DocumentSequence(models.Model):
    """The last number issued per school, document type and year (BX-2026-000001)."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "prefix", "year"], name="core_docseq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


# Attachments and comments on any object live in their own module.
from .attachments.models import Attachment, Comment  # noqa: E402, F401
from .exportjobs.models import ExportFile  # noqa: E402, F401
