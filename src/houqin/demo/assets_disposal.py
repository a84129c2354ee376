"""Demo data of this part of the asset register, made through its services."""

from __future__ import annotations

from typing import Any


def load(school: Any) -> None:
    """Called by ``demo/assets.py`` for each demo school after its assets exist."""
