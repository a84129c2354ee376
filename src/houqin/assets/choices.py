"""Choices of the asset register."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    UNDER_REPAIR = "under_repair", _("Under repair")
    ON_LOAN = "on_loan", _("On loan")
    PENDING_DISPOSAL = "pending_disposal", _("Awaiting disposal")
    DISPOSED = "disposed", _("Disposed")
    LOST = "lost", _("Lost")


# Statuses of cards that are no longer on the active register.
INACTIVE_STATUSES = (AssetStatus.DISPOSED, AssetStatus.LOST)


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", _("Government funding")
    SELF = "self", _("Self-raised")
    DONATION = "donation", _("Donation")
    OTHER = "other", _("Other")


class Acquisition(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    DONATION = "donation", _("Donation")
    TRANSFER = "transfer", _("Transfer in")
    SELF_BUILT = "self_built", _("Self-built")
    SURPLUS = "surplus", _("Stocktake surplus")


class CategoryLevel(models.IntegerChoices):
    TOP = 1, _("Top category")
    MAJOR = 2, _("Major category")
    MINOR = 3, _("Minor category")


class MovementKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IMPORTED = "imported", _("Imported")
    TRANSFERRED = "transferred", _("Transferred")
    LENT = "lent", _("Lent")
    RETURNED = "returned", pgettext_lazy("asset returned from a loan", "Returned")
    STATUS = "status", _("Status changed")
    DAMAGED = "damaged", _("Damage reported")
    DISPOSED = "disposed", _("Disposed")
    COUNTED = "counted", _("Stocktake correction")


class RequestStatus(models.TextChoices):
    """Statuses of transfers and disposals, which go through approval chains."""

    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


class LoanStatus(models.TextChoices):
    OUT = "out", _("On loan")
    RETURNED = "returned", pgettext_lazy("asset returned from a loan", "Returned")


class ResponsibleKind(models.TextChoices):
    PERSON = "person", _("A named person")
    STUDENT = "student", _("A student")
    CLASS = "class", _("A class")
    OUTSIDER = "outsider", _("An outsider")
    UNKNOWN = "unknown", _("Unknown")
    WEAR = "wear", _("Natural wear")


class DamageStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSESSED = "assessed", _("Assessed")
    WAIVER_PENDING = "waiver_pending", _("Reduction awaiting approval")
    NOTIFIED = "notified", _("Notice issued")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")
    NO_CHARGE = "no_charge", _("No charge")


class CompensationMethod(models.TextChoices):
    PRICE_LIST = "price_list", _("Price list")
    REMAINING_LIFE = "remaining_life", _("Remaining life")
    AGE = "age", _("Share of original value by age")
    NONE = "none", _("No charge")


class DisposalMethod(models.TextChoices):
    SALE = "sale", _("Sale")
    RECYCLING = "recycling", _("Recycling")
    DESTRUCTION = "destruction", _("Destruction")
    TRANSFER_OUT = "transfer_out", _("Transfer out")


class StocktakeScope(models.TextChoices):
    SCHOOL = "school", _("Whole school")
    BUILDING = "building", _("Building")
    DEPARTMENT = "department", _("Department")
    CATEGORY = "category", _("Category")


class StocktakeStatus(models.TextChoices):
    COUNTING = "counting", _("Counting")
    RECONCILING = "reconciling", _("Reconciling")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class CountResult(models.TextChoices):
    PENDING = "pending", _("Not counted")
    FOUND = "found", _("Found")
    MISSING = "missing", _("Missing")
    WRONG_ROOM = "wrong_room", _("Wrong room")
    DAMAGED = "damaged", _("Damaged")
    SURPLUS = "surplus", _("Surplus")
