"""The asset card (资产卡片) and its movement ledger."""

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

from houqin.core.codes import new_public_code
from houqin.core.models import SchoolOwnedModel, ScopedQuerySet

from ..choices import INACTIVE_STATUSES, Acquisition, AssetStatus, FundingSource, MovementKind


def period_of(day: Any) -> int:
    """A month as one integer (year × 12 + month − 1), so month arithmetic works in SQL."""
    return int(day.year) * 12 + int(day.month) - 1


def period_label(period: int) -> str:
    return f"{period // 12}-{period % 12 + 1:02d}"


class AssetQuerySet(ScopedQuerySet):
    def active(self) -> AssetQuerySet:
        """Cards still on the register (not disposed of, not lost)."""
        return self.exclude(status__in=INACTIVE_STATUSES)


class Asset(SchoolOwnedModel):
    code = models.CharField(_("asset code"), max_length=30, editable=False)
    public_code = models.CharField(
        _("public code"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        "assets.AssetCategory",
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("category"),
    )
    specification = models.CharField(_("specification / model"), max_length=200, blank=True)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="台")
    unit_price = models.DecimalField(
        _("unit price (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    quantity = models.PositiveIntegerField(
        _("quantity"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("More than one for a batch card, e.g. a set of 50 desks and chairs."),
    )
    original_value = models.DecimalField(
        _("original value (yuan)"), max_digits=16, decimal_places=2, editable=False
    )
    purchase_date = models.DateField(_("purchase date"))
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True)
    funding_source = models.CharField(
        _("funding source"),
        max_length=20,
        choices=FundingSource.choices,
        default=FundingSource.FISCAL,
    )
    acquisition = models.CharField(
        _("acquisition"), max_length=20, choices=Acquisition.choices, default=Acquisition.PURCHASE
    )
    room = models.ForeignKey(
        "org.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("room"),
    )
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("custodian"),
    )
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("using department"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssetStatus.choices,
        default=AssetStatus.IN_USE,
    )
    warranty_end = models.DateField(_("warranty ends"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # Depreciation (straight line, monthly, no residual value; see services/depreciation.py).
    is_low_value = models.BooleanField(_("low-value item"), default=False, editable=False)
    depreciable = models.BooleanField(_("depreciated"), default=True, editable=False)
    life_months = models.PositiveSmallIntegerField(
        _("depreciation life (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: the category's life."),
    )
    start_period = models.PositiveIntegerField(
        _("first month of depreciation"), null=True, blank=True, editable=False
    )
    accumulated_depreciation = models.DecimalField(
        _("accumulated depreciation (yuan)"),
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
    )
    depreciated_through = models.PositiveIntegerField(
        _("depreciated through"), null=True, blank=True, editable=False
    )
    disposed_at = models.DateField(_("disposed of on"), null=True, blank=True, editable=False)

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["school", "-code"]
        permissions = [
            ("print_asset_labels", _("Print asset labels")),
            ("run_depreciation", _("Run the monthly depreciation")),
            ("view_asset_reports", _("See asset reports")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="assets_asset_unique_code"),
            models.CheckConstraint(
                condition=models.Q(accumulated_depreciation__gte=0)
                & models.Q(accumulated_depreciation__lte=models.F("original_value")),
                name="assets_asset_depreciation_within_value",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="assets_asset_quantity_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-code"]),
            models.Index(fields=["school", "status", "-code"]),
            models.Index(fields=["school", "category", "-code"]),
            models.Index(fields=["school", "room", "-code"]),
            models.Index(fields=["school", "department", "-code"]),
            models.Index(fields=["school", "custodian", "-code"]),
            models.Index(fields=["school", "purchase_date"]),
            models.Index(fields=["school", "original_value"]),
            models.Index(fields=["school", "name"]),
            models.Index(fields=["school", "serial_number"]),
            # The bureau's register over every school, in each order the list offers.
            models.Index(fields=["-code"], name="assets_asset_code_all"),
            models.Index(fields=["status", "-code"], name="assets_asset_status_all"),
            models.Index(fields=["name"], name="assets_asset_name_all"),
            models.Index(fields=["original_value"], name="assets_asset_value_all"),
            models.Index(fields=["purchase_date"], name="assets_asset_purchased_all"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.pk])

    @property
    def net_value(self) -> Decimal:
        return (self.original_value or Decimal(0)) - (self.accumulated_depreciation or Decimal(0))

    @property
    def is_active(self) -> bool:
        return self.status not in INACTIVE_STATUSES

    @property
    def age_years(self) -> int:
        today = timezone.localdate()
        years = today.year - self.purchase_date.year
        if (today.month, today.day) < (self.purchase_date.month, self.purchase_date.day):
            years -= 1
        return max(years, 0)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        school_id = self.school_id
        if self.room_id and school_id and self.room.school_id != school_id:
            errors["room"] = _("Choose a room of this school.")
        if self.department_id and school_id and self.department.school_id != school_id:
            errors["department"] = _("Choose a department of this school.")
        if self.purchase_date and self.purchase_date > timezone.localdate():
            errors["purchase_date"] = _("The purchase date cannot be in the future.")
        if self.warranty_end and self.purchase_date and self.warranty_end < self.purchase_date:
            errors["warranty_end"] = _("The warranty cannot end before the purchase.")
        if errors:
            raise ValidationError(errors)


class AssetMovement(models.Model):
    """Append-only ledger of everything that moved or changed a card."""

    school = models.ForeignKey(
        "org.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="movements", verbose_name=_("asset")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_room = models.ForeignKey(
        "org.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_room = models.ForeignKey(
        "org.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=AssetStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AssetStatus.choices, blank=True)
    reference = models.CharField(_("document"), max_length=30, blank=True)
    reference_url = models.CharField(max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field: ClassVar[str] = "school_id"

    class Meta:
        verbose_name = _("asset movement")
        verbose_name_plural = _("asset movements")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["asset", "-at"]), models.Index(fields=["school", "-at"])]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.kind} {self.at:%Y-%m-%d}"
