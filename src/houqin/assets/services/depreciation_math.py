"""Straight-line monthly depreciation without residual value, in whole cents.

Month ``n`` (1-based) of an asset's life ends with ``floor(cents × n / life)`` cents written
off, and the last month with the full value. So the monthly amounts are never negative, the
accumulated amount never exceeds the original value, and over the full life the monthly
amounts add up to the original value to the cent. The same integer formula runs in SQL for the
monthly posting (``services/depreciation.py``), and here for single cards and tests.

Following 政府会计准则第3号, an asset depreciates from the month it was acquired.
"""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> int:
    return int((value / CENT).to_integral_value())


def months_elapsed(start_period: int, period: int) -> int:
    """How many months of depreciation have been charged by the end of ``period``."""
    return max(period - start_period + 1, 0)


def accumulated_cents(cents: int, life_months: int, months: int) -> int:
    if months <= 0:
        return 0
    if months >= life_months:
        return cents
    return cents * months // life_months


def accumulated(original: Decimal, life_months: int, months: int) -> Decimal:
    return Decimal(accumulated_cents(to_cents(original), life_months, months)) * CENT


def monthly_amount(original: Decimal, life_months: int, month: int) -> Decimal:
    """The charge of month ``month`` (1-based) of the life."""
    cents = to_cents(original)
    return (
        Decimal(
            accumulated_cents(cents, life_months, month)
            - accumulated_cents(cents, life_months, month - 1)
        )
        * CENT
    )
