"""Every printing route of the API, registered by ``houqin.api.urls``."""

from typing import Any

from . import jobs

ROUTES: list[tuple[str, Any, str]] = [
    *jobs.ROUTES,
]
