"""One object of every maintenance model in a school, for the URL meta-tests (web and API)."""

from __future__ import annotations

from typing import Any

from . import (
    objects_config,
    objects_orders,
    objects_plans,
    objects_reports,
    objects_requests,
    objects_worker,
)

AREAS = (
    objects_config,
    objects_requests,
    objects_orders,
    objects_worker,
    objects_plans,
    objects_reports,
)


def maintenance_objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for area in AREAS:
        found.update(area.objects(school, room, department, person))
    return found
