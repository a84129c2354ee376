"""Stock counts (库存盘点): counted quantities against the book, adjusted once approved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import CountStatus, ItemCategory
from .items import COST, QTY, StockItem


class StockCount(SchoolOwnedModel):
    S = CountStatus
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.COUNTING: {S.PENDING: "inventory.move_stock", S.CANCELLED: "inventory.move_stock"},
        S.PENDING: {S.POSTED: None, S.REJECTED: None, S.RETURNED: None},
        S.RETURNED: {S.PENDING: "inventory.move_stock", S.CANCELLED: "inventory.move_stock"},
        S.POSTED: {},
        S.REJECTED: {},
        S.CANCELLED: {},
    }

    number = models.CharField(_("number"), max_length=30, editable=False)
    title = models.CharField(_("title"), max_length=100)
    categories = models.JSONField(
        _("categories counted"),
        default=list,
        blank=True,
        help_text=_("Leave empty to count every item."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CountStatus.choices,
        default=CountStatus.COUNTING,
        editable=False,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
        editable=False,
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="inventory_count_unique_number"
            )
        ]
        indexes = [models.Index(fields=["school", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("inventory:count_detail", args=[self.pk])

    def category_labels(self) -> list[Any]:
        labels = dict(ItemCategory.choices)
        return [labels.get(code, code) for code in self.categories]


class StockCountLine(models.Model):
    count = models.ForeignKey(
        StockCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("stock count")
    )
    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    book_quantity = models.DecimalField(_("book quantity"), **QTY)
    unit_cost = models.DecimalField(_("unit cost (yuan)"), **COST, default=Decimal("0"))
    counted_quantity = models.DecimalField(_("counted"), **QTY, null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")
        ordering = ["count", "id"]
        constraints = [
            models.UniqueConstraint(fields=["count", "item"], name="inventory_countline_unique"),
            models.CheckConstraint(
                condition=models.Q(counted_quantity__gte=0) | models.Q(counted_quantity=None),
                name="inventory_countline_counted_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.item_id)

    @property
    def difference(self) -> Decimal | None:
        if self.counted_quantity is None:
            return None
        return self.counted_quantity - self.book_quantity
