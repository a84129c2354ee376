"""Maintenance objects (config) for the URL meta-tests: one per model its pk-URLs use."""

from __future__ import annotations

import datetime
from typing import Any

from tests import factories as f


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.maintenance.models import (
        DispatchRule,
        MaintenanceTeam,
        RepairCategory,
        WorkCalendarDay,
    )

    worker = f.member(school, "worker")
    team = MaintenanceTeam.objects.create(school=school, name="电工班", leader=worker)
    team.members.add(worker)
    return {
        "repaircategory": RepairCategory.objects.get(code="electric"),
        "maintenanceteam": team,
        "dispatchrule": DispatchRule.objects.create(
            school=school,
            category=RepairCategory.objects.get(code="electric"),
            building=room.building,
            team=team,
        ),
        "workcalendarday": WorkCalendarDay.objects.create(
            school=school, date=datetime.date(2026, 10, 1), name="国庆节"
        ),
    }
