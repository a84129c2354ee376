"""Maintenance objects (reports) for the URL meta-tests: one per model its pk-URLs use (the
dashboard and its exports have none), and work orders with their statistics already stored,
for the statistics tests."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.maintenance.choices import DONE_STATUSES, OrderStatus, Urgency
from houqin.maintenance.models import RepairCategory, WorkOrder

_numbers = itertools.count(1)
SHANGHAI = timezone.get_default_timezone()


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    return {}


def at(day: str, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware Asia/Shanghai time on ``day`` (YYYY-MM-DD)."""
    date = datetime.date.fromisoformat(day)
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=SHANGHAI)


def stats_order(
    school: Any,
    *,
    reported: datetime.datetime,
    code: str = "electric",
    status: str = OrderStatus.RATED,
    room: Any = None,
    asset: Any = None,
    assignee: Any = None,
    response_minutes: int | None = None,
    resolution_minutes: int | None = None,
    responded_on_time: bool | None = None,
    resolved_on_time: bool | None = None,
    rating: int | None = None,
    repeat_of: WorkOrder | None = None,
    cost: str = "0",
    urgency: str = Urgency.NORMAL,
    respond_due: datetime.datetime | None = None,
    resolve_due: datetime.datetime | None = None,
    save: bool = True,
) -> WorkOrder:
    """A work order as the services leave it once its clocks stopped; figures given."""
    number = next(_numbers)
    order = WorkOrder(
        school=school,
        number=f"WX-T-{number:06d}",
        status=status,
        title=f"报修{number}",
        category=RepairCategory.objects.get(code=code),
        urgency=urgency,
        room=room,
        building_id=room.building_id if room is not None else None,
        asset=asset,
        assignee=assignee,
        reported_at=reported,
        respond_due=respond_due or reported + datetime.timedelta(hours=4),
        resolve_due=resolve_due or reported + datetime.timedelta(hours=48),
        response_seconds=None if response_minutes is None else response_minutes * 60,
        resolution_seconds=None if resolution_minutes is None else resolution_minutes * 60,
        responded_on_time=responded_on_time,
        resolved_on_time=resolved_on_time,
        rating=rating,
        repeat_of=repeat_of,
        total_cost=Decimal(cost),
        accepted_at=None
        if response_minutes is None
        else reported + datetime.timedelta(minutes=response_minutes),
        finished_at=reported + datetime.timedelta(minutes=resolution_minutes)
        if resolution_minutes is not None and status in DONE_STATUSES
        else None,
    )
    if save:
        order.save()
    return order
