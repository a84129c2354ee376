"""The demo data for browser tests, loaded once per test process and restored afterwards.

Loading the demo writes thousands of rows through the loader; a browser test needs it in a
flushed database every time. The first load in a process is kept as a snapshot of every
table (SQLite's online backup, or PostgreSQL's COPY); later tests restore the snapshot in a
fraction of the time. The snapshot holds everything, including content types and
permissions, so the restored database is exactly the one the loader produced.
"""

from __future__ import annotations

import io
import sqlite3
from typing import Any

from django.db import connection

_SNAPSHOT: dict[str, Any] = {}


def _forget_cached_rows() -> None:
    """Rows cached in memory by id may name rows of another load."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()


def _sqlite_take() -> sqlite3.Connection:
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def _sqlite_restore(copy: sqlite3.Connection) -> None:
    connection.ensure_connection()
    copy.backup(connection.connection)


def _pg_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def _pg_take() -> dict[str, Any]:
    tables: dict[str, bytes] = {}
    sequences: list[tuple[str, int, bool]] = []
    with connection.cursor() as cursor:
        for table in _pg_tables():
            buffer = io.BytesIO()
            with cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
                for chunk in copy:
                    buffer.write(chunk)
            tables[table] = buffer.getvalue()
        cursor.execute(
            "SELECT schemaname || '.' || sequencename, COALESCE(last_value, 1), "
            "last_value IS NOT NULL FROM pg_sequences WHERE schemaname = current_schema()"
        )
        sequences = [(name, value, called) for name, value, called in cursor.fetchall()]
    return {"tables": tables, "sequences": sequences}


def _pg_restore(snapshot: dict[str, Any]) -> None:
    tables: dict[str, bytes] = snapshot["tables"]
    names = ", ".join(f'"{name}"' for name in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # The snapshot holds the tables the triggers keep (register totals, monthly
        # consumption) as they were: the rows copied back must not be counted again.
        cursor.execute("SET session_replication_role = replica")
        try:
            for table, data in tables.items():
                with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                    copy.write(data)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        for name, value, called in snapshot["sequences"]:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, value, called])


def load_demo_once() -> None:
    """Put the demo data into the (flushed) test database."""
    vendor = connection.vendor
    if vendor in _SNAPSHOT:
        if vendor == "sqlite":
            _sqlite_restore(_SNAPSHOT[vendor])
        else:
            from django.db import transaction

            with transaction.atomic():
                _pg_restore(_SNAPSHOT[vendor])
        _forget_cached_rows()
        return
    from houqin.demo.loader import load_demo
    from tests.conftest import ensure_roles

    ensure_roles()
    load_demo()
    _SNAPSHOT[vendor] = _sqlite_take() if vendor == "sqlite" else _pg_take()
