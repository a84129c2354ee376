"""Every inventory route of the API, registered by ``houqin.api.urls``."""

from typing import Any

from . import counts, items, movements, requisitions

ROUTES: list[tuple[str, Any, str]] = [
    *items.ROUTES,
    *movements.ROUTES,
    *requisitions.ROUTES,
    *counts.ROUTES,
]
