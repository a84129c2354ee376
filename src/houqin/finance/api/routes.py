"""Every finance route of the API, registered by ``houqin.api.urls``."""

from typing import Any

from . import budgets

ROUTES: list[tuple[str, Any, str]] = [
    *budgets.ROUTES,
]
