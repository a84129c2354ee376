"""The stock ledger: moving average, the last unit's residual value, refusals, the database
constraint behind "never negative", any sequence of movements keeping the running totals
equal to the ledger, and 32 simultaneous issues of the last 10 units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from houqin.inventory.models import StockItem, StockMovement
from houqin.inventory.services.stock import StockError, stock_move
from tests import supplies
from tests.core.test_workflow_numbers import needs_server_db, run_in_threads

D = Decimal


def fresh(item: StockItem) -> StockItem:
    return StockItem.objects.get(pk=item.pk)


@pytest.mark.django_db
def test_it_keeps_a_moving_average_cost(school: Any) -> None:
    item = supplies.stock_item(school)
    supplies.receive(item, 10, "2")
    supplies.receive(item, 30, "4")
    item = fresh(item)
    assert item.quantity == D("40") and item.value == D("140.00")
    assert item.average_cost == D("3.5000")
    issue = stock_move(item=item, kind="issue", quantity=4, actor=None, reason="领用")
    assert issue.quantity == D("-4") and issue.amount == D("-14.00")
    assert issue.unit_cost == D("3.5000") and issue.balance == D("36")
    item = fresh(item)
    assert item.value == D("126.00") and item.average_cost == D("3.5000")


@pytest.mark.django_db
def test_the_last_unit_takes_the_value_left(school: Any) -> None:
    item = supplies.stock_item(school)
    supplies.receive(item, 3, "1")  # 3.00
    supplies.receive(item, 3, "0.01")  # 0.03 → average 0.505
    first = stock_move(item=item, kind="issue", quantity=5, actor=None, reason="x")
    assert first.amount == D("-2.53")
    last = stock_move(item=item, kind="issue", quantity=1, actor=None, reason="x")
    item = fresh(item)
    assert item.quantity == 0 and item.value == D("0")
    assert first.amount + last.amount == D("-3.03")


@pytest.mark.django_db
def test_it_refuses_to_go_below_zero_with_the_quantity_left(school: Any) -> None:
    item = supplies.stock_item(school, name="白板笔", unit="支")
    supplies.receive(item, 2, "3")
    with pytest.raises(StockError) as refused:
        stock_move(item=item, kind="issue", quantity=3, actor=None, reason="x")
    assert "2 支 left" in str(refused.value) and "3 支 asked" in str(refused.value)
    assert fresh(item).quantity == 2
    assert StockMovement.objects.filter(item=item).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quantity", "reason", "kind"),
    [(0, "x", "issue"), (-1, "x", "issue"), (1, "  ", "issue"), (1, "x", "steal")],
)
def test_it_refuses_nonsense(school: Any, quantity: int, reason: str, kind: str) -> None:
    item = supplies.stock_item(school)
    supplies.receive(item, 5)
    with pytest.raises(StockError):
        stock_move(item=item, kind=kind, quantity=quantity, actor=None, reason=reason)
    assert fresh(item).quantity == 5


@pytest.mark.django_db
def test_the_database_refuses_negative_stock_even_behind_the_service(school: Any) -> None:
    item = supplies.stock_item(school)
    supplies.receive(item, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockItem.objects.filter(pk=item.pk).update(quantity=D("-1"))
    table = StockItem._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET quantity = -5 WHERE id = %s", [item.pk])
    assert fresh(item).quantity == 1


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "issue", "return", "adjust_up", "adjust_down", "scrap"]),
        st.decimals(min_value=D("0.001"), max_value=60, places=3, allow_nan=False),
        st.decimals(min_value=0, max_value=90, places=2, allow_nan=False),
    ),
    max_size=30,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
@pytest.mark.django_db
def test_any_sequence_keeps_stock_equal_to_the_ledger(
    school: Any, operations: list[tuple[str, Decimal, Decimal]]
) -> None:
    """Stock = Σ movement quantities ≥ 0, value = Σ amounts ≥ 0, each balance is the running
    sum, and a refused movement changes nothing."""
    item = supplies.stock_item(school)
    for kind, quantity, cost in operations:
        before = fresh(item)
        unit_cost = cost if kind == "receipt" else None
        try:
            stock_move(
                item=item, kind=kind, quantity=quantity, unit_cost=unit_cost, actor=None, reason="x"
            )
        except StockError:
            after = fresh(item)
            assert (after.quantity, after.value) == (before.quantity, before.value)
            assert quantity > before.quantity
            continue
        now = fresh(item)
        assert now.quantity >= 0 and now.value >= 0
    item = fresh(item)
    totals = StockMovement.objects.filter(item=item).aggregate(q=Sum("quantity"), v=Sum("amount"))
    # SQLite sums decimals as floats: compare at the ledger's precision.
    assert item.quantity == D(str(totals["q"] or 0)).quantize(D("0.001"))
    assert item.value == D(str(totals["v"] or 0)).quantize(D("0.01"))
    running = D("0")
    for movement in StockMovement.objects.filter(item=item).order_by("at", "id"):
        running += movement.quantity
        assert movement.balance == running >= 0
    if item.quantity == 0:
        assert item.value == 0


@needs_server_db
@pytest.mark.django_db(transaction=True)
def test_32_simultaneous_issues_of_the_last_10_units_issue_exactly_10(school: Any) -> None:
    item = supplies.stock_item(school, name="订书钉", unit="盒")
    supplies.receive(item, 10, "5")

    def issue(index: int) -> int:
        stock_move(item=item.pk, kind="issue", quantity=1, actor=None, reason=f"领用{index}")
        return index

    results, errors = run_in_threads(32, issue)
    assert len(results) == 10
    assert len(errors) == 22
    assert all(isinstance(e, StockError) and "库存不足" in str(e) for e in errors)
    item = fresh(item)
    assert item.quantity == 0 and item.value == 0
    assert StockMovement.objects.filter(item=item, kind="issue").count() == 10
