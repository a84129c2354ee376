"""Transfers (调拨) between rooms, custodians and departments, and loans (借用/归还)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import LoanStatus, RequestStatus

S = RequestStatus

# Transfers and disposals share the life cycle of a request that goes through approval.
REQUEST_TRANSITIONS: dict[str, dict[str, str | None]] = {
    S.DRAFT: {S.PENDING: None, S.COMPLETED: None},
    S.PENDING: {S.APPROVED: None, S.REJECTED: None, S.RETURNED: None, S.WITHDRAWN: None},
    S.RETURNED: {S.PENDING: None, S.WITHDRAWN: None},
    S.WITHDRAWN: {S.PENDING: None, S.COMPLETED: None},
    S.APPROVED: {S.COMPLETED: None},
    S.REJECTED: {},
    S.COMPLETED: {},
}
REQUEST_EDITABLE = (S.DRAFT, S.RETURNED, S.WITHDRAWN)


class AssetRequest(SchoolOwnedModel):
    """What transfers and disposals share: a numbered request of one member of staff that
    goes through an approval chain (``REQUEST_TRANSITIONS``)."""

    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = REQUEST_TRANSITIONS

    number = models.CharField(_("number"), max_length=30, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requester"),
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=S.choices, default=S.DRAFT, editable=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    @property
    def is_editable(self) -> bool:
        return self.status in REQUEST_EDITABLE


class AssetTransfer(AssetRequest):
    to_room = models.ForeignKey(
        "org.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to room"),
    )
    to_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to custodian"),
    )
    to_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to department"),
    )
    reason = models.TextField(_("reason"))
    total_value = models.DecimalField(
        _("value (yuan)"), max_digits=16, decimal_places=2, default=Decimal(0), editable=False
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("asset transfer")
        verbose_name_plural = _("asset transfers")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "status", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="assets_transfer_unique_number"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("assets:transfer_detail", args=[self.pk])

    @property
    def department(self) -> Any:
        return self.to_department


class AssetTransferLine(models.Model):
    transfer = models.ForeignKey(
        AssetTransfer, on_delete=models.CASCADE, related_name="lines", verbose_name=_("transfer")
    )
    asset = models.ForeignKey(
        "assets.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("asset")
    )
    from_room = models.ForeignKey(
        "org.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "asset"], name="assets_transfer_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}:{self.asset_id}"


class AssetLoan(SchoolOwnedModel):
    """A loan of one asset to a member of staff (or a named outsider) until a due date."""

    number = models.CharField(_("number"), max_length=30, editable=False)
    asset = models.ForeignKey(
        "assets.Asset", on_delete=models.PROTECT, related_name="loans", verbose_name=_("asset")
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("borrower"),
    )
    borrower_name = models.CharField(_("borrower (not a user)"), max_length=100, blank=True)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    lent_at = models.DateTimeField(_("lent at"), editable=False)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lent by"),
        editable=False,
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LoanStatus.choices,
        default=LoanStatus.OUT,
        editable=False,
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True, editable=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
        editable=False,
    )
    return_condition = models.CharField(_("condition on return"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("asset loan")
        verbose_name_plural = _("asset loans")
        ordering = ["-lent_at"]
        indexes = [
            models.Index(fields=["school", "status", "due_date"]),
            models.Index(fields=["asset", "-lent_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="assets_loan_unique_number"),
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(status="out"),
                name="assets_loan_one_open_per_asset",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("assets:loan_detail", args=[self.pk])

    @property
    def borrower_label(self) -> str:
        return str(self.borrower) if self.borrower_id else self.borrower_name

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status == LoanStatus.OUT and self.due_date < timezone.localdate()
