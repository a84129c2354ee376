"""Suppliers with their 统一社会信用代码 and qualifications, and the school's purchasing policy."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import QualificationKind
from ..credit_code import validate_credit_code

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProcurementSettings(SchoolOwnedModel):
    """A school's purchasing policy; every value has a documented default."""

    school = models.OneToOneField(  # type: ignore[assignment]
        "org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    quote_threshold = models.DecimalField(
        _("three quotes from (yuan)"),
        **MONEY,
        default=Decimal("5000"),
        validators=[MinValueValidator(0)],
        help_text=_("Orders of this amount or more need quotes from several suppliers [practice]."),
    )
    min_quotes = models.PositiveSmallIntegerField(
        _("quotes needed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    min_evaluators = models.PositiveSmallIntegerField(
        _("evaluators needed"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("People who compare the quotes and sign the record [practice]."),
    )
    intention_threshold = models.DecimalField(
        _("publish purchase intentions from (yuan)"),
        **MONEY,
        default=Decimal("1000000"),
        validators=[MinValueValidator(0)],
        help_text=_("The province's limit for government procurement (国办发〔2019〕55号)."),
    )
    intention_days = models.PositiveSmallIntegerField(
        _("publish intentions days ahead"),
        default=30,
        help_text=_("财库〔2020〕10号: at least 30 days before buying."),
    )
    bulk_acceptance_threshold = models.DecimalField(
        _("two acceptors from (yuan)"),
        **MONEY,
        default=Decimal("2000"),
        validators=[MinValueValidator(0)],
        help_text=_("Deliveries of this value or more are accepted by at least two people."),
    )
    qualification_warning_days = models.PositiveSmallIntegerField(
        _("warn days before a qualification expires"), default=30
    )

    class Meta:
        verbose_name = _("purchasing settings")
        verbose_name_plural = _("purchasing settings")

    def __str__(self) -> str:
        return str(_("Purchasing settings"))


class Supplier(SchoolOwnedModel):
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters with a check character (GB 32100-2015)."),
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    supplies = models.CharField(
        _("what they supply"),
        max_length=200,
        blank=True,
        help_text=_("For example 办公用品, 电器."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    rating = models.DecimalField(
        _("rating"), max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rated_deliveries = models.PositiveIntegerField(_("rated deliveries"), default=0, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    audit_exclude = ("created_at", "updated_at", "rating", "rated_deliveries")

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "credit_code"], name="procurement_supplier_unique_code"
            )
        ]
        indexes = [models.Index(fields=["school", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplier_detail", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SupplierQualification(SchoolOwnedModel):
    """资质: a licence or certificate with its expiry date (scan attached to it)."""

    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("supplier"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True, editable=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["supplier", "valid_until"]
        indexes = [models.Index(fields=["school", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.supplier} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplier_detail", args=[self.supplier_id])

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    def expires_within(self, days: int) -> bool:
        if self.valid_until is None:
            return False
        return self.valid_until <= timezone.localdate() + datetime.timedelta(days=days)
