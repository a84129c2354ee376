"""Maintenance objects (orders) for the URL meta-tests: one per model its pk-URLs use."""

from __future__ import annotations

from typing import Any


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    return {}
