"""Expense claims (报销/经费申请): the first request type that goes through approvals."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel, ScopedQuerySet


class ExpenseCategory(models.TextChoices):
    OFFICE = "office", _("Office supplies")
    TEACHING = "teaching", _("Teaching supplies")
    REPAIR = "repair", _("Repairs")
    EQUIPMENT = "equipment", _("Equipment")
    CANTEEN = "canteen", _("Canteen")
    CONSTRUCTION = "construction", _("Construction")
    EVENT = "event", _("Events")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class ExpenseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAID = "paid", _("Paid")


class ExpenseQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> ExpenseQuerySet:
        """Everything where the user may see all claims; elsewhere only their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        from houqin.approvals.selectors import subjects_visible_q

        return self.filter(
            subjects_visible_q(
                user,
                perm,
                see_all="finance.view_all_expense",
                request_type="expense",
                department_heads=False,
            )
        )


class Expense(SchoolOwnedModel):
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        ExpenseStatus.DRAFT: {ExpenseStatus.PENDING: None},
        ExpenseStatus.PENDING: {
            ExpenseStatus.APPROVED: None,
            ExpenseStatus.REJECTED: None,
            ExpenseStatus.RETURNED: None,
            ExpenseStatus.WITHDRAWN: None,
        },
        ExpenseStatus.RETURNED: {ExpenseStatus.PENDING: None, ExpenseStatus.WITHDRAWN: None},
        ExpenseStatus.WITHDRAWN: {ExpenseStatus.PENDING: None},
        ExpenseStatus.APPROVED: {ExpenseStatus.PAID: "finance.pay_expense"},
        ExpenseStatus.REJECTED: {},
        ExpenseStatus.PAID: {},
    }
    EDITABLE = (ExpenseStatus.DRAFT, ExpenseStatus.RETURNED, ExpenseStatus.WITHDRAWN)

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
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
    )
    description = models.TextField(_("reason and details"))
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ExpenseStatus.choices,
        default=ExpenseStatus.DRAFT,
        editable=False,
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, editable=False)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["-created_at"]
        permissions = [
            ("view_all_expense", _("See every expense claim of the school")),
            ("pay_expense", _("Record the payment of an expense claim")),
        ]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["school", "requester", "-created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="finance_expense_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("finance:expense_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.department_id and self.school_id and self.department.school_id != self.school_id:
            raise ValidationError(
                {"department": _("A claim stays in its school; choose a department of it.")}
            )

    @property
    def attachments_locked(self) -> bool:
        """Receipts of a paid claim are evidence: they can no longer be added or removed."""
        return self.status == ExpenseStatus.PAID

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE
