"""Rows for the savings and supplier tests, written straight to the database so that the
figures can be checked against numbers computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from houqin.core.numbers import next_number
from houqin.finance.models import BudgetEntry
from houqin.finance.services.budgets import budget_commit, budget_refund, budget_spend
from houqin.inventory.choices import MovementKind
from houqin.printing.models import PrintJob
from houqin.procurement.models import (
    Acceptance,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
)
from tests import factories as f
from tests.supplies import budget_line, stock_item


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_default_timezone()
    )


def order(
    school: Any,
    purchaser: Any,
    *,
    supplier: Any = None,
    status: str = "placed",
    placed: datetime.date | None = None,
    lines: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> PurchaseOrder:
    """An order with lines of (quantity, estimated price, unit price)."""
    made = PurchaseOrder.objects.create(
        school=school,
        number=next_number(school.pk, "DD"),
        title="采购",
        supplier=supplier,
        purchaser=purchaser,
        status=status,
        placed_at=moment(placed) if placed else None,
    )
    total = estimated = Decimal("0")
    for quantity, est, price in lines:
        line = PurchaseOrderLine.objects.create(
            order=made,
            item_name="纸",
            unit="包",
            quantity=Decimal(quantity),
            estimated_price=Decimal(est),
            unit_price=Decimal(price),
        )
        total += line.amount
        estimated += (line.quantity * line.estimated_price).quantize(Decimal("0.01"))
    PurchaseOrder.objects.filter(pk=made.pk).update(
        total=total, estimated_total=estimated, line_count=len(lines)
    )
    made.refresh_from_db()
    return made


def request_lines(
    school: Any, department: Any, requester: Any, order_line: PurchaseOrderLine, count: int
) -> list[PurchaseRequestLine]:
    """``count`` request lines (one request each) merged into ``order_line``."""
    found = []
    for _n in range(count):
        request = PurchaseRequest.objects.create(
            school=school,
            number=next_number(school.pk, "CG"),
            title="申购",
            department=department,
            requester=requester,
            category="office",
            reason="教学需要",
            status="ordered",
        )
        found.append(
            PurchaseRequestLine.objects.create(
                request=request,
                item_name="纸",
                quantity=Decimal("1"),
                unit="包",
                estimated_price=Decimal("1"),
                status="ordered",
                order_line=order_line,
            )
        )
    PurchaseOrder.objects.filter(pk=order_line.order_id).update(
        merged_count=F("merged_count") + count
    )
    return found


def acceptance(
    order: PurchaseOrder, recorder: Any, score: int, status: str = "confirmed"
) -> Acceptance:
    return Acceptance.objects.create(
        school_id=order.school_id,
        number=next_number(order.school_id, "YS"),
        order=order,
        delivered_on=datetime.date.today(),
        quality_score=score,
        status=status,
        recorded_by=recorder,
    )


def print_job(
    school: Any,
    department: Any,
    requester: Any,
    *,
    done: datetime.date,
    sheets: int,
    spoiled: int = 0,
    status: str = "done",
) -> PrintJob:
    return PrintJob.objects.create(
        school=school,
        number=next_number(school.pk, "WY"),
        title="试卷",
        department=department,
        requester=requester,
        purpose="exam",
        pages=1,
        copies=sheets,
        duplex=False,
        sheets_estimated=sheets,
        sheets_used=sheets,
        spoiled_sheets=spoiled,
        status=status,
        done_at=moment(done),
    )


def consume(
    item: Any, quantity: str, at: datetime.date, kind: str = MovementKind.ISSUE, **kw: Any
) -> Any:
    """A movement out of (or, for returns, into) the store at a given day."""
    from houqin.inventory.services.stock import stock_move

    kw.setdefault("actor", None)
    return stock_move(
        item=item, kind=kind, quantity=Decimal(quantity), reason="测试", at=moment(at), **kw
    )


D = datetime.date


def years(school: Any) -> tuple[Any, Any]:
    before = f.SchoolYearFactory(
        school=school, name="2024-2025学年", start=D(2024, 9, 1), end=D(2025, 8, 31)
    )
    now = f.SchoolYearFactory(
        school=school, name="2025-2026学年", start=D(2025, 9, 1), end=D(2026, 8, 31)
    )
    return before, now


def dated(entry: BudgetEntry | None, day: datetime.date) -> None:
    assert entry is not None
    BudgetEntry.objects.filter(pk=entry.pk).update(at=moment(day))


def build(school: Any) -> dict[str, Any]:
    """Two school years of budgets, orders, store movements and print jobs."""
    before_year, now_year = years(school)
    office = f.DepartmentFactory(school=school, name="教务处")
    buyer = f.member(school, "purchaser")
    teacher = f.member(school, "teacher", department=office)
    # Budgets: 15,000 this year (1,000 committed, 3,300 spent); 8,000 and 4,000 spent before.
    line = budget_line(school, office, "office", "10000", year=now_year)
    repair = budget_line(school, office, "repair", "5000", year=now_year)
    old = budget_line(school, office, "office", "8000", year=before_year)
    budget_commit(line=line, amount=Decimal("3000"), actor=None)
    dated(
        budget_spend(line=line, amount=Decimal("2500"), release=Decimal("2000"), actor=None),
        D(2025, 10, 15),
    )
    dated(budget_spend(line=repair, amount=Decimal("1000"), actor=None), D(2025, 11, 3))
    dated(budget_refund(line=repair, amount=Decimal("200"), actor=None), D(2025, 11, 20))
    dated(budget_spend(line=old, amount=Decimal("4000"), actor=None), D(2024, 10, 10))
    # Orders: estimated 350, actual 325 this year from 6 request lines in 3 order lines.
    first = order(
        school, buyer, placed=D(2025, 10, 5), lines=[("10", "5", "4.50"), ("2", "100", "90")]
    )
    second = order(
        school, buyer, placed=D(2026, 1, 10), status="received", lines=[("4", "25", "25")]
    )
    order(school, buyer, status="draft", lines=[("100", "100", "1")])
    order(school, buyer, placed=D(2025, 12, 1), status="cancelled", lines=[("1", "9", "1")])
    order(school, buyer, placed=D(2024, 12, 1), status="closed", lines=[("1", "100", "80")])
    a, b = first.lines.order_by("pk")
    request_lines(school, office, teacher, a, 3)
    request_lines(school, office, teacher, b, 2)
    request_lines(school, office, teacher, second.lines.get(), 1)
    # Store: 32 yuan consumed this year (Oct 26, Feb 6), 20 the year before.
    paper = stock_item(school)
    consume(paper, "100", D(2025, 9, 1), MovementKind.RECEIPT, unit_cost=Decimal("2"))
    consume(paper, "10", D(2025, 10, 10), department=office, person=teacher)
    consume(paper, "5", D(2025, 10, 20), MovementKind.PRINT)
    consume(paper, "2", D(2025, 10, 25), MovementKind.RETURN)
    consume(paper, "3", D(2026, 2, 1), MovementKind.REPAIR)
    consume(paper, "10", D(2026, 3, 1), MovementKind.SCRAP)
    pens = stock_item(school)
    consume(pens, "100", D(2024, 9, 1), MovementKind.RECEIPT, unit_cost=Decimal("1"))
    consume(pens, "20", D(2024, 11, 11))
    # Paper: 1,520 sheets this year against 3,000.
    print_job(school, office, teacher, done=D(2025, 9, 15), sheets=1000, spoiled=20)
    print_job(school, office, teacher, done=D(2025, 12, 1), sheets=500)
    print_job(school, office, teacher, done=D(2025, 12, 2), sheets=999, status="queued")
    print_job(school, office, teacher, done=D(2024, 9, 20), sheets=2000)
    print_job(school, office, teacher, done=D(2024, 12, 5), sheets=1000, status="collected")
    return {"office": office, "teacher": teacher}
