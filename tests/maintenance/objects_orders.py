"""Maintenance objects (orders) for the URL meta-tests: one per model its pk-URLs use."""

from __future__ import annotations

from typing import Any


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.maintenance.choices import OrderSource
    from houqin.maintenance.models import RepairCategory
    from houqin.maintenance.services.orders import work_order_open

    order = work_order_open(
        actor=person,
        school_id=school.pk,
        category=RepairCategory.objects.get(code="electric"),
        title="灯不亮",
        room=room,
        requester=None,
        contact_name="王老师",
        source=OrderSource.DIRECT,
        auto_dispatch=False,
    )
    return {"workorder": order}
