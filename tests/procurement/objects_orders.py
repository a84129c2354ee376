"""Objects of procurement (orders) for the URL meta-tests, keyed by model name, and the
builders the order and acceptance tests share."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from houqin.core.numbers import next_number
from houqin.finance.services.budgets import budget_commit
from houqin.procurement.choices import RequestStatus
from houqin.procurement.models import (
    PurchaseOrder,
    PurchaseRequest,
    PurchaseRequestLine,
    Quotation,
)
from houqin.procurement.services.orders import purchase_order_consolidate
from houqin.procurement.services.quotes import quotation_save
from tests import factories as f
from tests import supplies


def approved_request(
    school: Any,
    department: Any,
    requester: Any,
    lines: list[tuple[Any, ...]],
    budget: Any = None,
    title: str = "办公用品",
) -> PurchaseRequest:
    """An approved request (its budget committed) with lines
    ``(item_name, quantity, estimated_price[, stock_item[, specification]])``."""
    request = PurchaseRequest(
        school=school,
        number=next_number(school.pk, "CG"),
        title=title,
        department=department,
        requester=requester,
        category="office",
        budget_line=budget,
        reason="教学需要",
        needed_by=datetime.date.today() + datetime.timedelta(days=14),
        status=RequestStatus.APPROVED,
    )
    request.full_clean()
    request.save()
    total = Decimal("0")
    for spec in lines:
        name, quantity, price = spec[0], Decimal(str(spec[1])), Decimal(str(spec[2]))
        item = spec[3] if len(spec) > 3 else None
        line = PurchaseRequestLine(
            request=request,
            item_name=name,
            specification=spec[4] if len(spec) > 4 else "",
            quantity=quantity,
            unit=item.unit if item is not None else "个",
            estimated_price=price,
            stock_item=item,
        )
        line.full_clean()
        line.save()
        total += line.estimated_amount
    request.estimated_total = total
    if budget is not None:
        budget_commit(line=budget, amount=total, actor=requester, source_type="purchase_request")
        request.committed = total
    request.save()
    return request


def draft_order(school: Any, department: Any, person: Any, purchaser: Any) -> PurchaseOrder:
    request = approved_request(school, department, person, [("A4纸", 10, "25")])
    return purchase_order_consolidate(
        actor=purchaser, lines=list(request.lines.all()), title="办公用品采购"
    )


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    purchaser = f.member(school, "purchaser")
    order = draft_order(school, department, person, purchaser)
    supplier = supplies.supplier(school)
    quotation = quotation_save(
        actor=purchaser,
        order=order,
        supplier=supplier,
        quoted_on=datetime.date.today(),
        prices={line.pk: Decimal("24") for line in order.lines.all()},
    )
    assert isinstance(quotation, Quotation)
    return {"purchaseorder": order, "quotation": quotation}
