"""Keep SQLite's planner statistics whole after migrations.

Once a database has been analysed (``sqlite_stat1`` exists), an index added later by a
migration has no statistics, and SQLite then takes it for a very selective one: a list
ordered by one index can be planned through another and sorted in full. After ``migrate``
we analyse again when statistics already exist (PostgreSQL's autovacuum does this by
itself). A database never analysed keeps SQLite's defaults, which plan well.
"""

from __future__ import annotations

from typing import Any

from django.db import connections


def refresh_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            cursor.execute("ANALYZE")
