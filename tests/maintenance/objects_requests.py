"""Maintenance objects (requests) for the URL meta-tests: one per model its pk-URLs use."""

from __future__ import annotations

from typing import Any


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.maintenance.models import RepairCategory
    from houqin.maintenance.services.requests import repair_request_submit

    request = repair_request_submit(
        actor=person,
        school_id=school.pk,
        room=room,
        category=RepairCategory.objects.get(code="electric"),
        description="电扇不转",
    )
    return {"repairrequest": request}
