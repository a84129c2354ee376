"""Database functions that both SQLite and PostgreSQL compute natively."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import CharField, Func
from django.db.models.functions import TruncMonth
from django.utils import timezone


def _fixed_offset_minutes() -> int | None:
    """The site zone's offset from UTC in minutes when it never changes (Asia/Shanghai: +480),
    else None (a zone with summer time needs the database's own time zone conversion)."""
    zone = timezone.get_default_timezone()
    offsets = {zone.utcoffset(datetime.datetime(2026, month, 1)) for month in (1, 4, 7, 10)}
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return None if offset is None else int(offset.total_seconds() // 60)


class LocalMonth(Func):
    """``YYYY-MM`` of a moment in the site's time zone, computed by the database's own
    functions: SQLite's ``strftime`` with the zone's fixed offset rather than Django's
    per-row Python ``TruncMonth`` (about ten times faster over a million rows), PostgreSQL's
    ``to_char`` after ``AT TIME ZONE``."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        offset = _fixed_offset_minutes()
        if offset is None:  # pragma: no cover - the site runs in Asia/Shanghai
            zone = timezone.get_default_timezone()
            trunc = TruncMonth(self.source_expressions[0], tzinfo=zone)  # type: ignore[arg-type]
            return trunc.as_sql(compiler, connection)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime(%s, {sql}, %s)", ["%Y-%m", *params, f"{offset:+d} minutes"]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        zone = str(timezone.get_default_timezone())
        return f"to_char({sql} AT TIME ZONE %s, %s)", [*params, zone, "YYYY-MM"]
