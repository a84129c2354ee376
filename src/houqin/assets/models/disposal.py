"""Disposal (报废) of assets: request, appraisal, approval by value tiers, method and proceeds."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import DisposalMethod
from .movements import AssetRequest


class AssetDisposal(AssetRequest):
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    reason = models.TextField(_("reason"))
    condition = models.TextField(_("condition"))
    appraisal = models.TextField(_("technical appraisal"), blank=True)
    appraiser = models.CharField(_("appraised by"), max_length=100, blank=True)
    method = models.CharField(_("disposal method"), max_length=20, choices=DisposalMethod.choices)
    proceeds = models.DecimalField(
        _("proceeds (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    total_value = models.DecimalField(
        _("original value (yuan)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
    )
    net_value = models.DecimalField(
        _("net value (yuan)"), max_digits=16, decimal_places=2, default=Decimal(0), editable=False
    )
    completed_at = models.DateTimeField(_("disposed of at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("asset disposal")
        verbose_name_plural = _("asset disposals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            # The yearly report, of one school and of the whole district.
            models.Index(fields=["school", "status", "completed_at"]),
            models.Index(fields=["status", "completed_at"], name="assets_disposal_done_all"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="assets_disposal_unique_number"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("assets:disposal_detail", args=[self.pk])


class AssetDisposalLine(models.Model):
    disposal = models.ForeignKey(
        AssetDisposal, on_delete=models.CASCADE, related_name="lines", verbose_name=_("disposal")
    )
    asset = models.ForeignKey(
        "assets.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("asset")
    )
    original_value = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    net_value = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    previous_status = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("disposal line")
        verbose_name_plural = _("disposal lines")
        constraints = [
            models.UniqueConstraint(
                fields=["disposal", "asset"], name="assets_disposal_line_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disposal_id}:{self.asset_id}"
