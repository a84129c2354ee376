"""One object of every asset model in a school, for the URL meta-tests (web and API)."""

from __future__ import annotations

from typing import Any

from . import (
    objects_damage,
    objects_depreciation,
    objects_disposal,
    objects_movements,
    objects_register,
    objects_stocktakes,
)

AREAS = (
    objects_register,
    objects_depreciation,
    objects_movements,
    objects_damage,
    objects_disposal,
    objects_stocktakes,
)


def asset_objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for area in AREAS:
        found.update(area.objects(school, room, department, person))
    return found
