"""Figures of the maintenance module for the landing dashboard, aggregated in SQL."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from .choices import OPEN_STATUSES, OrderStatus, RequestStatus
from .models import RepairRequest, WorkOrder


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def maintenance_figures(school_ids: list[int]) -> dict[str, Any]:
    """What waits now (open, overdue, to dispatch, to triage) and how this month goes
    (on-time repairs, satisfaction): three queries over orders and one over requests.

    The open orders are counted per status and the overdue ones in their own query rather
    than with ``COUNT(…) FILTER (WHERE … < %s)``: SQLite plans an aggregate that carries a
    bound parameter as a full scan, while these use the (school, status) and
    (status, resolve_due) indexes."""
    now = timezone.now()
    today = timezone.localdate()
    month_start = datetime.datetime.combine(
        today.replace(day=1), datetime.time.min, tzinfo=timezone.get_default_timezone()
    )
    is_open = Q(status__in=OPEN_STATUSES)
    this_month = Q(reported_at__gte=month_start) & ~Q(status=OrderStatus.CANCELLED)
    orders = WorkOrder.objects.filter(school_id__in=school_ids).order_by()
    by_status = dict(
        orders.filter(is_open).values_list("status").annotate(n=Count("pk")).order_by()
    )
    waiting = {
        "open": sum(by_status.values()),
        "overdue": orders.filter(is_open, resolve_due__lt=now).count(),
        "to_dispatch": by_status.get(OrderStatus.NEW, 0),
    }
    month = orders.filter(this_month).aggregate(
        requests=Count("pk"),
        resolved=Count("pk", filter=Q(resolved_on_time__isnull=False)),
        resolved_on_time=Count("pk", filter=Q(resolved_on_time=True)),
        rated=Count("rating"),
        rated_good=Count("pk", filter=Q(rating__gte=4)),
        rating_mean=Avg("rating"),
    )
    to_triage = RepairRequest.objects.filter(
        school_id__in=school_ids, status=RequestStatus.TRIAGE
    ).count()
    rating = month["rating_mean"]
    return {
        **waiting,
        "to_triage": to_triage,
        "month_requests": month["requests"],
        "month_on_time_rate": _rate(month["resolved_on_time"], month["resolved"]),
        "month_rated": month["rated"],
        "month_satisfaction_rate": _rate(month["rated_good"], month["rated"]),
        "month_rating_mean": None if rating is None else round(float(rating), 2),
    }
