"""Every procurement route of the API, registered by ``houqin.api.urls``."""

from typing import Any

from . import acceptance, orders, requests, suppliers

ROUTES: list[tuple[str, Any, str]] = [
    *suppliers.ROUTES,
    *requests.ROUTES,
    *orders.ROUTES,
    *acceptance.ROUTES,
]
