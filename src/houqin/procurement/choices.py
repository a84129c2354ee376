from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved, to be ordered")
    ORDERING = "ordering", _("Partly ordered")
    ORDERED = "ordered", _("Ordered")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class LineStatus(models.TextChoices):
    OPEN = "open", _("To be ordered")
    ORDERED = "ordered", _("Ordered")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUOTING = "quoting", _("Collecting quotes")
    PLACED = "placed", _("Placed with the supplier")
    PARTIAL = "partial", _("Partly received")
    RECEIVED = "received", _("Received")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class AcceptanceResult(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class AcceptanceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class IntakeStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be placed")
    PLACED = "placed", _("Registered")


class QualificationKind(models.TextChoices):
    LICENCE = "licence", _("Business licence")
    FOOD = "food", _("Food business licence")
    PRODUCTION = "production", _("Production licence")
    SAFETY = "safety", _("Safety certificate")
    QUALITY = "quality", _("Quality certification")
    AUTHORISATION = "authorisation", _("Brand authorisation")
    OTHER = "other", _("Other")
