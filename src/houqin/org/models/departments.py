from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import DepartmentKind


class Department(SchoolOwnedModel):
    """校长室, 总务处, 教务处… with a head who approves the department's requests."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name=_("head"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["school", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="org_department_unique_name"),
        ]
        indexes = [models.Index(fields=["school", "sort_order", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:department_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.head_id
            and self.school_id
            and not self.head.memberships.filter(school_id=self.school_id, is_active=True).exists()
        ):
            raise ValidationError({"head": _("The head must be a member of staff of this school.")})
