"""One object of every inventory model in a school, for the URL meta-tests (web and API)."""

from __future__ import annotations

from typing import Any

from . import (
    objects_counts,
    objects_items,
    objects_reports,
    objects_requisitions,
)

AREAS = (
    objects_items,
    objects_requisitions,
    objects_counts,
    objects_reports,
)


def inventory_objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for area in AREAS:
        found.update(area.objects(school, room, department, person))
    return found
