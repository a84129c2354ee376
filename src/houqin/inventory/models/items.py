"""Stock items (耗材) and their ledger (出入库流水).

An item's ``quantity`` and ``value`` are running totals of its movements. They change only
through ``inventory.services.stock.stock_move``, which locks the item row, refuses to go
below zero and writes the movement with the balance after it; a database constraint backs
the rule that stock is never negative.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import ItemCategory, MovementKind

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}
COST = {"max_digits": 14, "decimal_places": 4}


class PaperSize(models.TextChoices):
    A4 = "A4", "A4"
    A3 = "A3", "A3"
    B5 = "B5", "B5"
    B4 = "B4", "B4"
    K8 = "8K", _("8K (八开)")
    K16 = "16K", _("16K (十六开)")


class StockItem(SchoolOwnedModel):
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="个")
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    min_stock = models.DecimalField(
        _("minimum stock"), **QTY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    max_stock = models.DecimalField(
        _("maximum stock"),
        **QTY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("A reorder suggestion fills the stock up to this level."),
    )
    shelf = models.CharField(_("shelf"), max_length=30, blank=True)
    is_restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Requisitions of a restricted item always need approval."),
    )
    paper_size = models.CharField(
        _("paper size"),
        max_length=5,
        choices=PaperSize.choices,
        blank=True,
        help_text=_("For paper: print jobs of this size take their sheets from this item."),
    )
    sheets_per_unit = models.PositiveIntegerField(
        _("sheets per unit"),
        null=True,
        blank=True,
        help_text=_("For paper: sheets in one unit, for example 500 in a ream."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    quantity = models.DecimalField(_("in stock"), **QTY, default=Decimal("0"), editable=False)
    value = models.DecimalField(
        _("stock value (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    average_cost = models.DecimalField(
        _("average cost (yuan)"), **COST, default=Decimal("0"), editable=False
    )

    # Running totals are written by the stock service with its own ledger row.
    audit_exclude = ("created_at", "updated_at", "quantity", "value", "average_cost")

    class Meta:
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")
        ordering = ["school", "category", "name"]
        permissions = [
            ("move_stock", _("Receive, issue and adjust stock")),
            ("view_inventory_reports", _("See consumption reports")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="inventory_item_unique_code"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="inventory_item_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="inventory_item_value_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "category", "name"]),
            models.Index(fields=["school", "name"]),
            models.Index(fields=["school", "paper_size"]),
        ]

    def __str__(self) -> str:
        if self.specification:
            return f"{self.name}（{self.specification}）"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("inventory:item_detail", args=[self.pk])

    @property
    def is_low(self) -> bool:
        return self.quantity <= self.min_stock

    def clean(self) -> None:
        if self.max_stock is not None and self.max_stock < self.min_stock:
            raise ValidationError(
                {"max_stock": _("The maximum stock cannot be below the minimum stock.")}
            )
        if bool(self.paper_size) != bool(self.sheets_per_unit):
            raise ValidationError(
                {"sheets_per_unit": _("Paper needs both its size and the sheets per unit.")}
            )


class StockMovement(models.Model):
    """One movement in or out of the store (append-only)."""

    school = models.ForeignKey(
        "org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    quantity = models.DecimalField(
        _("quantity"), **QTY, help_text=_("Positive into the store, negative out of it.")
    )
    unit_cost = models.DecimalField(_("unit cost (yuan)"), **COST)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    balance = models.DecimalField(_("balance after"), **QTY)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    source_type = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(quantity=0), name="inventory_movement_not_zero"
            ),
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="inventory_movement_balance_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["item", "-at"]),
            models.Index(fields=["school", "-at"]),
            # Covers the consumption report's sums (school, kinds, period; per department,
            # person and month) from the index alone; also serves every (school, kind, at) use.
            models.Index(
                fields=["school", "kind", "at", "department", "person", "amount", "quantity"],
                name="inventory_movement_consumed",
            ),
            models.Index(fields=["school", "department", "at"]),
            models.Index(fields=["school", "person", "at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("inventory:item_detail", args=[self.item_id])

    @property
    def is_incoming(self) -> bool:
        return self.quantity > 0

    def source_url(self) -> Any:
        from houqin.core.sources import url_for

        return url_for(self.source_type, self.source_id)
