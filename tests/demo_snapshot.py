"""The demo data for tests, loaded once per test process and copied back afterwards.

Loading the demo writes thousands of rows through the loader; many tests need it. The first
load in a process is kept as a snapshot of every table, and later tests get the snapshot back
in a fraction of the time:

- a transactional test (a browser test) in its flushed database: SQLite's online backup, or
  PostgreSQL's COPY;
- any other test inside its own transaction, so the rows go with the test's rollback: the
  rows copied back by INSERT on SQLite (triggers dropped meanwhile and created again), or
  PostgreSQL's COPY (triggers off for the session meanwhile).

The snapshot holds everything, including content types and permissions and the tables the
triggers keep, so the database is exactly the one the loader produced.
"""

from __future__ import annotations

import io
import sqlite3
from typing import Any

from django.db import connection

_SNAPSHOT: dict[str, Any] = {}
_COUNTS: dict[str, dict[str, int]] = {}  # what the first load in this process returned


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


def _sqlite_rows() -> dict[str, Any]:
    """Every table's rows as SQLite stores them (the test's transaction sees its own rows,
    which the backup cannot copy): Django's type converters are set aside meanwhile."""
    raw = connection.connection
    saved = dict(sqlite3.converters)
    sqlite3.converters.clear()
    try:
        tables = {}
        names = raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for (name,) in names:
            rows = raw.execute(f'SELECT * FROM "{name}"')
            tables[name] = ([column[0] for column in rows.description], rows.fetchall())
        sequences = raw.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    finally:
        sqlite3.converters.update(saved)
    return {"tables": tables, "sequences": sequences}


def _sqlite_copy_back(snapshot: dict[str, Any]) -> None:
    raw = connection.connection
    triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _sql in triggers:
        raw.execute(f'DROP TRIGGER "{name}"')
    for name, (columns, rows) in snapshot["tables"].items():
        raw.execute(f'DELETE FROM "{name}"')
        if rows:
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" * len(columns))
            raw.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows)
    raw.execute("DELETE FROM sqlite_sequence")
    raw.executemany("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", snapshot["sequences"])
    for _name, sql in triggers:
        raw.execute(sql)


def _first_load() -> dict[str, int]:
    from houqin.demo.loader import load_demo
    from tests.conftest import ensure_roles

    ensure_roles()
    return load_demo()


def load_demo_once() -> None:
    """Put the demo data into the (flushed) database of a transactional test."""
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
    _COUNTS[vendor] = _first_load()
    _SNAPSHOT[vendor] = _sqlite_take() if vendor == "sqlite" else _pg_take()


def demo_in_test() -> dict[str, int]:
    """Put the demo data into the running test's transaction; returns the loader's counts.

    On PostgreSQL the snapshot is the same as for transactional tests; on SQLite its rows
    are kept apart (``sqlite:rows``), as the online backup cannot read an open transaction."""
    vendor = connection.vendor
    key = "sqlite:rows" if vendor == "sqlite" else vendor
    if key in _SNAPSHOT:
        if vendor == "sqlite":
            _sqlite_copy_back(_SNAPSHOT[key])
        else:
            _pg_restore(_SNAPSHOT[key])
        _forget_cached_rows()
        return dict(_COUNTS[vendor])
    _COUNTS[vendor] = _first_load()
    _SNAPSHOT[key] = _sqlite_rows() if vendor == "sqlite" else _pg_take()
    return dict(_COUNTS[vendor])
