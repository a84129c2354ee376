"""Pre-aggregates the closed months of every school into ``WorkOrderMonthStat``.

Run nightly (``maintenance.stats_refresh``). A month's rows carry the time they were taken
(a few minutes early, so that a change committed while they were read is never missed): the
statistics compute live any month that an order changed since, and the current month always.
Every closed month from the school's first order on gets at least its ``""`` row (zero when
nothing was reported), which tells the statistics the month was aggregated.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from houqin.core.dbfunctions import LocalMonth

from .models import WorkOrder, WorkOrderMonthStat
from .stats_counters import (
    DIMS,
    LIVE,
    TIME_DIMS,
    bucket_of,
    clean,
    counted,
    empty,
    month_start,
    months_between,
)

#: Changes committed up to this long after they were saved are still seen as changes.
MARGIN = datetime.timedelta(minutes=10)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def _month(text: str) -> datetime.date:
    year, month = text.split("-")
    return datetime.date(int(year), int(month), 1)


def _rows(school_id: int, orders: Any, stamp: datetime.datetime) -> list[WorkOrderMonthStat]:
    rows: list[WorkOrderMonthStat] = []
    by_month = orders.annotate(month=LocalMonth("reported_at"))
    for dim, column in DIMS.items():
        fields = ["month", column] if column else ["month"]
        for row in counted(by_month, fields):
            key = row[column] if column else 0
            if dim == "w" and key is None:
                continue
            rows.append(
                WorkOrderMonthStat(
                    school_id=school_id,
                    month=_month(row["month"]),
                    dim=dim,
                    key=key or 0,
                    refreshed_at=stamp,
                    **clean(row),
                )
            )
    for column, dim in TIME_DIMS.items():
        timed = by_month.filter(LIVE, **{f"{column}__isnull": False}).annotate(
            bucket=bucket_of(column)
        )
        for row in timed.values("month", "bucket").annotate(volume=Count("pk")).order_by():
            rows.append(
                WorkOrderMonthStat(
                    school_id=school_id,
                    month=_month(row["month"]),
                    dim=dim,
                    key=row["bucket"],
                    volume=row["volume"],
                    refreshed_at=stamp,
                )
            )
    return rows


def refresh_school(school_id: int, now: datetime.datetime | None = None) -> int:
    """Rebuild the rows of every closed month of one school; returns the rows written."""
    now = now or timezone.now()
    stamp = now - MARGIN
    current = month_start(timezone.localdate(now))
    orders = WorkOrder.objects.filter(
        school_id=school_id, reported_at__lt=local_midnight(current)
    ).order_by()
    first = orders.aggregate(first=Min("reported_at"))["first"]
    with transaction.atomic():
        WorkOrderMonthStat.objects.filter(school_id=school_id).delete()
        if first is None:
            return 0
        rows = _rows(school_id, orders, stamp)
        seen = {row.month for row in rows if row.dim == ""}
        last = current - datetime.timedelta(days=1)
        for month in months_between(timezone.localtime(first).date(), last):
            if month not in seen:
                rows.append(
                    WorkOrderMonthStat(
                        school_id=school_id, month=month, dim="", refreshed_at=stamp, **empty()
                    )
                )
        WorkOrderMonthStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh_all(now: datetime.datetime | None = None) -> int:
    """Rebuild the closed months of every school that has work orders."""
    from houqin.org.models import School

    written = 0
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        written += refresh_school(school_id, now)
    return written
