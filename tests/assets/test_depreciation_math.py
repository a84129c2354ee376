"""Properties of the straight-line monthly formula, for any life and any value."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from houqin.assets.services.depreciation_math import (
    accumulated,
    accumulated_cents,
    monthly_amount,
    months_elapsed,
    to_cents,
)

values = st.integers(min_value=1, max_value=1_000_000_000).map(lambda c: Decimal(c) / 100)
lives = st.integers(min_value=1, max_value=600)


@given(values, lives, st.integers(min_value=-5, max_value=700))
def test_it_never_exceeds_the_original_value_nor_goes_negative(
    original: Decimal, life: int, months: int
) -> None:
    value = accumulated(original, life, months)
    assert Decimal(0) <= value <= original
    assert value == value.quantize(Decimal("0.01"))


@given(values, lives, st.integers(min_value=-5, max_value=700))
def test_it_never_decreases_from_one_month_to_the_next(
    original: Decimal, life: int, months: int
) -> None:
    assert accumulated(original, life, months + 1) >= accumulated(original, life, months)


@settings(max_examples=60)
@given(values, lives)
def test_the_monthly_amounts_of_the_whole_life_add_up_to_the_original_to_the_cent(
    original: Decimal, life: int
) -> None:
    amounts = [monthly_amount(original, life, month) for month in range(1, life + 1)]
    assert sum(amounts, Decimal(0)) == original
    assert all(amount >= 0 for amount in amounts)
    assert accumulated(original, life, life) == original
    assert accumulated(original, life, life + 12) == original


@given(values, lives, st.integers(min_value=1, max_value=700))
def test_accumulated_is_the_running_sum_of_the_monthly_amounts(
    original: Decimal, life: int, months: int
) -> None:
    cents = to_cents(original)
    month = min(months, life)
    assert accumulated_cents(cents, life, month) - accumulated_cents(
        cents, life, month - 1
    ) == to_cents(monthly_amount(original, life, month))


def test_an_asset_depreciates_from_the_month_of_purchase() -> None:
    assert months_elapsed(2026 * 12 + 4, 2026 * 12 + 4) == 1
    assert months_elapsed(2026 * 12 + 4, 2026 * 12 + 3) == 0
    assert months_elapsed(2026 * 12 + 4, 2020 * 12) == 0
    assert accumulated(Decimal("6000"), 72, 1) == Decimal("83.33")
    assert accumulated(Decimal("6000"), 72, 3) == Decimal("250.00")
    assert accumulated(Decimal("0.01"), 600, 599) == Decimal("0.00")
    assert accumulated(Decimal("0.01"), 600, 600) == Decimal("0.01")
