"""Stocktakes (盘点): a count over a scope, one line per expected asset plus surplus finds."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import CountResult, StocktakeScope, StocktakeStatus

T = StocktakeStatus


class Stocktake(SchoolOwnedModel):
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        T.COUNTING: {T.RECONCILING: None, T.CANCELLED: None},
        T.RECONCILING: {T.COUNTING: None, T.CLOSED: None},
        T.CLOSED: {},
        T.CANCELLED: {},
    }

    number = models.CharField(_("number"), max_length=30, editable=False)
    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("scope"), max_length=20, choices=StocktakeScope.choices)
    building = models.ForeignKey(
        "org.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    category = models.ForeignKey(
        "assets.AssetCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    is_holiday_campaign = models.BooleanField(
        _("holiday clean-up campaign"),
        default=False,
        help_text=_("假期公物清理: damaged items found become repair tasks."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=T.choices, default=T.COUNTING, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
        editable=False,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-created_at"]
        permissions = [("count_stocktake", _("Count assets in a stocktake"))]
        indexes = [models.Index(fields=["school", "status", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="assets_stocktake_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("assets:stocktake_detail", args=[self.pk])


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(
        Stocktake, on_delete=models.CASCADE, related_name="lines", verbose_name=_("stocktake")
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asset"),
    )
    expected_room = models.ForeignKey(
        "org.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room on the register"),
    )
    result = models.CharField(
        _("result"), max_length=20, choices=CountResult.choices, default=CountResult.PENDING
    )
    found_room = models.ForeignKey(
        "org.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room found in"),
    )
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counted by"),
    )
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    surplus_name = models.CharField(_("surplus item"), max_length=200, blank=True)
    repair_needed = models.BooleanField(_("needs repair"), default=False)
    repaired_at = models.DateTimeField(_("repaired at"), null=True, blank=True)
    applied = models.BooleanField(_("correction applied"), default=False)

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "asset"],
                condition=models.Q(asset__isnull=False),
                name="assets_stocktake_line_unique_asset",
            ),
        ]
        indexes = [
            models.Index(fields=["stocktake", "expected_room", "result"]),
            models.Index(fields=["stocktake", "result"]),
        ]

    def __str__(self) -> str:
        return f"{self.stocktake_id}:{self.asset_id or self.surplus_name}"
