"""The tables kept by triggers (monthly consumption, paper, repair statistics, register
totals): their SQL run in a migration or as one transaction on a connection (a refill), and
the shape their triggers share on PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class TriggerSet:
    """The triggers that keep a summary table equal to the rows of ``table``.

    On SQLite there is one trigger per event (``names``: inserts, deletes, then updates of the
    ``watched`` columns, possibly in two parts); on PostgreSQL one function serves a trigger
    for inserts and deletes (the first name) and one for updates (the third name)."""

    table: str
    function: str
    names: tuple[str, ...]
    watched: tuple[str, ...]

    def postgresql(self, take: str, add: str, when: str = "") -> list[str]:
        """The function and its triggers: ``take`` runs for the old row of a delete or an
        update, ``add`` for the new row of an insert or an update (each ending with ``; ``);
        ``when`` narrows the updates further."""
        condition = f"WHEN ({when}) " if when else ""
        return [
            f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {take}END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {add}END IF; "
            "RETURN NULL; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {self.names[0]} AFTER INSERT OR DELETE ON {self.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.function}()",
            f"CREATE TRIGGER {self.names[2]} AFTER UPDATE OF {', '.join(self.watched)} "
            f"ON {self.table} FOR EACH ROW {condition}EXECUTE FUNCTION {self.function}()",
        ]

    def drop(self, vendor: str) -> list[str]:
        if vendor == "postgresql":
            return [
                f"DROP TRIGGER IF EXISTS {self.names[0]} ON {self.table}",
                f"DROP TRIGGER IF EXISTS {self.names[2]} ON {self.table}",
                f"DROP FUNCTION IF EXISTS {self.function}()",
            ]
        return [f"DROP TRIGGER IF EXISTS {name}" for name in self.names]
