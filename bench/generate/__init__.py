"""Deterministic data for every module at district scale.

    ./houqin bench generate --preset district|school|small [--fresh] [--parts org,assets,…]

Fills the database that ``HOUQIN_DATABASE_URL`` names (default: ``var/bench/<preset>.sqlite3``)
with a district of schools and years of history in every module, written in batches
(``COPY`` on PostgreSQL, ``executemany`` on SQLite), then sets the document sequences and the
PostgreSQL key sequences past the generated rows and refreshes the planner statistics. Reports
its own time per part, the rows per table and the database size.
"""

from __future__ import annotations

import datetime
import importlib
import sys
import time
from typing import Any

from .base import PRESETS, TZ, Ctx, Preset, rows_preset

# In this order: later parts use what earlier ones left in ``ctx.shared``.
PARTS = ("org", "inventory", "finance", "procurement", "printing", "assets", "maintenance", "audit")

__all__ = ["PARTS", "PRESETS", "Ctx", "Preset", "generate", "rows_preset"]


def generate(
    preset: Preset, *, parts: tuple[str, ...] = PARTS, now: datetime.datetime | None = None
) -> Ctx:
    """Fill the current (migrated, empty) database; returns the context with counts and times."""
    from django.db import connection, transaction

    moment = (now or datetime.datetime.now(TZ)).replace(microsecond=0)
    ctx = Ctx(preset=preset, now=moment)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
    # Triggers keep monthly consumption and paper per row; a bulk load sums them once instead.
    from houqin.inventory import consumption_sql
    from houqin.maintenance import stats_sql
    from houqin.printing import paper_sql

    vendor = connection.vendor
    _execute(
        consumption_sql.drop_triggers(vendor)
        + paper_sql.drop_triggers(vendor)
        + stats_sql.drop_triggers(vendor)
    )
    try:
        for name in parts:
            module = importlib.import_module(f"bench.generate.{name}")
            with transaction.atomic():
                ctx.timed(name, module.generate)
            print(f"[generate] {name}: {ctx.seconds[name]} s", file=sys.stderr, flush=True)
        with transaction.atomic():
            ctx.save_numbers()
        ctx.timed("consumption", lambda _ctx: consumption_sql.refill())
        ctx.timed("paper", lambda _ctx: paper_sql.refill())
        if "maintenance" in parts:
            ctx.timed("repair statistics", lambda _ctx: stats_sql.refill())
    finally:
        _execute(consumption_sql.drop_triggers(vendor) + consumption_sql.create_triggers(vendor))
        _execute(paper_sql.drop_triggers(vendor) + paper_sql.create_triggers(vendor))
        _execute(stats_sql.drop_triggers(vendor) + stats_sql.create_triggers(vendor))
    _reset_sequences()
    return ctx


def _execute(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(apps.get_models()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def database_size() -> int:
    from pathlib import Path

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    name = Path(str(connection.settings_dict["NAME"]))
    return sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())


def summary(ctx: Ctx, total_seconds: float, analyze_seconds: float, size: int) -> dict[str, Any]:
    from django.db import connection

    return {
        "preset": ctx.preset.name,
        "database": connection.vendor,
        "now": ctx.now.isoformat(),
        "schools": len(ctx.schools),
        "seconds": round(total_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "seconds_per_part": ctx.seconds,
        "rows": dict(sorted(ctx.counts.items())),
        "total_rows": sum(ctx.counts.values()),
        "database_mb": round(size / 1e6, 1),
    }
