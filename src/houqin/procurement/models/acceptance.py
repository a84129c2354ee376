"""Acceptance (验收) of deliveries, and the asset cards waiting to be placed."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import AcceptanceResult, AcceptanceStatus, IntakeStatus

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}


class Acceptance(SchoolOwnedModel):
    S = AcceptanceStatus
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.DRAFT: {
            S.CONFIRMED: "procurement.accept_purchaseorder",
            S.CANCELLED: "procurement.accept_purchaseorder",
        },
        S.CONFIRMED: {},
        S.CANCELLED: {},
    }

    number = models.CharField(_("number"), max_length=30, editable=False)
    order = models.ForeignKey(
        "procurement.PurchaseOrder",
        on_delete=models.PROTECT,
        related_name="acceptances",
        verbose_name=_("purchase order"),
    )
    delivered_on = models.DateField(_("delivered on"))
    delivery_note = models.CharField(_("delivery note number"), max_length=60, blank=True)
    acceptors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("acceptors")
    )
    result = models.CharField(
        _("result"),
        max_length=20,
        choices=AcceptanceResult.choices,
        default=AcceptanceResult.ACCEPTED,
        editable=False,
    )
    quality_score = models.PositiveSmallIntegerField(
        _("quality (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)], default=5
    )
    notes = models.TextField(_("findings"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AcceptanceStatus.choices,
        default=AcceptanceStatus.DRAFT,
        editable=False,
    )
    amount = models.DecimalField(
        _("accepted amount (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["-delivered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="procurement_acceptance_unique_number"
            )
        ]
        indexes = [models.Index(fields=["school", "status", "-delivered_on"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("procurement:acceptance_detail", args=[self.pk])

    @property
    def attachments_locked(self) -> bool:
        """The photos of a confirmed acceptance are evidence."""
        return self.status == AcceptanceStatus.CONFIRMED


class AcceptanceLine(models.Model):
    acceptance = models.ForeignKey(
        Acceptance, on_delete=models.CASCADE, related_name="lines", verbose_name=_("acceptance")
    )
    order_line = models.ForeignKey(
        "procurement.PurchaseOrderLine",
        on_delete=models.PROTECT,
        related_name="acceptance_lines",
        verbose_name=_("order line"),
    )
    delivered = models.DecimalField(
        _("delivered"), **QTY, validators=[MinValueValidator(0)], default=Decimal("0")
    )
    accepted = models.DecimalField(
        _("accepted"), **QTY, validators=[MinValueValidator(0)], default=Decimal("0")
    )
    rejected = models.DecimalField(
        _("returned"), **QTY, validators=[MinValueValidator(0)], default=Decimal("0")
    )
    note = models.CharField(_("quality note"), max_length=200, blank=True)
    returned_later = models.DecimalField(
        _("returned after acceptance"), **QTY, default=Decimal("0"), editable=False
    )

    class Meta:
        verbose_name = _("acceptance line")
        verbose_name_plural = _("acceptance lines")
        ordering = ["acceptance", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivered=models.F("accepted") + models.F("rejected")),
                name="procurement_acceptline_adds_up",
            ),
            models.CheckConstraint(
                condition=models.Q(returned_later__lte=models.F("accepted")),
                name="procurement_acceptline_returns_at_most_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_line_id} {self.accepted}"


class AssetIntake(SchoolOwnedModel):
    """待建卡: accepted goods at or above the capitalisation threshold, waiting for the asset
    keeper to give them a category, a room and a custodian."""

    acceptance_line = models.ForeignKey(
        AcceptanceLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("accepted line")
    )
    name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price (yuan)"), **MONEY)
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IntakeStatus.choices,
        default=IntakeStatus.WAITING,
        editable=False,
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asset card"),
        editable=False,
    )

    class Meta:
        verbose_name = _("asset to register")
        verbose_name_plural = _("assets to register")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["school", "status", "-received_on"])]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:intake_detail", args=[self.pk])
