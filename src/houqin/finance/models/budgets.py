"""Budgets (预算) per school year, department and category, with their money ledger.

A budget line holds the approved amount, the money committed by approved requests and the
money actually spent. Both running totals change only through ``finance.services.budgets``,
which locks the line and writes a ``BudgetEntry`` for every change: the entries are the
history, the totals are their sum.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from .expenses import ExpenseCategory

MONEY = {"max_digits": 14, "decimal_places": 2}


class BudgetPolicy(models.TextChoices):
    WARN = "warn", _("Warn, but let the request through")
    BLOCK = "block", _("Refuse requests above the available budget")


class FinanceSettings(SchoolOwnedModel):
    """A school's money policy."""

    school = models.OneToOneField(  # type: ignore[assignment]
        "org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    budget_policy = models.CharField(
        _("over-budget requests"),
        max_length=10,
        choices=BudgetPolicy.choices,
        default=BudgetPolicy.BLOCK,
    )
    require_budget_line = models.BooleanField(
        _("purchase requests must name a budget line"), default=True
    )

    class Meta:
        verbose_name = _("finance settings")
        verbose_name_plural = _("finance settings")

    def __str__(self) -> str:
        return str(_("Finance settings"))


class BudgetLine(SchoolOwnedModel):
    """预算: the money a department may spend on a category in a school year."""

    school_year = models.ForeignKey(
        "org.SchoolYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school year"),
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    amount = models.DecimalField(_("budget (yuan)"), **MONEY, validators=[MinValueValidator(0)])
    initial_amount = models.DecimalField(
        _("budget as first approved (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    committed = models.DecimalField(
        _("committed (yuan)"), **MONEY, default=Decimal("0"), editable=False
    )
    spent = models.DecimalField(_("spent (yuan)"), **MONEY, default=Decimal("0"), editable=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["school", "-school_year__start", "department__sort_order", "category"]
        permissions = [
            ("view_budget_reports", _("See budget execution reports")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "department", "category"],
                name="finance_budgetline_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="finance_budgetline_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(committed__gte=0),
                name="finance_budgetline_committed_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(spent__gte=0), name="finance_budgetline_spent_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["school", "school_year", "department"])]

    def __str__(self) -> str:
        return f"{self.school_year} {self.department} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("finance:budget_detail", args=[self.pk])

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed - self.spent

    @property
    def used_percent(self) -> int:
        if not self.amount:
            return 100 if (self.committed or self.spent) else 0
        return int((self.committed + self.spent) * 100 / self.amount)

    def clean(self) -> None:
        if self.school_id and self.department_id and self.department.school_id != self.school_id:
            raise ValidationError({"department": _("Choose a department of this school.")})
        if self.school_id and self.school_year_id and self.school_year.school_id != self.school_id:
            raise ValidationError({"school_year": _("Choose a school year of this school.")})


class BudgetEntryKind(models.TextChoices):
    COMMIT = "commit", _("Committed")
    RELEASE = "release", _("Commitment released")
    SPEND = "spend", _("Spent")
    REFUND = "refund", _("Spending reversed")
    ADJUST = "adjust", _("Budget adjusted")


class BudgetEntry(models.Model):
    """One change of a budget line's money (append-only)."""

    school = models.ForeignKey("org.School", on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="entries", verbose_name=_("budget line")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BudgetEntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    committed_after = models.DecimalField(_("committed after"), **MONEY)
    spent_after = models.DecimalField(_("spent after"), **MONEY)
    budget_after = models.DecimalField(_("budget after"), **MONEY)
    source_type = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
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
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["line", "-at"]),
            # The reports' sums per month read the amounts from the index alone.
            models.Index(fields=["school", "kind", "at", "amount"], name="finance_entry_sums"),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class BudgetAdjustmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BudgetAdjustment(SchoolOwnedModel):
    """预算调整: a change of a line's amount, applied only once approved."""

    S = BudgetAdjustmentStatus
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.DRAFT: {S.PENDING: None},
        S.PENDING: {S.APPROVED: None, S.REJECTED: None, S.RETURNED: None, S.WITHDRAWN: None},
        S.RETURNED: {S.PENDING: None, S.WITHDRAWN: None},
        S.WITHDRAWN: {S.PENDING: None},
        S.APPROVED: {},
        S.REJECTED: {},
    }
    EDITABLE = (S.DRAFT, S.RETURNED, S.WITHDRAWN)

    number = models.CharField(_("number"), max_length=30, editable=False)
    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="adjustments",
        verbose_name=_("budget line"),
    )
    delta = models.DecimalField(
        _("change (yuan)"),
        **MONEY,
        help_text=_("Positive to increase the budget, negative to reduce it."),
    )
    reason = models.TextField(_("reason"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requester"),
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BudgetAdjustmentStatus.choices,
        default=BudgetAdjustmentStatus.DRAFT,
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="finance_budgetadjustment_unique_number"
            ),
            models.CheckConstraint(
                condition=~models.Q(delta=0), name="finance_budgetadjustment_not_zero"
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.line}"

    def get_absolute_url(self) -> str:
        return reverse("finance:adjustment_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def department(self) -> Any:
        return self.line.department
