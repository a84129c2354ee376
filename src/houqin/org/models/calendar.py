from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import TermKind


class SchoolYear(SchoolOwnedModel):
    """学年: for example 2026–2027, from 1 September to 31 August."""

    name = models.CharField(_("name"), max_length=30)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["school", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="org_schoolyear_unique_name"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="org_schoolyear_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["school", "-start"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:schoolyear_detail", args=[self.pk])

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must come after the start.")})
        if self.school_id and self.start and self.end:
            overlapping = SchoolYear.objects.filter(
                school_id=self.school_id, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    _("These dates overlap the school year %(name)s.")
                    % {"name": overlapping.first()}
                )


class Term(SchoolOwnedModel):
    """学期: a term within a school year."""

    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="terms", verbose_name=_("school year")
    )
    kind = models.CharField(_("term"), max_length=10, choices=TermKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["school", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "kind"], name="org_term_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="org_term_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["school", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.school_year.name} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("org:term_detail", args=[self.pk])

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must come after the start.")})
        if self.school_year_id and self.start and self.end:
            year = self.school_year
            if self.start < year.start or self.end > year.end:
                raise ValidationError(
                    _("A term must lie within its school year (%(start)s – %(end)s).")
                    % {"start": year.start, "end": year.end}
                )
            overlapping = Term.objects.filter(
                school_id=year.school_id, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("These dates overlap another term."))

    def save(self, *args: object, **kwargs: object) -> None:
        if self.school_year_id:
            self.school_id = self.school_year.school_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end
