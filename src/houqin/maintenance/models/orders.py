"""The work order (工单): one repair from dispatch to the requester's rating."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel, ScopedQuerySet

from ..choices import (
    DONE_STATUSES,
    OPEN_STATUSES,
    EscalationLevel,
    HoldReason,
    OrderSource,
    OrderStatus,
    Urgency,
)

S = OrderStatus
DISPATCH = "maintenance.dispatch_workorder"
WORK = "maintenance.work_workorder"


class WorkOrderQuerySet(ScopedQuerySet):
    def open(self) -> WorkOrderQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def done(self) -> WorkOrderQuerySet:
        return self.filter(status__in=DONE_STATUSES)


class WorkOrder(SchoolOwnedModel):
    # Permissions say who may take an edge at all; the services add who in particular
    # (the assigned worker, the requester).
    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        S.NEW: {S.ASSIGNED: DISPATCH, S.CANCELLED: DISPATCH},
        S.ASSIGNED: {
            S.ASSIGNED: DISPATCH,
            S.IN_PROGRESS: WORK,
            S.ON_HOLD: WORK,
            S.RETURNED: WORK,
            S.CANCELLED: DISPATCH,
        },
        S.IN_PROGRESS: {
            S.ASSIGNED: DISPATCH,
            S.ON_HOLD: WORK,
            S.AWAITING_VERIFICATION: WORK,
            S.COMPLETED: WORK,
            S.RETURNED: WORK,
            S.CANCELLED: DISPATCH,
        },
        S.ON_HOLD: {S.IN_PROGRESS: WORK, S.ASSIGNED: DISPATCH, S.CANCELLED: DISPATCH},
        S.RETURNED: {S.ASSIGNED: DISPATCH, S.CANCELLED: DISPATCH},
        S.AWAITING_VERIFICATION: {S.COMPLETED: None, S.IN_PROGRESS: None},
        S.COMPLETED: {S.RATED: None, S.IN_PROGRESS: DISPATCH},
        S.RATED: {},
        S.CANCELLED: {},
    }

    number = models.CharField(_("number"), max_length=30, editable=False)
    source = models.CharField(
        _("source"), max_length=10, choices=OrderSource.choices, default=OrderSource.REQUEST
    )
    status = models.CharField(
        _("status"), max_length=25, choices=S.choices, default=S.NEW, editable=False
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    category = models.ForeignKey(
        "maintenance.RepairCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category"),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    room = models.ForeignKey(
        "org.Room",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room"),
    )
    # Denormalised from the room so that lists and statistics by building need no join.
    building = models.ForeignKey(
        "org.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
        editable=False,
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asset"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requester"),
        editable=False,
    )
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
        editable=False,
    )
    team = models.ForeignKey(
        "maintenance.MaintenanceTeam",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        editable=False,
    )
    plan = models.ForeignKey(
        "maintenance.MaintenancePlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("preventive plan"),
        editable=False,
    )
    campaign = models.ForeignKey(
        "maintenance.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("campaign"),
        editable=False,
    )
    planned_for = models.DateField(_("planned for"), null=True, blank=True, editable=False)
    # "room:12" or "asset:345": what a plan's order is for, so a date is generated once.
    plan_target = models.CharField(max_length=30, blank=True, editable=False)
    checklist = models.JSONField(
        _("checklist"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("[{'item': text, 'done': bool, 'note': text}]"),
    )
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
        editable=False,
    )
    # The clock.
    reported_at = models.DateTimeField(_("reported at"), editable=False)
    respond_due = models.DateTimeField(_("respond by"), editable=False)
    resolve_due = models.DateTimeField(_("repair by"), editable=False)
    assigned_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    held_at = models.DateTimeField(_("on hold since"), null=True, blank=True, editable=False)
    hold_reason = models.CharField(
        _("hold reason"), max_length=20, choices=HoldReason.choices, blank=True, editable=False
    )
    held_seconds = models.PositiveIntegerField(_("time on hold (s)"), default=0, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # Stored when the clock stops so that statistics over a million orders stay one query.
    response_seconds = models.PositiveIntegerField(
        _("response time (s)"), null=True, blank=True, editable=False
    )
    resolution_seconds = models.PositiveIntegerField(
        _("repair time (s)"), null=True, blank=True, editable=False
    )
    responded_on_time = models.BooleanField(
        _("responded on time"), null=True, blank=True, editable=False
    )
    resolved_on_time = models.BooleanField(
        _("repaired on time"), null=True, blank=True, editable=False
    )
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation"),
        choices=EscalationLevel.choices,
        default=EscalationLevel.NONE,
        editable=False,
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    # The work record.
    work_notes = models.TextField(_("work done"), max_length=4000, blank=True, editable=False)
    labour_minutes = models.PositiveIntegerField(_("labour (minutes)"), default=0, editable=False)
    contractor = models.CharField(_("outside contractor"), max_length=200, blank=True)
    contractor_cost = models.DecimalField(
        _("contractor cost (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        editable=False,
    )
    parts_cost = models.DecimalField(
        _("parts cost (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
    )
    labour_cost = models.DecimalField(
        _("labour cost (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
    )
    total_cost = models.DecimalField(
        _("total cost (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        editable=False,
    )
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True, editable=False)

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["school", "-reported_at", "-pk"]
        permissions = [
            ("dispatch_workorder", _("Dispatch, reassign and cancel work orders")),
            ("work_workorder", _("Accept, carry out and finish work orders")),
            ("view_maintenance_reports", _("See maintenance reports")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "number"], name="maintenance_order_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="maintenance_order_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(total_cost__gte=0), name="maintenance_order_cost_positive"
            ),
            models.UniqueConstraint(
                fields=["plan", "planned_for", "plan_target"],
                name="maintenance_order_once_per_plan_date",
                condition=models.Q(plan__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-reported_at"]),
            models.Index(fields=["school", "status", "-reported_at"]),
            models.Index(fields=["school", "category", "-reported_at"]),
            models.Index(fields=["school", "building", "-reported_at"]),
            models.Index(fields=["school", "urgency", "-reported_at"]),
            models.Index(fields=["assignee", "status", "-reported_at"]),
            models.Index(fields=["room", "category", "-reported_at"]),
            models.Index(fields=["asset", "-reported_at"]),
            models.Index(fields=["status", "resolve_due"]),
            models.Index(fields=["school", "resolve_due"]),
            models.Index(fields=["school", "status", "resolve_due"]),
            # The few open orders among millions, per worker (workload, "my orders").
            models.Index(
                fields=["school", "assignee"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="maintenance_order_open_worker",
            ),
            models.Index(fields=["repeat_of", "-reported_at"]),
            models.Index(fields=["campaign", "building"]),
            models.Index(fields=["plan", "planned_for"]),
            # Sorts of the list (the tie on the key follows the sort's direction) and, without
            # the school first, the district's lists over every school.
            models.Index(fields=["school", "total_cost"], name="maintenance_order_cost"),
            models.Index(fields=["total_cost"], name="maintenance_order_cost_all"),
            models.Index(fields=["-reported_at"], name="maintenance_order_reported"),
            models.Index(fields=["resolve_due"], name="maintenance_order_due"),
            # Statistics: orders changed since the figures were pre-aggregated; exact
            # percentiles read within one histogram bucket; the few repeat faults.
            models.Index(fields=["school", "updated_at"], name="maintenance_order_changed"),
            models.Index(
                fields=["school", "response_seconds", "reported_at", "status"],
                name="maintenance_order_response",
            ),
            models.Index(
                fields=["school", "resolution_seconds", "reported_at", "status"],
                name="maintenance_order_resolution",
            ),
            # Covers the repeat-fault counts per room, asset and category from the index alone
            # (SQLite needs the condition's column in the index too).
            models.Index(
                fields=[
                    "school",
                    "reported_at",
                    "status",
                    "room",
                    "asset",
                    "category",
                    "repeat_of",
                ],
                condition=models.Q(repeat_of__isnull=False),
                name="maintenance_order_repeated",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("maintenance:workorder_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class WorkOrderPart(SchoolOwnedModel):
    """A part or material used on an order, bought for it or taken from the consumables store."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, related_name="parts", verbose_name=_("work order")
    )
    name = models.CharField(_("item"), max_length=100)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    unit = models.CharField(_("unit"), max_length=20, default="个")
    unit_price = models.DecimalField(
        _("unit price (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"), editable=False
    )
    stock_item = models.ForeignKey(
        "inventory.StockItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken from the store"),
        help_text=_("Parts from the store are issued from stock at their average cost."),
    )

    class Meta:
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        ordering = ["work_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="maintenance_part_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}{self.unit}"

    def get_absolute_url(self) -> str:
        return self.work_order.get_absolute_url()

    def save(self, *args: object, **kwargs: object) -> None:
        self.amount = (self.quantity * self.unit_price).quantize(Decimal("0.01"))
        super().save(*args, **kwargs)  # type: ignore[arg-type]
