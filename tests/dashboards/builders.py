"""Rows for the savings and supplier tests, written straight to the database so that the
figures can be checked against numbers computed by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.core.numbers import next_number
from houqin.inventory.choices import MovementKind
from houqin.printing.models import PrintJob
from houqin.procurement.models import (
    Acceptance,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
)


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
    PurchaseOrder.objects.filter(pk=made.pk).update(total=total, estimated_total=estimated)
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
