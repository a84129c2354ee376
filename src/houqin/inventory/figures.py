"""Consumption figures for reports: the value taken from the store (issued to departments,
used for printing and repairs, less what was brought back), as SQL aggregates."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from houqin.finance.figures import money

from .choices import CONSUMPTION, MovementKind
from .consumption import summed
from .models import StockItem

#: Consumption, and returns of issued goods that undo part of it.
KINDS = (*CONSUMPTION, MovementKind.RETURN)


def monthly(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[str, Decimal]:
    """``YYYY-MM`` -> value consumed that month (yuan): whole months from the monthly
    totals, the edge days from the ledger. Movements out of the store carry negative
    amounts, so consumption is the negated sum."""
    rows = sorted(summed(school_ids, KINDS, start, end, ("month",)), key=lambda r: r["month"])
    return {row["month"]: -money(row["amount"]) for row in rows}


def totals(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    """school id -> value consumed in the period."""
    rows = summed(school_ids, KINDS, start, end, ("school_id",))
    return {row["school_id"]: -money(row["amount"]) for row in rows}


def low_stock_count(school_ids: Sequence[int]) -> int:
    """Items in use with a minimum stock that are at or below it."""
    from django.db.models import F

    return StockItem.objects.filter(
        school_id__in=list(school_ids),
        is_active=True,
        min_stock__gt=0,
        quantity__lte=F("min_stock"),
    ).count()
