"""Maintenance objects (plans) for the URL meta-tests: one per model its pk-URLs use."""

from __future__ import annotations

import datetime
from typing import Any


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.maintenance.models import Campaign, MaintenancePlan, RepairCategory

    category = RepairCategory.objects.get(code="electric")
    plan = MaintenancePlan.objects.create(
        school=school,
        name="灭火器月检",
        category=category,
        recurrence="monthly",
        start_date=datetime.date(2026, 1, 31),
        checklist=["压力表指针在绿区"],
    )
    plan.rooms.add(room)
    campaign = Campaign.objects.create(
        school=school,
        name="暑假集中维修",
        category=category,
        title="检修电扇、灯管和开关",
        start_date=datetime.date(2026, 7, 10),
        end_date=datetime.date(2026, 8, 20),
    )
    campaign.rooms.add(room)
    return {"maintenanceplan": plan, "campaign": campaign}
