"""Demo budgets, suppliers, purchasing, the consumables store and print jobs."""

from __future__ import annotations

from houqin.org.models import School


def load(schools: list[School]) -> None:
    """Two school years of 开源节流 in 示范中学, a smaller set in 阳光幼儿园."""
