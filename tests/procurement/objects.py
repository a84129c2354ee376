"""One object of every procurement model in a school, for the URL meta-tests (web and API)."""

from __future__ import annotations

from typing import Any

from . import (
    objects_acceptance,
    objects_orders,
    objects_reports,
    objects_requests,
    objects_suppliers,
)

AREAS = (
    objects_suppliers,
    objects_requests,
    objects_orders,
    objects_acceptance,
    objects_reports,
)


def procurement_objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for area in AREAS:
        found.update(area.objects(school, room, department, person))
    return found
