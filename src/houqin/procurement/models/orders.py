"""Purchase orders (采购订单): approved request lines consolidated per supplier, with the
quotes compared before choosing (三方比价) and the purchase intention published where the
amount requires it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import OrderStatus

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}


class PurchaseOrder(SchoolOwnedModel):
    S = OrderStatus
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.DRAFT: {
            S.QUOTING: "procurement.change_purchaseorder",
            S.PLACED: "procurement.change_purchaseorder",
            S.CANCELLED: "procurement.change_purchaseorder",
        },
        S.QUOTING: {
            S.DRAFT: "procurement.change_purchaseorder",
            S.PLACED: "procurement.change_purchaseorder",
            S.CANCELLED: "procurement.change_purchaseorder",
        },
        S.PLACED: {
            S.PARTIAL: "procurement.accept_purchaseorder",
            S.RECEIVED: "procurement.accept_purchaseorder",
            S.CANCELLED: "procurement.change_purchaseorder",
            S.CLOSED: "procurement.change_purchaseorder",
        },
        S.PARTIAL: {
            S.RECEIVED: "procurement.accept_purchaseorder",
            S.PLACED: "procurement.accept_purchaseorder",
            S.CLOSED: "procurement.change_purchaseorder",
        },
        S.RECEIVED: {
            S.CLOSED: "procurement.change_purchaseorder",
            S.PARTIAL: "procurement.accept_purchaseorder",
        },
        S.CLOSED: {},
        S.CANCELLED: {},
    }
    EDITABLE = (S.DRAFT, S.QUOTING)

    number = models.CharField(_("number"), max_length=30, editable=False)
    title = models.CharField(_("title"), max_length=200)
    supplier = models.ForeignKey(
        "procurement.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("supplier"),
        help_text=_("Chosen directly, or from the quotes when the amount needs them."),
    )
    purchaser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("purchaser"),
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.DRAFT,
        editable=False,
    )
    total = models.DecimalField(_("total (yuan)"), **MONEY, default=Decimal("0"), editable=False)
    estimated_total = models.DecimalField(
        _("estimated total (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    line_count = models.PositiveIntegerField(_("order lines"), default=0, editable=False)
    merged_count = models.PositiveIntegerField(
        _("request lines merged"),
        default=0,
        editable=False,
        help_text=_("How many request lines the order buys together."),
    )
    expected_on = models.DateField(_("expected delivery"), null=True, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=200, blank=True)
    choice_reason = models.TextField(
        _("reason for the choice"),
        blank=True,
        help_text=_("Why this supplier was chosen among the quotes."),
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("quote evaluators"),
    )
    intention_published_on = models.DateField(
        _("purchase intention published on"), null=True, blank=True
    )
    intention_url = models.URLField(_("where the intention was published"), blank=True)
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at", "-id"]
        permissions = [("accept_purchaseorder", _("Accept deliveries (验收)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="procurement_order_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["school", "supplier", "-created_at"]),
            # The list's default order and its purchaser filter.
            models.Index(fields=["school", "-created_at"], name="procurement_order_recent"),
            models.Index(
                fields=["school", "purchaser", "-created_at"], name="procurement_order_purchaser"
            ),
            # The purchasing figures: orders placed in a period (the placed statuses only).
            models.Index(
                fields=["school", "placed_at"],
                condition=models.Q(
                    status__in=[
                        OrderStatus.PLACED,
                        OrderStatus.PARTIAL,
                        OrderStatus.RECEIVED,
                        OrderStatus.CLOSED,
                    ]
                ),
                name="procurement_order_placed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:order_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def savings(self) -> Decimal:
        return self.estimated_total - self.total


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("purchase order"),
    )
    item_name = models.CharField(_("item"), max_length=100)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    quantity = models.DecimalField(
        _("quantity"), **QTY, validators=[MinValueValidator(Decimal("0.001"))]
    )
    unit_price = models.DecimalField(
        _("unit price (yuan)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    estimated_price = models.DecimalField(
        _("estimated unit price (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    stock_item = models.ForeignKey(
        "inventory.StockItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store item"),
    )
    is_asset = models.BooleanField(
        _("fixed asset"),
        default=False,
        help_text=_("Set automatically when the unit price reaches the capitalisation threshold."),
    )
    received = models.DecimalField(_("accepted"), **QTY, default=Decimal("0"), editable=False)
    returned = models.DecimalField(
        _("returned to supplier"), **QTY, default=Decimal("0"), editable=False
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received__gte=0), name="procurement_orderline_received_ok"
            ),
            models.CheckConstraint(
                condition=models.Q(received__lte=models.F("quantity")),
                name="procurement_orderline_received_at_most_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} × {self.quantity}{self.unit}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.received


class Quotation(models.Model):
    """One supplier's quote for an order (报价)."""

    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.CASCADE,
        related_name="quotations",
        verbose_name=_("purchase order"),
    )
    supplier = models.ForeignKey(
        "procurement.Supplier",
        on_delete=models.PROTECT,
        related_name="quotations",
        verbose_name=_("supplier"),
    )
    total = models.DecimalField(_("quoted total (yuan)"), **MONEY, default=Decimal("0"))
    quoted_on = models.DateField(_("quoted on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    delivery_days = models.PositiveSmallIntegerField(_("delivery (days)"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    is_chosen = models.BooleanField(_("chosen"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["order", "total"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "supplier"], name="procurement_quote_one_per_supplier"
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(is_chosen=True),
                name="procurement_quote_one_chosen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.total}"


class QuotationLine(models.Model):
    quotation = models.ForeignKey(
        Quotation, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quotation")
    )
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("line")
    )
    unit_price = models.DecimalField(
        _("unit price (yuan)"), **MONEY, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("quoted price")
        verbose_name_plural = _("quoted prices")
        constraints = [
            models.UniqueConstraint(
                fields=["quotation", "order_line"], name="procurement_quoteline_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.unit_price)
