"""Objects of procurement (suppliers) for the URL meta-tests, keyed by model name."""

from __future__ import annotations

from typing import Any


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    return {}
