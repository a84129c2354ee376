from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.codes import new_public_code
from houqin.core.models import SchoolOwnedModel

from ..choices import AppraisalGrade, BuildingUse, RoomUse, SeismicClass, StructureType


class Campus(SchoolOwnedModel):
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_main = models.BooleanField(_("main campus"), default=False)
    land_area = models.DecimalField(
        _("land area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")
        ordering = ["school", "-is_main", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="org_campus_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:campus_detail", args=[self.pk])


class Building(SchoolOwnedModel):
    campus = models.ForeignKey(
        Campus, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("campus")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, blank=True)
    use = models.CharField(_("use"), max_length=20, choices=BuildingUse.choices)
    structure = models.CharField(_("structure"), max_length=20, choices=StructureType.choices)
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    floors_above = models.PositiveSmallIntegerField(
        _("floors above ground"), default=1, validators=[MinValueValidator(1)]
    )
    floors_below = models.PositiveSmallIntegerField(_("floors below ground"), default=0)
    floor_area = models.DecimalField(
        _("floor area (m²)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    design_life = models.PositiveSmallIntegerField(
        _("design life (years)"), default=50, validators=[MinValueValidator(1)]
    )
    seismic_class = models.CharField(
        _("seismic fortification class"),
        max_length=1,
        choices=SeismicClass.choices,
        default=SeismicClass.KEY,
    )
    appraisal_grade = models.CharField(
        _("latest safety appraisal grade"),
        max_length=1,
        choices=AppraisalGrade.choices,
        blank=True,
    )
    appraisal_date = models.DateField(_("latest safety appraisal date"), null=True, blank=True)
    public_code = models.CharField(
        _("public code"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campus", "name"], name="org_building_unique_name"),
            models.CheckConstraint(
                condition=models.Q(appraisal_grade="") | models.Q(appraisal_date__isnull=False),
                name="org_building_appraisal_has_date",
            ),
        ]
        indexes = [models.Index(fields=["school", "name"]), models.Index(fields=["school", "use"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:building_detail", args=[self.pk])

    def clean(self) -> None:
        if self.appraisal_grade and not self.appraisal_date:
            raise ValidationError(
                {"appraisal_date": _("Enter the date of the appraisal that gave this grade.")}
            )

    def save(self, *args: object, **kwargs: object) -> None:
        if self.campus_id:
            self.school_id = self.campus.school_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        return timezone.localdate().year - self.year_built if self.year_built else None

    @property
    def past_design_life(self) -> bool:
        age = self.age
        return age is not None and age >= self.design_life


class Room(SchoolOwnedModel):
    """A room or place: classroom, dormitory, office, playground…"""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("building")
    )
    floor = models.SmallIntegerField(
        _("floor"), default=1, help_text=_("Negative for basements, 0 for outdoor places.")
    )
    number = models.CharField(_("room number"), max_length=30)
    name = models.CharField(_("name"), max_length=100, blank=True)
    use = models.CharField(_("use"), max_length=20, choices=RoomUse.choices)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    area = models.DecimalField(
        _("area (m²)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    public_code = models.CharField(
        _("public code"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["school", "building__name", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="org_room_unique_number"),
        ]
        indexes = [
            models.Index(fields=["school", "building", "floor", "number"]),
            models.Index(fields=["school", "number"]),
            models.Index(fields=["school", "use"]),
            models.Index(fields=["school", "capacity"]),
        ]

    def __str__(self) -> str:
        label = f"{self.building.name} {self.number}" if self.building_id else self.number
        return f"{label} {self.name}".strip() if self.name else label

    def get_absolute_url(self) -> str:
        return reverse("org:room_detail", args=[self.pk])

    def clean(self) -> None:
        if self.building_id and self.floor > self.building.floors_above:
            raise ValidationError(
                {
                    "floor": _("%(building)s has only %(floors)s floors above ground.")
                    % {"building": self.building.name, "floors": self.building.floors_above}
                }
            )
        if self.building_id and self.floor < -self.building.floors_below:
            raise ValidationError({"floor": _("This building has no such basement floor.")})

    def save(self, *args: object, **kwargs: object) -> None:
        if self.building_id:
            self.school_id = self.building.school_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]
