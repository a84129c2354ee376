"""GB/T 14885 categories and each school's asset policy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from houqin.core.models import AuditedModel, SchoolOwnedModel

from ..choices import CategoryLevel

CODE_VALIDATOR = RegexValidator(
    r"^[A-Z][0-9]{0,8}$",
    _("A GB/T 14885 code is a capital letter followed by up to 8 digits, e.g. A02010105."),
)


class AssetCategory(AuditedModel):
    """A class of GB/T 14885-2022 (固定资产等资产基础分类与代码), shared by all schools.

    The seven top categories are seeded; major and minor categories a school uses are seeded by
    name, with a code only where a source for it is cited in ``code_source``. The asset keeper
    adds and imports the rest. ``life_years`` is the depreciation table: a category without its
    own life uses its parent's.
    """

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=CategoryLevel.choices, default=CategoryLevel.MINOR, editable=False
    )
    code = models.CharField(
        _("GB/T 14885 code"), max_length=9, blank=True, validators=[CODE_VALIDATOR]
    )
    code_source = models.CharField(_("source of the code"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    depreciable = models.BooleanField(
        _("depreciated"),
        null=True,
        blank=True,
        help_text=_("Empty: as the parent category."),
    )
    life_years = models.PositiveSmallIntegerField(
        _("depreciation life (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Empty: as the parent category."),
    )
    life_source = models.CharField(_("source of the life"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("asset category")
        verbose_name_plural = _("asset categories")
        ordering = ["sort_order", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="assets_category_unique_code"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="assets_category_unique_name"),
        ]

    def __str__(self) -> str:
        name = self.display_name
        return f"{self.code} {name}" if self.code else name

    @property
    def display_name(self) -> str:
        if self.name_en and not (get_language() or "zh").startswith("zh"):
            return self.name_en
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assets:category_detail", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id:
            if self.parent.level >= CategoryLevel.MINOR:
                raise ValidationError({"parent": _("Categories go at most three levels deep.")})
            ancestor: AssetCategory | None = self.parent
            while ancestor is not None:
                if self.pk and ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A category cannot be its own ancestor.")})
                ancestor = ancestor.parent

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.level = (self.parent.level + 1) if self.parent_id else CategoryLevel.TOP
        super().save(*args, **kwargs)

    def resolved(self) -> tuple[bool, int | None]:
        """(depreciated?, life in years) after inheriting from the parents."""
        depreciable, life = self.depreciable, self.life_years
        node = self.parent
        while node is not None and (depreciable is None or life is None):
            depreciable = node.depreciable if depreciable is None else depreciable
            life = node.life_years if life is None else life
            node = node.parent
        return (True if depreciable is None else depreciable), life


class AssetSettings(SchoolOwnedModel):
    """A school's asset policy; every value has a documented default."""

    school = models.OneToOneField(  # type: ignore[assignment]
        "org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    capitalisation_threshold = models.DecimalField(
        _("capitalisation threshold (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("1000"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "Items below this unit price are low-value items, not depreciated "
            "(事业单位财务规则 2022 art. 41)."
        ),
    )
    transfer_approval_above = models.DecimalField(
        _("transfers need approval above (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("5000"),
        validators=[MinValueValidator(0)],
    )
    loan_reminder_days = models.PositiveSmallIntegerField(
        _("remind borrowers days before the due date"), default=1
    )
    deliberate_multiplier = models.DecimalField(
        _("deliberate damage multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("School practice: 2–3× (strict: 3–5×)."),
    )
    residual_rate = models.DecimalField(
        _("residual value rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("Used by the remaining-life compensation formula; practice: 3–5 %."),
    )
    equipment_method = models.CharField(
        _("compensation for equipment"),
        max_length=20,
        choices=[
            ("remaining_life", _("Remaining life")),
            ("age", _("Share of original value by age")),
        ],
        default="remaining_life",
    )
    age_rate_1y = models.DecimalField(
        _("share of original value, up to 1 year old (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("85"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    age_rate_5y = models.DecimalField(
        _("share of original value, 2–5 years old (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    age_rate_older = models.DecimalField(
        _("share of original value, over 5 years old (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")

    class Meta:
        verbose_name = _("asset policy")
        verbose_name_plural = _("asset policies")

    def __str__(self) -> str:
        return str(_("Asset policy"))

    def get_absolute_url(self) -> str:
        return reverse("assets:settings")

    @classmethod
    def for_school(cls, school_id: int) -> AssetSettings:
        found, _created = cls.objects.get_or_create(school_id=school_id)
        return found


class CompensationPriceItem(SchoolOwnedModel):
    """The school's price list for common items (glass per m², a tube lamp, a desk top…)."""

    name = models.CharField(_("item"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, default="个")
    price = models.DecimalField(
        _("price (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("compensation price")
        verbose_name_plural = _("compensation price list")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="assets_price_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ¥{self.price}/{self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("assets:priceitem_detail", args=[self.pk])
