"""The 开源节流 demo: a realistic store and purchasing whose ledgers add up (loading it twice:
tests/test_demo.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, F, Q, Sum

from houqin.accounts.models import User
from houqin.approvals.selectors import inbox
from houqin.finance.models import BudgetLine
from houqin.inventory.models import Requisition, StockItem, StockMovement
from houqin.org.models import School
from houqin.printing.models import PrintJob
from houqin.procurement.credit_code import credit_code_error
from houqin.procurement.models import (
    AssetIntake,
    PurchaseOrder,
    PurchaseRequest,
    PurchaseRequestLine,
    Supplier,
)

pytestmark = pytest.mark.django_db


def test_it_loads_a_realistic_store_and_purchasing(demo_data: dict[str, int]) -> None:
    school = School.objects.get(name="示范中学")
    items = StockItem.objects.filter(school=school)
    assert 140 <= items.count() <= 170
    assert items.filter(quantity__lt=F("min_stock")).count() >= 3
    assert set(
        PurchaseRequest.objects.filter(school=school).values_list("status", flat=True)
    ) >= {"draft", "pending", "approved", "ordering", "ordered", "received", "rejected",
          "returned", "withdrawn", "cancelled"}  # fmt: skip
    assert PurchaseRequest.objects.filter(school=school).count() >= 200
    assert set(Requisition.objects.filter(school=school).values_list("status", flat=True)) >= {
        "draft", "pending", "approved", "partial", "issued", "received", "rejected",
        "returned", "withdrawn", "cancelled"}  # fmt: skip
    assert Requisition.objects.filter(requester__username="teacher", status="issued").exists()
    assert set(PrintJob.objects.filter(school=school).values_list("status", flat=True)) >= {
        "pending",
        "queued",
        "printing",
        "done",
        "collected",
        "draft",
    }
    suppliers = Supplier.objects.filter(school=school)
    assert suppliers.count() >= 20
    assert all(credit_code_error(s.credit_code) is None for s in suppliers)
    assert (
        PurchaseOrder.objects.filter(school=school, quotations__isnull=False).distinct().count()
        >= 5
    )
    assert AssetIntake.objects.filter(school=school, status="waiting").exists()
    assert AssetIntake.objects.filter(school=school, status="placed").exists()
    for who in ("depthead", "vp", "principal", "accountant", "t0002"):
        assert (
            inbox(User.objects.get(username=who))
            .filter(
                request_type__in=(
                    "purchase_request",
                    "requisition",
                    "print_job",
                    "budget_adjustment",
                )
            )
            .exists()
        ), who


def cents(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _stock_equals_the_sum_of_its_movements() -> None:
    totals = {
        row["item"]: row
        for row in StockMovement.objects.values("item").annotate(q=Sum("quantity"), v=Sum("amount"))
    }
    for item in StockItem.objects.all():
        row = totals.get(item.pk, {"q": Decimal(0), "v": Decimal(0)})
        assert item.quantity == Decimal(row["q"]).quantize(Decimal("0.001")), item
        assert item.value == Decimal(row["v"]).quantize(Decimal("0.01")), item
        assert item.quantity >= 0
    assert not StockMovement.objects.filter(balance__lt=0).exists()
    # the balance after each movement is the running sum
    for item in StockItem.objects.filter(school__name="示范中学")[:40]:
        running = Decimal(0)
        for movement in item.movements.order_by("at", "id"):
            running += movement.quantity
            assert movement.balance == running, movement


def _budget_lines_equal_their_entries() -> None:
    for line in BudgetLine.objects.annotate(
        c=Sum("entries__amount", filter=Q(entries__kind="commit")),
        r=Sum("entries__amount", filter=Q(entries__kind="release")),
        s=Sum("entries__amount", filter=Q(entries__kind="spend")),
        a=Sum("entries__amount", filter=Q(entries__kind="adjust")),
    ):
        assert line.committed == cents((line.c or 0) - (line.r or 0)), line
        assert line.spent == cents(line.s or 0), line
        assert line.amount == line.initial_amount + cents(line.a or 0), line
        assert line.committed + line.spent <= line.amount, line


def _received_requests_are_received_line_by_line() -> None:
    open_lines = PurchaseRequestLine.objects.filter(request__status="received").exclude(
        status__in=("received", "cancelled")
    )
    assert not open_lines.exists()
    assert not PurchaseRequest.objects.filter(status="received", committed__gt=0).exists()
    counted = PurchaseOrder.objects.annotate(
        n_lines=Count("lines", distinct=True), n_merged=Count("lines__request_lines")
    )
    assert counted.filter(n_merged__gt=F("n_lines")).exists()
    assert not counted.exclude(line_count=F("n_lines"), merged_count=F("n_merged")).exists()


def _paper_use_fell_in_the_second_year() -> None:
    def sheets(start: datetime.date, end: datetime.date) -> int:
        return (
            PrintJob.objects.filter(
                school__name="示范中学", done_at__date__gte=start, done_at__date__lt=end
            ).aggregate(s=Sum("sheets_used"))["s"]
            or 0
        )

    today = datetime.date(2026, 11, 24)
    first = sheets(datetime.date(2025, 9, 1), today.replace(year=2025))
    second = sheets(datetime.date(2026, 9, 1), today)
    assert second < first * 0.9
    paper = StockMovement.objects.filter(kind="print", item__school__name="示范中学")
    assert (
        paper.count()
        == PrintJob.objects.filter(school__name="示范中学", paper_item__isnull=False).count()
    )


def test_its_ledgers_add_up(demo_data: dict[str, int]) -> None:
    """Stock equals its movements and is never negative; budgets equal their entries;
    received requests are received line by line; paper use fell in the second year."""
    _stock_equals_the_sum_of_its_movements()
    _budget_lines_equal_their_entries()
    _received_requests_are_received_line_by_line()
    _paper_use_fell_in_the_second_year()
