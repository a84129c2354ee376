"""Every asset route of the API, registered by ``houqin.api.urls``."""

from typing import Any

from . import damage, register, stocktakes

ROUTES: list[tuple[str, Any, str]] = [*register.ROUTES, *damage.ROUTES, *stocktakes.ROUTES]
