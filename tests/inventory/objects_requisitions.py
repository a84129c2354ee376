"""Objects of inventory (requisitions) for the URL meta-tests, keyed by model name, and the
small builders the requisition tests share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests import supplies


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.inventory.models import DepartmentQuota
    from houqin.org.models import Term

    item = supplies.stock_item(school, name="签字笔")
    requisition = make_requisition(person, department, [(item, "2")])
    term = Term.objects.filter(school=school).first()
    found: dict[str, Any] = {"requisition": requisition}
    if term is not None:
        found["departmentquota"] = DepartmentQuota.objects.create(
            school=school, term=term, department=department, amount=Decimal("100")
        )
    return found


def make_requisition(
    requester: Any,
    department: Any,
    lines: list[tuple[Any, Any]],
    purpose: str = "办公用",
    submit: bool = False,
) -> Any:
    from houqin.inventory.models import Requisition
    from houqin.inventory.services.requisitions import LineInput, requisition_save

    return requisition_save(
        actor=requester,
        requisition=Requisition(department=department, purpose=purpose),
        lines=[LineInput(item, Decimal(str(qty))) for item, qty in lines],
        submit=submit,
    )
