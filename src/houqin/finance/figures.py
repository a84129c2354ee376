"""Budget figures for reports (the savings report, the home panel): SQL aggregates.

A period is a pair of dates (both included). Budget lines belong to the period when their
school year starts in it; spending belongs to it by the time of the ledger entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce

from houqin.core.dbfunctions import LocalMonth
from houqin.core.monthsums import bounds

from .models import BudgetEntry, BudgetLine
from .models.budgets import BudgetEntryKind

ZERO = Decimal("0")
CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _lines(school_ids: Sequence[int], start: datetime.date, end: datetime.date) -> Any:
    return BudgetLine.objects.filter(
        school_id__in=list(school_ids),
        school_year__start__gte=start,
        school_year__start__lte=end,
    ).order_by()


def by_category(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """Per expense category: budget, committed, spent and available (one query)."""
    from .models import ExpenseCategory

    labels = dict(ExpenseCategory.choices)
    rows = (
        _lines(school_ids, start, end)
        .values("category")
        .annotate(budget=Sum("amount"), committed=Sum("committed"), spent=Sum("spent"))
        .order_by("category")
    )
    result = []
    for row in rows:
        budget, committed, spent = (
            money(row["budget"]),
            money(row["committed"]),
            money(row["spent"]),
        )
        result.append(
            {
                "category": row["category"],
                "label": str(labels.get(row["category"], row["category"])),
                "budget": budget,
                "committed": committed,
                "spent": spent,
                "available": budget - committed - spent,
                "used_rate": rate(committed + spent, budget),
                "spent_rate": rate(spent, budget),
            }
        )
    return result


def totals(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, Decimal]]:
    """school id -> budget, committed and spent of the period's budget lines (one query)."""
    rows = (
        _lines(school_ids, start, end)
        .values("school_id")
        .annotate(budget=Sum("amount"), committed=Sum("committed"), spent=Sum("spent"))
        .order_by()
    )
    return {
        row["school_id"]: {
            "budget": money(row["budget"]),
            "committed": money(row["committed"]),
            "spent": money(row["spent"]),
        }
        for row in rows
    }


def monthly(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[str, Decimal]:
    """``YYYY-MM`` -> money spent in that month (spending less reversals), one query."""
    low, high = bounds(start, end)
    signed = Case(
        When(kind=BudgetEntryKind.REFUND, then=-F("amount")),
        default=F("amount"),
        output_field=MONEY,
    )
    rows = (
        BudgetEntry.objects.filter(
            school_id__in=list(school_ids),
            kind__in=(BudgetEntryKind.SPEND, BudgetEntryKind.REFUND),
            at__gte=low,
            at__lt=high,
        )
        .annotate(month=LocalMonth("at"))
        .values("month")
        .annotate(total=Coalesce(Sum(signed), Value(ZERO), output_field=MONEY))
        .order_by("month")
    )
    return {row["month"]: money(row["total"]) for row in rows}


def rate(part: Decimal | int, whole: Decimal | int) -> float | None:
    """``part`` as a percentage of ``whole`` (one decimal), None when ``whole`` is zero."""
    if not whole:
        return None
    return round(float(part) * 100.0 / float(whole), 1)
