"""Preventive maintenance plans (定期保养/巡检) and holiday campaigns (假期集中维修)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel

from ..choices import CampaignStatus, Recurrence, Urgency


class MaintenancePlan(SchoolOwnedModel):
    """A recurring job over a scope (the assets of a category, or a set of rooms) with a
    checklist; a daily job creates its work orders ``lead_days`` ahead of each due date."""

    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        "maintenance.RepairCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("repair category"),
    )
    description = models.TextField(_("instructions"), max_length=4000, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices)
    interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Every 1, 2, 3… days, weeks, months or years."),
    )
    dates = models.JSONField(
        _("dates"),
        default=list,
        blank=True,
        help_text=_("For “on listed dates”: ISO dates such as 2026-07-10."),
    )
    start_date = models.DateField(_("first due date"))
    end_date = models.DateField(_("last due date"), null=True, blank=True)
    lead_days = models.PositiveSmallIntegerField(
        _("create orders days ahead"), default=3, validators=[MaxValueValidator(60)]
    )
    asset_category = models.ForeignKey(
        "assets.AssetCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assets of category"),
        help_text=_("One order per active asset of this category (and its subcategories)."),
    )
    rooms = models.ManyToManyField(
        "org.Room", blank=True, related_name="+", verbose_name=_("rooms")
    )
    checklist = models.JSONField(
        _("checklist"), default=list, blank=True, help_text=_("One line per check.")
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.PLANNED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
        help_text=_("Empty: the dispatch rules decide."),
    )
    team = models.ForeignKey(
        "maintenance.MaintenanceTeam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    next_due = models.DateField(_("next due"), null=True, blank=True, editable=False)
    last_generated = models.DateField(
        _("orders created up to"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("preventive maintenance plan")
        verbose_name_plural = _("preventive maintenance plans")
        ordering = ["school", "name"]
        indexes = [models.Index(fields=["is_active", "next_due"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("maintenance:plan_detail", args=[self.pk])

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last date is before the first.")})
        if self.recurrence == Recurrence.DATES and not self.dates:
            raise ValidationError({"dates": _("List at least one date.")})


C = CampaignStatus


class Campaign(SchoolOwnedModel):
    """One job template turned into work orders across many rooms (假期集中维修)."""

    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        C.DRAFT: {C.ACTIVE: "maintenance.change_campaign"},
        C.ACTIVE: {C.CLOSED: "maintenance.change_campaign"},
        C.CLOSED: {},
    }

    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=C.choices, default=C.DRAFT, editable=False
    )
    category = models.ForeignKey(
        "maintenance.RepairCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("repair category"),
    )
    title = models.CharField(
        _("order title"), max_length=200, help_text=_("For example 检修电扇、灯管和开关.")
    )
    description = models.TextField(_("instructions"), max_length=4000, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    rooms = models.ManyToManyField(
        "org.Room", blank=True, related_name="+", verbose_name=_("rooms")
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("holiday campaign")
        verbose_name_plural = _("holiday campaigns")
        ordering = ["school", "-start_date"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("maintenance:campaign_detail", args=[self.pk])

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign ends before it starts.")})
