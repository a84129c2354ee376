"""A repair request (报修): what a member of staff or a visitor at a QR code reports."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.codes import new_public_code
from houqin.core.models import SchoolOwnedModel

from ..choices import Channel, RequestStatus, Urgency

R = RequestStatus


class RepairRequest(SchoolOwnedModel):
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        R.TRIAGE: {
            R.OPEN: "maintenance.triage_repairrequest",
            R.JOINED: "maintenance.triage_repairrequest",
            R.REJECTED: "maintenance.triage_repairrequest",
        },
        R.OPEN: {},
        R.JOINED: {},
        R.REJECTED: {},
    }

    number = models.CharField(_("number"), max_length=30, editable=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.STAFF
    )
    status = models.CharField(
        _("status"), max_length=10, choices=R.choices, default=R.OPEN, editable=False
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
        editable=False,
    )
    reporter_name = models.CharField(_("name"), max_length=50)
    reporter_unit = models.CharField(
        _("class or department"), max_length=100, blank=True, help_text=_("For example 初二(3)班.")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    room = models.ForeignKey(
        "org.Room", on_delete=models.PROTECT, related_name="+", verbose_name=_("room")
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asset"),
    )
    category = models.ForeignKey(
        "maintenance.RepairCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    description = models.TextField(_("what is wrong"), max_length=2000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    work_order = models.ForeignKey(
        "maintenance.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("work order"),
        editable=False,
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    source_address = models.GenericIPAddressField(
        _("address"), null=True, blank=True, editable=False
    )
    reject_reason = models.CharField(_("reason"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        ordering = ["school", "-created_at"]
        permissions = [("triage_repairrequest", _("Triage repair requests from the QR portal"))]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="maintenance_request_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["school", "-created_at"]),
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["reporter", "-created_at"]),
            models.Index(fields=["room", "-created_at"]),
            models.Index(fields=["source_address", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("maintenance:request_detail", args=[self.pk])

    @classmethod
    def personal_for(cls, user: Any) -> models.QuerySet[RepairRequest]:
        """The requests a person reported: theirs to see (with their photos) without
        ``view_repairrequest``."""
        if not getattr(user, "is_authenticated", False):
            return cls.objects.none()
        return cls.objects.filter(reporter=user)

    def get_tracking_url(self) -> str:
        return reverse("maintenance:track", args=[self.tracking_code])
