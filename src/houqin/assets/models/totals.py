"""Totals of the register per school, status, category and low-value flag, kept by triggers.

The register's totals (cards, quantity, original value, accumulated depreciation) over a whole
district are read from here instead of summing half a million cards on every page view. The
rows are written only by the database triggers of ``houqin.assets.totals_sql``, in the
transaction that changes a card; money is held in fen (whole cents) so that adding and taking
away never drifts.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from houqin.core.models import ScopedQuerySet


class AssetRegisterTotal(models.Model):
    school = models.ForeignKey(
        "org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    status = models.CharField(_("status"), max_length=20)
    #: The category's key (no foreign key: rows are written by triggers only).
    category_key = models.BigIntegerField(_("category"))
    is_low_value = models.BooleanField(_("low-value item"))
    cards = models.BigIntegerField(_("cards"), default=0)
    quantity = models.BigIntegerField(_("quantity"), default=0)
    original_fen = models.BigIntegerField(_("original value (fen)"), default=0)
    depreciation_fen = models.BigIntegerField(_("accumulated depreciation (fen)"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_field: ClassVar[str] = "school_id"

    class Meta:
        verbose_name = _("register total")
        verbose_name_plural = _("register totals")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "status", "category_key", "is_low_value"],
                name="assets_register_total_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.status} {self.category_key}: {self.cards}"
