"""Choices of the maintenance module (报修与维修)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    PLANNED = "planned", _("Planned")


class Channel(models.TextChoices):
    STAFF = "staff", _("Staff form")
    PORTAL = "portal", _("QR portal")
    PHONE = "phone", _("Phone call")


class RequestStatus(models.TextChoices):
    TRIAGE = "triage", _("Awaiting triage")
    OPEN = "open", pgettext_lazy("repair request", "Accepted")
    JOINED = "joined", _("Joined an earlier report")
    REJECTED = "rejected", pgettext_lazy("repair request", "Rejected")


class OrderSource(models.TextChoices):
    REQUEST = "request", _("Repair request")
    DIRECT = "direct", _("Entered by the office")
    PLAN = "plan", _("Preventive plan")
    CAMPAIGN = "campaign", _("Holiday campaign")


class OrderStatus(models.TextChoices):
    NEW = "new", _("Awaiting dispatch")
    ASSIGNED = "assigned", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
    COMPLETED = "completed", pgettext_lazy("work order", "Completed")
    RATED = "rated", _("Rated")
    RETURNED = "returned", pgettext_lazy("work order", "Returned")
    CANCELLED = "cancelled", pgettext_lazy("work order", "Cancelled")


#: Orders somebody still has to work on (the SLA clock runs, escalation applies).
OPEN_STATUSES = (
    OrderStatus.NEW,
    OrderStatus.ASSIGNED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.ON_HOLD,
    OrderStatus.RETURNED,
)
#: Orders whose repair is done.
DONE_STATUSES = (OrderStatus.AWAITING_VERIFICATION, OrderStatus.COMPLETED, OrderStatus.RATED)


class HoldReason(models.TextChoices):
    PARTS = "parts", _("Waiting for parts")
    CONTRACTOR = "contractor", _("Waiting for a contractor")
    ACCESS = "access", _("Room not accessible")
    OTHER = "other", _("Other")


class Recurrence(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    TERM = "term", _("Each term")
    YEARLY = "yearly", _("Yearly")
    DATES = "dates", _("On listed dates")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign", "Draft")
    ACTIVE = "active", pgettext_lazy("campaign", "Under way")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed")


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("None")
    RESPONSE = 1, _("Response overdue")
    RESOLUTION = 2, _("Repair overdue")
