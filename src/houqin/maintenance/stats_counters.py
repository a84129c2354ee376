"""The counters every maintenance figure is derived from, computed the same way over orders
(live) and over the monthly rows (``WorkOrderMonthStat``, in SQL by ``stats_sql``): they add
up, so a period's figures are the sum of its whole months and of the orders around them.

Response and repair times are counted in buckets too (``time_buckets``); an exact
percentile is then read inside the one bucket that holds it (``houqin.maintenance.stats_source``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from houqin.core.dbfunctions import literal_in

from .choices import DONE_STATUSES, OPEN_STATUSES, OrderStatus

STATUS = '"maintenance_workorder"."status"'
# Written into the SQL rather than bound (see ``literal_in``): SQLite then plans the few
# open orders among a million through the status index instead of scanning.
DONE = Q(literal_in(STATUS, DONE_STATUSES))
CANCELLED = Q(literal_in(STATUS, [OrderStatus.CANCELLED]))
OPEN = Q(literal_in(STATUS, OPEN_STATUSES))
LIVE = ~CANCELLED

STARS = (1, 2, 3, 4, 5)
#: Counter name → (aggregate over orders); every one but ``cancelled`` leaves cancelled out.
COUNTERS = (
    "volume",
    "cancelled",
    "done",
    "open",
    "responded",
    "responded_on_time",
    "resolved",
    "resolved_on_time",
    "response_count",
    "response_sum",
    "resolution_count",
    "resolution_sum",
    "rated",
    "rating_sum",
    *(f"stars_{n}" for n in STARS),
    "repeat_faults",
    "cost",
    "labour_minutes",
)
#: The time columns and their histogram dimension.
TIME_DIMS = {"response_seconds": "r", "resolution_seconds": "s"}
#: Dimension → the order's column it groups by (None: the month as a whole).
DIMS: dict[str, str | None] = {"": None, "c": "category_id", "b": "building_id", "w": "assignee_id"}


def _plain_counters() -> dict[str, Any]:
    """The counters of orders that are not cancelled, as aggregates: most are plain counts
    of a column's values, cheaper than a filter on every aggregate."""
    found: dict[str, Any] = {
        "volume": Count("pk"),
        "done": Count("pk", filter=DONE),
        "open": Count("pk", filter=OPEN),
        "responded": Count("responded_on_time"),
        "responded_on_time": Count("pk", filter=Q(responded_on_time=True)),
        "resolved": Count("resolved_on_time"),
        "resolved_on_time": Count("pk", filter=Q(resolved_on_time=True)),
        "response_count": Count("response_seconds"),
        "response_sum": Sum("response_seconds"),
        "resolution_count": Count("resolution_seconds"),
        "resolution_sum": Sum("resolution_seconds"),
        "rated": Count("rating"),
        "rating_sum": Sum("rating"),
        "repeat_faults": Count("repeat_of"),
        "cost": Sum("total_cost"),
        "labour_minutes": Sum("labour_minutes"),
    }
    for n in STARS:
        found[f"stars_{n}"] = Count("pk", filter=Q(rating=n))
    return found


def counted(orders: QuerySet[Any], fields: Sequence[str]) -> list[dict[str, Any]]:
    """The counters of ``orders`` per value of ``fields``, each row holding the fields and
    every counter (zero when empty).

    The database groups by the fields and by whether an order is cancelled, so that the
    aggregates need no filter leaving cancelled orders out; the cancelled ones' count is
    folded into their group's row here."""
    flag = Case(When(CANCELLED, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = (
        orders.annotate(is_cancelled=flag)
        .values(*fields, "is_cancelled")
        .annotate(**_plain_counters())
        .order_by()
    )
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[name] for name in fields)
        into = found.get(key)
        if into is None:
            into = found[key] = {**{name: row[name] for name in fields}, **empty()}
        if row["is_cancelled"]:
            into["cancelled"] += row["volume"]
        else:
            for name in COUNTERS:
                value = row.get(name)
                if value:
                    into[name] += value
    return list(found.values())


def stat_counters() -> dict[str, Sum]:
    """The counters as sums over pre-aggregated rows."""
    return {name: Sum(name) for name in COUNTERS}


def clean(row: dict[str, Any]) -> dict[str, Any]:
    """Counters of a row with ``None`` (an empty sum) as zero."""
    found = {name: row.get(name) or 0 for name in COUNTERS}
    found["cost"] = Decimal(found["cost"] or 0)
    return found


def add(into: dict[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """``into`` (counters, see ``empty``) plus the counters of ``row`` (in place)."""
    for name in COUNTERS:
        value = row[name]
        if value:
            into[name] += value
    return into


def empty() -> dict[str, Any]:
    return clean({})


# -- time buckets -----------------------------------------------------------------------------

#: Upper bounds (seconds, exclusive) of the time buckets: a minute, then 25% wider each time
#: up to about two months; the last bucket is open-ended.
BOUNDS: tuple[int, ...] = tuple(
    sorted({60, *(int(60 * 1.25**k) for k in range(1, 52) if 60 * 1.25**k < 90 * 86400)})
)


def bucket_range(bucket: int) -> tuple[int, int | None]:
    """The seconds ``[low, high)`` of a bucket (``high`` None: no upper bound)."""
    low = 0 if bucket == 0 else BOUNDS[bucket - 1]
    high = BOUNDS[bucket] if bucket < len(BOUNDS) else None
    return low, high


def _bucket_tree(column: str, low: int, high: int) -> Any:
    """The bucket among ``low``…``high`` of a known time, as nested halvings: each row takes
    about six comparisons rather than one per bucket."""
    if low == high:
        return Value(low)
    middle = (low + high) // 2
    return Case(
        When(**{f"{column}__lt": BOUNDS[middle]}, then=_bucket_tree(column, low, middle)),
        default=_bucket_tree(column, middle + 1, high),
        output_field=IntegerField(),
    )


def bucket_of(column: str) -> Case:
    """The bucket of ``column`` as an SQL expression (NULL when the time is unknown)."""
    return Case(
        When(**{f"{column}__isnull": True}, then=Value(None)),
        default=_bucket_tree(column, 0, len(BOUNDS)),
        output_field=IntegerField(),
    )


def bucket_number(seconds: int) -> int:
    """``bucket_of`` in Python."""
    for n, bound in enumerate(BOUNDS):
        if seconds < bound:
            return n
    return len(BOUNDS)


# -- months -----------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The months from ``first`` to ``last`` (first days), both included."""
    found = []
    month = month_start(first)
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found


def reported_between(low: datetime.datetime | None, high: datetime.datetime | None) -> Q:
    """Orders reported in [low, high) (None: unbounded on that side)."""
    condition = Q()
    if low is not None:
        condition &= Q(reported_at__gte=low)
    if high is not None:
        condition &= Q(reported_at__lt=high)
    return condition
