"""Every maintenance route of the API, registered by ``houqin.api.urls``."""

from typing import Any

from . import categories, orders, plans, requests

ROUTES: list[tuple[str, Any, str]] = [
    *orders.ROUTES,
    *requests.ROUTES,
    *plans.ROUTES,
    *categories.ROUTES,
]
