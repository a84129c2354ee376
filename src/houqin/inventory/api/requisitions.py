"""API of this area."""

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
