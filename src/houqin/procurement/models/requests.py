"""Purchase requests (采购申请) by departments, line by line."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel, ScopedQuerySet
from houqin.finance.models import ExpenseCategory

from ..choices import LineStatus, RequestStatus

QTY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}


class PurchaseRequestQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> PurchaseRequestQuerySet:
        """The purchasing office sees every request; staff their own, department heads their
        department's, approvers what they decide."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from houqin.approvals.selectors import subjects_visible_q

        return self.filter(
            subjects_visible_q(
                user,
                perm,
                see_all="procurement.view_all_purchaserequest",
                request_type="purchase_request",
            )
        )


class PurchaseRequest(SchoolOwnedModel):
    S = RequestStatus
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.DRAFT: {S.PENDING: None, S.CANCELLED: None},
        S.PENDING: {S.APPROVED: None, S.REJECTED: None, S.RETURNED: None, S.WITHDRAWN: None},
        S.RETURNED: {S.PENDING: None, S.WITHDRAWN: None, S.CANCELLED: None},
        S.WITHDRAWN: {S.PENDING: None, S.CANCELLED: None},
        S.APPROVED: {
            S.ORDERING: "procurement.add_purchaseorder",
            S.ORDERED: "procurement.add_purchaseorder",
            S.CANCELLED: "procurement.add_purchaseorder",
        },
        S.ORDERING: {
            S.ORDERED: "procurement.add_purchaseorder",
            S.APPROVED: "procurement.add_purchaseorder",
        },
        S.ORDERED: {
            S.RECEIVED: None,
            S.ORDERING: "procurement.add_purchaseorder",
            S.APPROVED: "procurement.add_purchaseorder",
        },
        S.RECEIVED: {},
        S.REJECTED: {},
        S.CANCELLED: {},
    }
    EDITABLE = (S.DRAFT, S.RETURNED, S.WITHDRAWN)

    number = models.CharField(_("number"), max_length=30, editable=False)
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requester"),
        editable=False,
    )
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    budget_line = models.ForeignKey(
        "finance.BudgetLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("budget line"),
    )
    reason = models.TextField(_("reason"))
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        editable=False,
    )
    estimated_total = models.DecimalField(
        _("estimated total (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    committed = models.DecimalField(
        _("budget committed (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)

    objects = PurchaseRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_purchaserequest", _("See every purchase request of the school")),
            ("view_procurement_reports", _("See purchasing and savings reports")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="procurement_request_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["school", "requester", "-created_at"]),
            models.Index(fields=["school", "department", "-created_at"]),
            # The list's default order, its category filter and its "needed before" filter.
            models.Index(fields=["school", "-created_at"], name="procurement_request_recent"),
            models.Index(
                fields=["school", "category", "-created_at"], name="procurement_request_category"
            ),
            models.Index(fields=["school", "needed_by"], name="procurement_request_needed"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:request_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def clean(self) -> None:
        if self.school_id and self.department_id and self.department.school_id != self.school_id:
            raise ValidationError({"department": _("Choose a department of this school.")})
        if self.budget_line_id and self.school_id and self.budget_line.school_id != self.school_id:
            raise ValidationError({"budget_line": _("Choose a budget line of this school.")})


class PurchaseRequestLine(models.Model):
    request = models.ForeignKey(
        PurchaseRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("request")
    )
    item_name = models.CharField(_("item"), max_length=100)
    specification = models.CharField(_("specification"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), **QTY, validators=[MinValueValidator(Decimal("0.001"))]
    )
    unit = models.CharField(_("unit"), max_length=20)
    estimated_price = models.DecimalField(
        _("estimated unit price (yuan)"), **MONEY, validators=[MinValueValidator(0)]
    )
    stock_item = models.ForeignKey(
        "inventory.StockItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store item"),
        help_text=_("Goods for the store go into stock when accepted."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LineStatus.choices,
        default=LineStatus.OPEN,
        editable=False,
    )
    order_line = models.ForeignKey(
        "procurement.PurchaseOrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request_lines",
        editable=False,
    )
    received = models.DecimalField(_("received"), **QTY, default=Decimal("0"), editable=False)

    class Meta:
        verbose_name = _("purchase request line")
        verbose_name_plural = _("purchase request lines")
        ordering = ["request", "id"]
        indexes = [models.Index(fields=["status", "request"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received__gte=0),
                name="procurement_reqline_received_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_name} × {self.quantity}{self.unit}"

    @property
    def estimated_amount(self) -> Decimal:
        return (self.quantity * self.estimated_price).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
