"""Objects of procurement (requests) for the URL meta-tests, keyed by model name: a purchase
request of ``person`` and an accepted asset waiting for its card."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from houqin.core.numbers import next_number
from houqin.procurement.models import (
    Acceptance,
    AcceptanceLine,
    AssetIntake,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
)
from houqin.procurement.services.requests import LineInput, purchase_request_save


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    request = purchase_request_save(
        actor=person,
        request=PurchaseRequest(
            department=department, title="投影仪", category="equipment", reason="教室"
        ),
        lines=[
            LineInput(
                item_name="投影仪",
                quantity=Decimal("1"),
                unit="台",
                estimated_price=Decimal("3000"),
            )
        ],
    )
    order = PurchaseOrder.objects.create(
        school=school, number=next_number(school.pk, "DD"), title="投影仪", purchaser=person
    )
    order_line = PurchaseOrderLine.objects.create(
        order=order,
        item_name="投影仪",
        unit="台",
        quantity=Decimal("1"),
        unit_price=Decimal("3000"),
    )
    acceptance = Acceptance.objects.create(
        school=school,
        number=next_number(school.pk, "YS"),
        order=order,
        delivered_on=datetime.date.today(),
        recorded_by=person,
    )
    line = AcceptanceLine.objects.create(
        acceptance=acceptance, order_line=order_line, delivered=Decimal("1"), accepted=Decimal("1")
    )
    intake = AssetIntake.objects.create(
        school=school,
        acceptance_line=line,
        name="投影仪",
        unit="台",
        quantity=1,
        unit_price=Decimal("3000"),
        department=department,
        received_on=datetime.date.today(),
    )
    return {"purchaserequest": request, "assetintake": intake}
