from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemCategory(models.TextChoices):
    OFFICE = "office", _("Office supplies")
    PAPER = "paper", _("Paper")
    PRINTING = "printing", _("Toner and printing supplies")
    CLEANING = "cleaning", _("Cleaning supplies")
    REPAIR = "repair", _("Repair materials")
    ELECTRICAL = "electrical", _("Electrical parts")
    TEACHING = "teaching", _("Teaching supplies")
    SPORTS = "sports", _("Sports supplies")
    PROTECTIVE = "protective", _("Protective equipment")
    MEDICAL = "medical", _("Medical supplies")
    OTHER = "other", _("Other")


class MovementKind(models.TextChoices):
    OPENING = "opening", _("Opening balance")
    RECEIPT = "receipt", _("Received")
    ISSUE = "issue", _("Issued")
    RETURN = "return", _("Returned to store")
    SUPPLIER_RETURN = "supplier_return", _("Returned to supplier")
    ADJUST_UP = "adjust_up", _("Count surplus")
    ADJUST_DOWN = "adjust_down", _("Count shortage")
    SCRAP = "scrap", _("Scrapped")
    PRINT = "print", _("Used for printing")
    REPAIR = "repair", _("Used for a repair")


# Movements that add to stock; every other kind takes from it.
INCOMING = (MovementKind.OPENING, MovementKind.RECEIPT, MovementKind.RETURN, MovementKind.ADJUST_UP)
# Movements that count as consumption by a department or person.
CONSUMPTION = (MovementKind.ISSUE, MovementKind.PRINT, MovementKind.REPAIR)


class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Awaiting issue")
    PARTIAL = "partial", _("Partly issued")
    ISSUED = "issued", _("Issued")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class CountStatus(models.TextChoices):
    COUNTING = "counting", _("Counting")
    PENDING = "pending", _("Awaiting approval")
    RETURNED = "returned", _("Returned for recount")
    POSTED = "posted", _("Posted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
