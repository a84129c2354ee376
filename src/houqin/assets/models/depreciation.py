"""Monthly depreciation runs (折旧计提), kept with their totals by category and department."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from .register import period_label


class DepreciationRun(SchoolOwnedModel):
    """One posted month of one school. Posting a month twice is refused by the unique key."""

    period = models.PositiveIntegerField(_("month"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    asset_count = models.PositiveIntegerField(_("assets depreciated"), default=0)
    amount = models.DecimalField(
        _("depreciation of the month (yuan)"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("depreciation run")
        verbose_name_plural = _("depreciation runs")
        ordering = ["school", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "period"], name="assets_depreciation_run_unique_month"
            ),
        ]

    def __str__(self) -> str:
        return period_label(self.period)

    @property
    def label(self) -> str:
        return period_label(self.period)


class DepreciationLine(models.Model):
    """Totals of one run for one category and department (the 折旧计提表 rows)."""

    run = models.ForeignKey(
        DepreciationRun, on_delete=models.CASCADE, related_name="lines", verbose_name=_("run")
    )
    category = models.ForeignKey("assets.AssetCategory", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asset_count = models.PositiveIntegerField(default=0)
    original_value = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal(0))
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    accumulated = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("depreciation line")
        verbose_name_plural = _("depreciation lines")
        indexes = [models.Index(fields=["run", "category", "department"])]

    def __str__(self) -> str:
        return f"{self.run_id} {self.category_id} {self.department_id}"
