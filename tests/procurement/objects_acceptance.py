"""Objects of procurement (acceptance) for the URL meta-tests, keyed by model name."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from houqin.procurement.services.acceptance import LineInput, acceptance_save
from houqin.procurement.services.orders import purchase_order_place, purchase_order_update
from tests import factories as f
from tests import supplies

from .objects_orders import draft_order


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    purchaser = f.member(school, "purchaser")
    order = draft_order(school, department, person, purchaser)
    purchase_order_update(
        actor=purchaser, order=order, title=order.title, supplier=supplies.supplier(school)
    )
    purchase_order_place(actor=purchaser, order=order)
    acceptance = acceptance_save(
        actor=purchaser,
        order=order,
        delivered_on=datetime.date.today(),
        lines=[LineInput(order.lines.get().pk, Decimal("1"), Decimal("1"))],
        acceptors=[purchaser],
    )
    return {"acceptance": acceptance}
