"""One object of every finance model in a school, for the URL meta-tests (web and API)."""

from __future__ import annotations

from typing import Any

from . import (
    objects_budgets,
)

AREAS = (objects_budgets,)


def finance_objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for area in AREAS:
        found.update(area.objects(school, room, department, person))
    return found
