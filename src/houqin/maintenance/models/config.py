"""What a school configures: repair categories, targets, calendar, teams and dispatch rules."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import AuditedModel, SchoolOwnedModel


class RepairCategory(AuditedModel):
    """水/电/木工/门窗/电器/空调/网络/管道/其他: shared by every school, editable."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    icon = models.CharField(_("icon"), max_length=40, default="tools")
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("repair category")
        verbose_name_plural = _("repair categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("maintenance:category_list")


class MaintenanceSettings(SchoolOwnedModel):
    """One row per school: response and repair targets, working hours, the portal's rules."""

    urgent_respond_minutes = models.PositiveIntegerField(
        _("urgent: respond within (minutes)"), default=30, validators=[MinValueValidator(1)]
    )
    urgent_resolve_minutes = models.PositiveIntegerField(
        _("urgent: repair within (minutes)"), default=240, validators=[MinValueValidator(1)]
    )
    normal_respond_minutes = models.PositiveIntegerField(
        _("normal: respond within (minutes)"), default=240, validators=[MinValueValidator(1)]
    )
    normal_resolve_minutes = models.PositiveIntegerField(
        _("normal: repair within (minutes)"), default=2880, validators=[MinValueValidator(1)]
    )
    planned_respond_minutes = models.PositiveIntegerField(
        _("planned: respond within (minutes)"), default=1440, validators=[MinValueValidator(1)]
    )
    planned_resolve_minutes = models.PositiveIntegerField(
        _("planned: repair within (minutes)"), default=10080, validators=[MinValueValidator(1)]
    )
    use_working_hours = models.BooleanField(
        _("count targets in working hours only"),
        default=False,
        help_text=_(
            "Off: the clock runs day and night. On: only working hours of working days count "
            "(urgent requests always count around the clock)."
        ),
    )
    work_start = models.TimeField(_("working day starts"), default=datetime.time(8, 0))
    work_end = models.TimeField(_("working day ends"), default=datetime.time(17, 30))
    work_weekdays = models.CharField(
        _("working weekdays"),
        max_length=7,
        default="12345",
        help_text=_("Digits 1 (Monday) to 7 (Sunday)."),
    )
    portal_enabled = models.BooleanField(_("QR portal open"), default=True)
    portal_needs_triage = models.BooleanField(
        _("portal requests need triage"),
        default=False,
        help_text=_("The director checks requests from the QR portal before they are dispatched."),
    )
    portal_limit_per_address = models.PositiveSmallIntegerField(
        _("portal requests per address per hour"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    portal_limit_per_room = models.PositiveSmallIntegerField(
        _("portal requests per room per hour"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    repeat_window_days = models.PositiveSmallIntegerField(
        _("repeat fault window (days)"), default=30, validators=[MinValueValidator(1)]
    )
    auto_verify_days = models.PositiveSmallIntegerField(
        _("verify automatically after (days)"),
        default=3,
        help_text=_("A finished repair the requester has not verified is closed after this."),
    )
    labour_rate = models.DecimalField(
        _("labour cost per hour (yuan)"),
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("maintenance settings")
        verbose_name_plural = _("maintenance settings")
        constraints = [
            models.UniqueConstraint(fields=["school"], name="maintenance_settings_one_per_school")
        ]

    def __str__(self) -> str:
        return str(_("Maintenance settings"))

    def get_absolute_url(self) -> str:
        return reverse("maintenance:settings")

    def clean(self) -> None:
        digits = self.work_weekdays or ""
        if not digits or any(c not in "1234567" for c in digits) or len(set(digits)) != len(digits):
            raise ValidationError(
                {"work_weekdays": _("Enter each working weekday once, as digits 1 to 7.")}
            )
        if self.work_start >= self.work_end:
            raise ValidationError({"work_end": _("The working day must end after it starts.")})

    def targets(self, urgency: str) -> tuple[int, int]:
        """(respond, resolve) minutes for an urgency."""
        return (
            getattr(self, f"{urgency}_respond_minutes"),
            getattr(self, f"{urgency}_resolve_minutes"),
        )


class WorkCalendarDay(SchoolOwnedModel):
    """An exception to the working week: a public holiday, or a weekend made a working day
    (调休)."""

    date = models.DateField(_("date"))
    is_working = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="maintenance_calendar_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("maintenance:calendar_list")


class MaintenanceTeam(SchoolOwnedModel):
    """A group of workers (水电组, 木工组, an outside contractor's crew…)."""

    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
        help_text=_("Orders dispatched to the team go to the leader first."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("members")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("maintenance team")
        verbose_name_plural = _("maintenance teams")
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="maintenance_team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("maintenance:team_detail", args=[self.pk])


class DispatchRule(SchoolOwnedModel):
    """Who gets a new order of a category (and building): the most specific rule wins."""

    category = models.ForeignKey(
        RepairCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Empty: any category."),
    )
    building = models.ForeignKey(
        "org.Building",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
        help_text=_("Empty: any building."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
    )
    team = models.ForeignKey(
        MaintenanceTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        ordering = ["school", "category", "building"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=False) | models.Q(team__isnull=False),
                name="maintenance_rule_has_target",
            )
        ]

    def __str__(self) -> str:
        target = self.assignee or self.team
        return f"{self.category or '*'} / {self.building or '*'} → {target}"

    def get_absolute_url(self) -> str:
        return reverse("maintenance:rule_list")

    def clean(self) -> None:
        if not self.assignee_id and not self.team_id:
            raise ValidationError(_("Choose a worker or a team."))
        if self.building_id and self.building.school_id != self.school_id:
            raise ValidationError({"building": _("Choose a building of this school.")})
