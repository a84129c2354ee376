"""Consumption figures for reports: the value taken from the store (issued to departments,
used for printing and repairs, less what was brought back), as SQL aggregates."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from houqin.core.dbfunctions import LocalMonth
from houqin.finance.figures import moments, money

from .choices import CONSUMPTION, MovementKind
from .models import StockItem, StockMovement

#: Consumption, and returns of issued goods that undo part of it.
KINDS = (*CONSUMPTION, MovementKind.RETURN)


def _movements(school_ids: Sequence[int], start: datetime.date, end: datetime.date) -> Any:
    low, high = moments(start, end)
    return StockMovement.objects.filter(
        school_id__in=list(school_ids), kind__in=KINDS, at__gte=low, at__lt=high
    ).order_by()


def monthly(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[str, Decimal]:
    """``YYYY-MM`` -> value consumed that month (yuan, one query). Movements out of the store
    carry negative amounts, so consumption is the negated sum."""
    rows = (
        _movements(school_ids, start, end)
        .annotate(month=LocalMonth("at"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    return {row["month"]: -money(row["total"]) for row in rows}


def totals(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    """school id -> value consumed in the period (one query)."""
    rows = _movements(school_ids, start, end).values("school_id").annotate(total=Sum("amount"))
    return {row["school_id"]: -money(row["total"]) for row in rows}


def low_stock_count(school_ids: Sequence[int]) -> int:
    """Items in use with a minimum stock that are at or below it."""
    from django.db.models import F

    return StockItem.objects.filter(
        school_id__in=list(school_ids),
        is_active=True,
        min_stock__gt=0,
        quantity__lte=F("min_stock"),
    ).count()
