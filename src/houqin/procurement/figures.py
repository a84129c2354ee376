"""Purchasing figures for reports: what central purchasing saved (estimated against actual
prices on placed orders) and how many request lines it merged, as one SQL aggregate over
the orders' own totals and counts.

An order belongs to a period by the day it was placed; drafts, orders still collecting
quotes and cancelled orders do not count.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from houqin.core.dbfunctions import LocalMonth
from houqin.core.monthsums import bounds
from houqin.finance.figures import money

from .choices import OrderStatus
from .models import PurchaseOrder

PLACED = (OrderStatus.PLACED, OrderStatus.PARTIAL, OrderStatus.RECEIVED, OrderStatus.CLOSED)


def by_school_month(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> tuple[dict[int, dict[str, Any]], dict[str, dict[str, Decimal]]]:
    """In one query over the orders: school id -> orders, order lines, request lines merged
    into them, estimated and actual amounts and the saving; and ``YYYY-MM`` -> estimated and
    actual amounts of the orders placed that month."""
    low, high = bounds(start, end)
    rows = (
        PurchaseOrder.objects.filter(
            school_id__in=list(school_ids),
            status__in=PLACED,
            placed_at__gte=low,
            placed_at__lt=high,
        )
        .annotate(month=LocalMonth("placed_at"))
        .values("school_id", "month")
        .annotate(
            orders=Count("pk"),
            lines=Sum("line_count"),
            merged=Sum("merged_count"),
            estimated=Sum("estimated_total"),
            actual=Sum("total"),
        )
        .order_by()
    )
    schools: dict[int, dict[str, Any]] = {}
    months: dict[str, dict[str, Any]] = {}
    for row in rows:
        school = schools.setdefault(
            row["school_id"],
            {"orders": 0, "order_lines": 0, "request_lines": 0, "estimated": 0, "actual": 0},
        )
        month = months.setdefault(row["month"], {"estimated": 0, "actual": 0})
        school["orders"] += row["orders"]
        school["order_lines"] += int(row["lines"] or 0)
        school["request_lines"] += int(row["merged"] or 0)
        for key in ("estimated", "actual"):
            school[key] += row[key] or 0
            month[key] += row[key] or 0
    for school in schools.values():
        school["estimated"], school["actual"] = money(school["estimated"]), money(school["actual"])
        school["saving"] = school["estimated"] - school["actual"]
    monthly = {
        key: {"estimated": money(month["estimated"]), "actual": money(month["actual"])}
        for key, month in sorted(months.items())
    }
    return schools, monthly
