from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import AuditedModel, ScopedQuerySet
from houqin.core.scoping import school_ids

from ..choices import SchoolKind


class DistrictQuerySet(models.QuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> DistrictQuerySet:
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        schools = School.objects.filter(pk__in=school_ids(user, perm))
        return self.filter(pk__in=schools.values("district_id"))


class District(AuditedModel):
    """An education bureau (教育局) and the schools it supervises."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:district_detail", args=[self.pk])

    def audit_school_id(self) -> int | None:
        return None


class SchoolQuerySet(ScopedQuerySet):
    scope_field = "id"


class School(AuditedModel):
    """A school or kindergarten: every business row belongs to one."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    code = models.CharField(
        _("school code"),
        max_length=30,
        unique=True,
        help_text=_("The ten-digit national school identification code, or a local code."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=SchoolKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    students = models.PositiveIntegerField(_("students"), default=0)
    staff = models.PositiveIntegerField(_("staff"), default=0)
    classes = models.PositiveIntegerField(_("classes"), default=0)
    land_area = models.DecimalField(
        _("land area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    green_area = models.DecimalField(
        _("green area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = SchoolQuerySet.as_manager()
    scope_field: ClassVar[str] = "id"

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["district", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="org_school_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:school_detail", args=[self.pk])

    def audit_school_id(self) -> int | None:
        return self.pk

    @property
    def is_kindergarten(self) -> bool:
        return self.kind == SchoolKind.KINDERGARTEN
