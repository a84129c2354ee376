"""Reads the work order pages share: the list queryset, the SLA clock of an order (computed
from its own fields, no query), and repair cost roll-ups per asset and per room (SQL)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import DONE_STATUSES, OrderStatus
from .models import WorkOrder

S = OrderStatus
#: Foreign keys every list row shows.
LIST_RELATED = ("category", "room__building", "assignee", "team")
#: …and what the detail page shows besides.
DETAIL_RELATED = (
    *LIST_RELATED,
    "school",
    "asset",
    "requester",
    "repeat_of",
    "plan",
    "campaign",
)
#: "Due in" turns into a warning when less than this share of the target is left.
WARN_SHARE = 0.25


def work_order_list(queryset: QuerySet[WorkOrder] | None = None) -> QuerySet[WorkOrder]:
    """Orders with everything a list row shows, in one query."""
    base = WorkOrder.objects.all() if queryset is None else queryset
    return base.select_related(*LIST_RELATED)


def duration_text(seconds: float) -> str:
    """A short human duration: 2天3小时, 3小时20分, 45分钟 (in the active language)."""
    total = max(int(seconds), 0)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)sd %(hours)sh") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)sh %(minutes)smin") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)smin") % {"minutes": max(minutes, 1) if total else 0}


@dataclass(frozen=True)
class Clock:
    """Where an order stands against its targets."""

    state: str  # "ok", "warn", "overdue", "paused", "done", "late", "none"
    text: str
    style: str  # a Bootstrap colour

    def __str__(self) -> str:
        return self.text


def clock(order: WorkOrder, now: datetime.datetime | None = None) -> Clock:
    """The clock of ``order`` from its own fields (no query): open orders count down to
    the response target until accepted and then to the repair target; finished ones say
    whether they were on time."""
    now = now or timezone.now()
    if order.status == S.CANCELLED:
        return Clock("none", "—", "secondary")
    if order.status in DONE_STATUSES:
        if order.resolved_on_time is False and order.finished_at:
            late = (order.finished_at - order.resolve_due).total_seconds()
            return Clock("late", _("Late by %(time)s") % {"time": duration_text(late)}, "danger")
        return Clock("done", _("On time"), "success")
    if order.status == S.ON_HOLD:
        since = order.held_at or now
        return Clock(
            "paused",
            _("Paused %(time)s") % {"time": duration_text((now - since).total_seconds())},
            "secondary",
        )
    if not order.accepted_at and now > order.respond_due:
        late = (now - order.respond_due).total_seconds()
        return Clock(
            "overdue",
            _("Response overdue by %(time)s") % {"time": duration_text(late)},
            "danger",
        )
    if now > order.resolve_due:
        late = (now - order.resolve_due).total_seconds()
        return Clock("overdue", _("Overdue by %(time)s") % {"time": duration_text(late)}, "danger")
    left = (order.resolve_due - now).total_seconds()
    span = max((order.resolve_due - order.reported_at).total_seconds(), 1)
    state, style = ("warn", "warning") if left < span * WARN_SHARE else ("ok", "success")
    return Clock(state, _("Due in %(time)s") % {"time": duration_text(left)}, style)


@dataclass(frozen=True)
class ClockPanel:
    """Everything ``_clock.html`` shows."""

    now: Clock
    respond_due: datetime.datetime
    resolve_due: datetime.datetime
    response: str
    resolution: str
    responded_on_time: bool | None
    resolved_on_time: bool | None
    held: str
    held_now: bool


def clock_panel(order: WorkOrder, now: datetime.datetime | None = None) -> ClockPanel:
    now = now or timezone.now()
    held = order.held_seconds + (int((now - order.held_at).total_seconds()) if order.held_at else 0)
    return ClockPanel(
        now=clock(order, now),
        respond_due=order.respond_due,
        resolve_due=order.resolve_due,
        response=duration_text(order.response_seconds)
        if order.response_seconds is not None
        else "",
        resolution=duration_text(order.resolution_seconds)
        if order.resolution_seconds is not None
        else "",
        responded_on_time=order.responded_on_time,
        resolved_on_time=order.resolved_on_time,
        held=duration_text(held) if held else "",
        held_now=order.status == S.ON_HOLD,
    )


def filter_open_group(queryset: QuerySet[WorkOrder], value: str) -> QuerySet[WorkOrder]:
    from .choices import OPEN_STATUSES

    if value == "open":
        return queryset.filter(status__in=OPEN_STATUSES)
    if value == "done":
        return queryset.filter(status__in=DONE_STATUSES)
    return queryset.filter(status=value)


def overdue_now(
    queryset: QuerySet[WorkOrder], now: datetime.datetime | None = None
) -> QuerySet[WorkOrder]:
    """Open orders past their repair target, or not accepted past their response target
    (orders on hold are paused and never overdue)."""
    from .choices import OPEN_STATUSES

    now = now or timezone.now()
    running = [s for s in OPEN_STATUSES if s != S.ON_HOLD]
    return queryset.filter(
        Q(resolve_due__lt=now) | Q(accepted_at__isnull=True, respond_due__lt=now),
        status__in=running,
    )


# -- cost roll-ups -----------------------------------------------------------------------


@dataclass(frozen=True)
class RepairTotals:
    count: int
    open: int
    total_cost: Decimal
    parts_cost: Decimal
    contractor_cost: Decimal
    labour_cost: Decimal


def _totals(queryset: QuerySet[WorkOrder]) -> RepairTotals:
    zero = Decimal("0.00")
    found = queryset.exclude(status=S.CANCELLED).aggregate(
        count=Count("pk"),
        open=Count("pk", filter=~Q(status__in=(*DONE_STATUSES, S.CANCELLED))),
        total_cost=Sum("total_cost"),
        parts_cost=Sum("parts_cost"),
        contractor_cost=Sum("contractor_cost"),
        labour_cost=Sum("labour_cost"),
    )
    cent = Decimal("0.01")
    return RepairTotals(
        count=found["count"] or 0,
        open=found["open"] or 0,
        total_cost=(found["total_cost"] or zero).quantize(cent),
        parts_cost=(found["parts_cost"] or zero).quantize(cent),
        contractor_cost=(found["contractor_cost"] or zero).quantize(cent),
        labour_cost=(found["labour_cost"] or zero).quantize(cent),
    )


def asset_repair_totals(asset_id: int) -> RepairTotals:
    """Repairs of one asset (cancelled orders left out): count, open, costs — one query."""
    return _totals(WorkOrder.objects.filter(asset_id=asset_id))


def room_repair_totals(room_id: int) -> RepairTotals:
    """Repairs in one room (cancelled orders left out): count, open, costs — one query."""
    return _totals(WorkOrder.objects.filter(room_id=room_id))


def costs_by_asset(queryset: QuerySet[WorkOrder]) -> QuerySet[Any]:
    """Rows ``{asset_id, count, total}`` over ``queryset``, most expensive first."""
    return (
        queryset.exclude(status=S.CANCELLED)
        .filter(asset__isnull=False)
        .values("asset_id")
        .annotate(count=Count("pk"), total=Sum("total_cost"))
        .order_by("-total", "asset_id")
    )


def costs_by_room(queryset: QuerySet[WorkOrder]) -> QuerySet[Any]:
    """Rows ``{room_id, count, total}`` over ``queryset``, most expensive first."""
    return (
        queryset.exclude(status=S.CANCELLED)
        .filter(room__isnull=False)
        .values("room_id")
        .annotate(count=Count("pk"), total=Sum("total_cost"))
        .order_by("-total", "room_id")
    )


def latest_for(queryset: QuerySet[WorkOrder], limit: int = 5) -> list[WorkOrder]:
    return list(work_order_list(queryset).order_by("-reported_at", "-pk")[:limit])


#: Bootstrap colours of the status and urgency badges.
STATUS_STYLE: dict[str, str] = {
    S.NEW: "warning",
    S.ASSIGNED: "info",
    S.IN_PROGRESS: "primary",
    S.ON_HOLD: "secondary",
    S.AWAITING_VERIFICATION: "success",
    S.COMPLETED: "success",
    S.RATED: "success",
    S.RETURNED: "warning",
    S.CANCELLED: "light",
}
URGENCY_STYLE: dict[str, str] = {"urgent": "danger", "normal": "secondary", "planned": "light"}


@dataclass(frozen=True)
class Row:
    """One line of an order list: the order and its badges (no query)."""

    order: WorkOrder
    clock: Clock
    status_style: str
    urgency_style: str


def rows(orders: Any, now: datetime.datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    return [
        Row(
            order,
            clock(order, now),
            STATUS_STYLE.get(order.status, "secondary"),
            URGENCY_STYLE.get(order.urgency, "secondary"),
        )
        for order in orders
    ]


@dataclass(frozen=True)
class Step:
    at: datetime.datetime
    actor: str
    label: str
    detail: str


def timeline(order: WorkOrder) -> list[Step]:
    """The order's status changes (``core.workflow.history``) as readable steps."""
    from houqin.core.workflow import history

    labels = dict(S.choices)
    found = []
    for change in history(order):
        label = str(labels.get(change.to_status, change.to_status))
        detail = change.reason
        if change.from_status == change.to_status and change.reason:
            label, detail = change.reason, ""
        actor = str(change.actor) if change.actor_id else _("the system")
        found.append(Step(change.created_at, actor, label, detail))
    return found
