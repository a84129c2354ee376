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
ZERO = Decimal("0")


def by_school_month(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> tuple[dict[str, Decimal], dict[int, Decimal]]:
    """Value consumed (yuan) per ``YYYY-MM`` and per school id, from one query grouped by
    both: whole months from the monthly totals, the edge days from the ledger. Movements out
    of the store carry negative amounts, so consumption is the negated sum."""
    months: dict[str, Decimal] = {}
    schools: dict[int, Decimal] = {}
    for row in summed(school_ids, KINDS, start, end, ("school_id", "month")):
        amount = -money(row["amount"])
        months[row["month"]] = months.get(row["month"], ZERO) + amount
        schools[row["school_id"]] = schools.get(row["school_id"], ZERO) + amount
    return dict(sorted(months.items())), schools


def monthly(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[str, Decimal]:
    """``YYYY-MM`` -> value consumed that month (yuan)."""
    rows = summed(school_ids, KINDS, start, end, ("month",))
    return {row["month"]: -money(row["amount"]) for row in sorted(rows, key=lambda r: r["month"])}


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
