"""Requisitions (申领) by staff for their department, and per-term department quotas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel, ScopedQuerySet

from ..choices import RequisitionStatus
from .items import QTY, StockItem


class DepartmentQuota(SchoolOwnedModel):
    """领用限额: what a department may take from the store in a term without approval."""

    term = models.ForeignKey(
        "org.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    amount = models.DecimalField(
        _("quota (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("department quota")
        verbose_name_plural = _("department quotas")
        ordering = ["school", "-term__start", "department__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "department"], name="inventory_quota_unique_term_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.department}"

    def get_absolute_url(self) -> str:
        return reverse("inventory:quota_list")

    def clean(self) -> None:
        if self.school_id and self.department_id and self.department.school_id != self.school_id:
            raise ValidationError({"department": _("Choose a department of this school.")})
        if self.school_id and self.term_id and self.term.school_id != self.school_id:
            raise ValidationError({"term": _("Choose a term of this school.")})


class RequisitionQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> RequisitionQuerySet:
        """The store and the office see every requisition; staff their own and their
        department's when they head it; approvers what they decide."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from houqin.approvals.selectors import subjects_visible_q

        return self.filter(
            subjects_visible_q(
                user,
                perm,
                see_all="inventory.view_all_requisition",
                request_type="requisition",
            )
        )


class Requisition(SchoolOwnedModel):
    S = RequisitionStatus
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.DRAFT: {S.PENDING: None, S.APPROVED: None, S.CANCELLED: None},
        S.PENDING: {S.APPROVED: None, S.REJECTED: None, S.RETURNED: None, S.WITHDRAWN: None},
        S.RETURNED: {S.PENDING: None, S.APPROVED: None, S.WITHDRAWN: None, S.CANCELLED: None},
        S.WITHDRAWN: {S.PENDING: None, S.APPROVED: None, S.CANCELLED: None},
        S.APPROVED: {
            S.PARTIAL: "inventory.move_stock",
            S.ISSUED: "inventory.move_stock",
            S.CANCELLED: None,
        },
        S.PARTIAL: {S.ISSUED: "inventory.move_stock"},
        S.ISSUED: {S.RECEIVED: None},
        S.RECEIVED: {},
        S.REJECTED: {},
        S.CANCELLED: {},
    }
    EDITABLE = (S.DRAFT, S.RETURNED, S.WITHDRAWN)
    OPEN = (S.APPROVED, S.PARTIAL)

    number = models.CharField(_("number"), max_length=30, editable=False)
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
    purpose = models.CharField(_("purpose"), max_length=300)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequisitionStatus.choices,
        default=RequisitionStatus.DRAFT,
        editable=False,
    )
    needs_approval = models.BooleanField(_("needs approval"), default=False, editable=False)
    approval_reason = models.CharField(
        _("why approval is needed"), max_length=300, blank=True, editable=False
    )
    estimated_amount = models.DecimalField(
        _("estimated amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, editable=False)

    objects = RequisitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-created_at", "-id"]
        permissions = [("view_all_requisition", _("See every requisition of the school"))]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="inventory_requisition_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["school", "requester", "-created_at"]),
            models.Index(fields=["school", "department", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("inventory:requisition_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def clean(self) -> None:
        if self.school_id and self.department_id and self.department.school_id != self.school_id:
            raise ValidationError({"department": _("Choose a department of this school.")})


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="lines", verbose_name=_("requisition")
    )
    item = models.ForeignKey(
        StockItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = models.DecimalField(
        _("quantity"), **QTY, validators=[MinValueValidator(Decimal("0.001"))]
    )
    issued = models.DecimalField(_("issued"), **QTY, default=Decimal("0"), editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        ordering = ["requisition", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issued__gte=0), name="inventory_reqline_issued_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(issued__lte=models.F("quantity")),
                name="inventory_reqline_issued_at_most_asked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.issued
