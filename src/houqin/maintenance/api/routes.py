"""Every maintenance route of the API, registered by ``houqin.api.urls``."""

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
