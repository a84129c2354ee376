"""Damage reports and compensation (公物损坏赔偿)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import CompensationMethod, DamageStatus, ResponsibleKind

D = DamageStatus


class DamageReport(SchoolOwnedModel):
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        D.REPORTED: {D.ASSESSED: "assets.assess_damagereport", D.NO_CHARGE: None},
        D.ASSESSED: {
            D.ASSESSED: "assets.assess_damagereport",
            D.NOTIFIED: "assets.assess_damagereport",
            D.WAIVER_PENDING: "assets.assess_damagereport",
            D.NO_CHARGE: None,
            D.PAID: "assets.record_compensation",
        },
        D.WAIVER_PENDING: {D.ASSESSED: None, D.NOTIFIED: None, D.WAIVED: None},
        D.NOTIFIED: {D.PAID: "assets.record_compensation", D.WAIVER_PENDING: None},
        D.PAID: {},
        D.WAIVED: {},
        D.NO_CHARGE: {},
    }

    number = models.CharField(_("number"), max_length=30, editable=False)
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="damage_reports",
        verbose_name=_("asset"),
        help_text=_("Leave empty for an item that is not on the register (glass, a lamp…)."),
    )
    price_item = models.ForeignKey(
        "assets.CompensationPriceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("price list item"),
    )
    item_name = models.CharField(_("item"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    room = models.ForeignKey(
        "org.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room"),
    )
    occurred_at = models.DateTimeField(_("when it happened"), default=timezone.now)
    description = models.TextField(_("what happened"))
    responsible_kind = models.CharField(
        _("responsible party"), max_length=20, choices=ResponsibleKind.choices
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible member of staff"),
    )
    responsible_name = models.CharField(_("name of the responsible"), max_length=100, blank=True)
    student_class = models.CharField(_("class"), max_length=50, blank=True)
    deliberate = models.BooleanField(_("deliberate"), default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=D.choices, default=D.REPORTED, editable=False
    )
    method = models.CharField(
        _("rule"), max_length=20, choices=CompensationMethod.choices, blank=True, editable=False
    )
    computed_amount = models.DecimalField(
        _("amount by the rule (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    rule_text = models.TextField(_("how it was computed"), blank=True, editable=False)
    assessed_amount = models.DecimalField(
        _("assessed amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    adjust_reason = models.CharField(
        _("reason for changing the amount"), max_length=300, blank=True, editable=False
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
        editable=False,
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True, editable=False)
    proposed_amount = models.DecimalField(
        _("proposed reduced amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    waiver_reason = models.CharField(
        _("reason for the reduction"), max_length=300, blank=True, editable=False
    )
    notified_at = models.DateTimeField(_("notice issued at"), null=True, blank=True, editable=False)
    paid_amount = models.DecimalField(
        _("amount paid (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    receipt_number = models.CharField(
        _("receipt number"), max_length=50, blank=True, editable=False
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, editable=False)
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("damage report")
        verbose_name_plural = _("damage reports")
        ordering = ["-occurred_at"]
        permissions = [
            ("assess_damagereport", _("Assess the compensation of damage")),
            ("record_compensation", _("Record a compensation payment")),
        ]
        indexes = [
            models.Index(fields=["school", "status", "-occurred_at"]),
            models.Index(fields=["school", "-occurred_at"]),
            models.Index(fields=["school", "student_class"]),
            models.Index(fields=["asset", "-occurred_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="assets_damage_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item_label}"

    def get_absolute_url(self) -> str:
        return reverse("assets:damage_detail", args=[self.pk])

    @property
    def item_label(self) -> str:
        if self.asset_id:
            return self.asset.name
        if self.price_item_id:
            return self.price_item.name
        return self.item_name

    @property
    def amount_due(self) -> Decimal | None:
        """What the responsible party owes: the reduced amount once a reduction is approved."""
        if self.proposed_amount is not None and self.status != D.WAIVER_PENDING:
            return self.proposed_amount
        return self.assessed_amount

    @property
    def responsible_label(self) -> str:
        parts = [str(self.get_responsible_kind_display())]
        if self.responsible_user_id:
            parts.append(str(self.responsible_user))
        if self.responsible_name:
            parts.append(self.responsible_name)
        if self.student_class:
            parts.append(self.student_class)
        return " · ".join(parts)
