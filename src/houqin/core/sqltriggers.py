"""Running the SQL of the tables kept by triggers (monthly consumption, paper, register
totals): in a migration, or as one transaction on a connection (a refill)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def run(schema_editor: Any, statements: list[str]) -> None:
    """Execute ``statements`` in a migration (no parameters: the SQL holds no ``%``)."""
    for statement in statements:
        schema_editor.execute(statement, params=None)


def execute_atomically(statements: Callable[[str], list[str]], using: str = "default") -> None:
    """Execute the statements ``statements(vendor)`` gives, in one transaction."""
    from django.db import connections, transaction

    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements(connection.vendor):
            cursor.execute(statement)
