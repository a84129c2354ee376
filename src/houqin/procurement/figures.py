"""Purchasing figures for reports: what central purchasing saved (estimated against actual
prices on placed orders) and how many request lines it merged, as SQL aggregates.

An order belongs to a period by the day it was placed; drafts, orders still collecting
quotes and cancelled orders do not count.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum

from houqin.core.dbfunctions import LocalMonth
from houqin.core.monthsums import bounds
from houqin.finance.figures import money

from .choices import OrderStatus
from .models import PurchaseOrderLine, PurchaseRequestLine

PLACED = (OrderStatus.PLACED, OrderStatus.PARTIAL, OrderStatus.RECEIVED, OrderStatus.CLOSED)
AMOUNT = DecimalField(max_digits=20, decimal_places=5)


def _order_lines(school_ids: Sequence[int], start: datetime.date, end: datetime.date) -> Any:
    low, high = bounds(start, end)
    return PurchaseOrderLine.objects.filter(
        order__school_id__in=list(school_ids),
        order__status__in=PLACED,
        order__placed_at__gte=low,
        order__placed_at__lt=high,
    ).order_by()


def _sums() -> dict[str, Any]:
    return {
        "estimated": Sum(
            ExpressionWrapper(F("quantity") * F("estimated_price"), output_field=AMOUNT)
        ),
        "actual": Sum(ExpressionWrapper(F("quantity") * F("unit_price"), output_field=AMOUNT)),
    }


def totals(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, Any]]:
    """school id -> orders, order lines, request lines merged into them, estimated and
    actual amounts and the saving (two queries)."""
    rows = (
        _order_lines(school_ids, start, end)
        .values(school_id=F("order__school_id"))
        .annotate(orders=Count("order_id", distinct=True), lines=Count("pk"), **_sums())
        .order_by()
    )
    low, high = bounds(start, end)
    merged = dict(
        PurchaseRequestLine.objects.filter(
            order_line__order__school_id__in=list(school_ids),
            order_line__order__status__in=PLACED,
            order_line__order__placed_at__gte=low,
            order_line__order__placed_at__lt=high,
        )
        .values_list("order_line__order__school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict[int, dict[str, Any]] = {}
    for row in rows:
        estimated, actual = money(row["estimated"]), money(row["actual"])
        result[row["school_id"]] = {
            "orders": row["orders"],
            "order_lines": row["lines"],
            "request_lines": int(merged.get(row["school_id"], 0)),
            "estimated": estimated,
            "actual": actual,
            "saving": estimated - actual,
        }
    return result


def monthly(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[str, dict[str, Decimal]]:
    """``YYYY-MM`` -> estimated and actual amounts of the orders placed that month."""
    rows = (
        _order_lines(school_ids, start, end)
        .annotate(month=LocalMonth("order__placed_at"))
        .values("month")
        .annotate(**_sums())
        .order_by("month")
    )
    return {
        row["month"]: {"estimated": money(row["estimated"]), "actual": money(row["actual"])}
        for row in rows
    }
