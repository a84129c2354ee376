"""The state of one import: target school, acting user, and what came out of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportContext:
    """Where rows go and who imports them; parsers keep their loaded look-ups in ``cache``."""

    school: Any
    actor: Any
    cache: dict[Any, Any] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class RowError:
    """One problem as the user sees it: the row number in Excel (the header is row 1; ``0``
    for the file as a whole), the column header and a message in the request's language."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    skipped_example: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors
