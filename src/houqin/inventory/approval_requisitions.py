"""The requisition as an approval request type (bound when the app is ready).

The amount is the estimated value at average cost, so a school's chain can add steps
above an amount; the category is the first line's item category.
"""

from __future__ import annotations

from typing import Any

from houqin.approvals import registry

from .choices import ItemCategory, RequisitionStatus
from .models import Requisition
from .services import requisitions as services


def _category(requisition: Requisition) -> str:
    first = requisition.lines.select_related("item").order_by("pk").first()
    return first.item.category if first is not None else ""


def _title(requisition: Requisition) -> Any:
    return f"{requisition.number} {requisition.purpose}"[:200]


REQUISITION = registry.register(
    registry.RequestType(
        code=services.REQUEST_TYPE,
        label=registry.get(services.REQUEST_TYPE).label,
        title=_title,
        amount=lambda r: r.estimated_amount,
        department=lambda r: r.department,
        category=_category,
        requester=lambda r: r.requester,
        on_submitted=services.on_submitted,
        on_approved=services.on_approved,
        on_rejected=services.on_moved(RequisitionStatus.REJECTED),
        on_returned=services.on_moved(RequisitionStatus.RETURNED),
        on_withdrawn=services.on_moved(RequisitionStatus.WITHDRAWN),
        categories=list(ItemCategory.choices),
    )
)
