"""Sums over a period read from monthly tables kept by triggers, and from the rows themselves
for the days at the period's edges, added up by the database in one query.

The store's consumption (``inventory.consumption``) and the print room's paper
(``printing.paper_months``) both keep such tables; this module holds what they share:
splitting a period into whole months and edge days, the moments bounding those days, the
``YYYY-MM`` text of a month column, and the ``UNION ALL`` query that adds the parts.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import CharField, Func, QuerySet
from django.utils import timezone

Span = tuple[datetime.date, datetime.date]


def first_of_next(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def split(start: datetime.date, end: datetime.date) -> tuple[Span | None, list[Span]]:
    """The whole months inside ``[start, end]`` (first days of the first and the last) and
    the day ranges before and after them."""
    first = start if start.day == 1 else first_of_next(start)
    after = first_of_next(end)
    stop = after if after - datetime.timedelta(days=1) == end else end.replace(day=1)
    if first >= stop:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - datetime.timedelta(days=1)))
    if stop <= end:
        edges.append((stop, end))
    last = (stop - datetime.timedelta(days=1)).replace(day=1)
    return (first, last), edges


def bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The moments from the start of ``start`` to the start of the day after ``end`` (site
    time)."""
    zone = timezone.get_default_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return low, high


class MonthText(Func):
    """``YYYY-MM`` of a first-of-month date (the rows' side gives ``LocalMonth``)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime(%s, {sql})", ["%Y-%m", *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql}, %s)", [*params, "YYYY-MM"]


def union_sums(
    parts: Sequence[QuerySet[Any]],
    group: Sequence[str],
    sums: Sequence[str],
    order: str = "",
    limit: int | None = None,
) -> list[tuple[Any, ...]]:
    """Add up ``parts`` (querysets of ``values("g_<name>"…).annotate(<sum>…)`` for every name
    of ``group`` and every column of ``sums``) per group: one query, rows of the group's
    values then the sums. ``order`` is SQL over the quoted sum and group columns (trusted:
    written by the caller, never from input)."""
    compiled = [part.query.sql_with_params() for part in parts]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f"g_{name}") for name in group)
    selected = f"{columns}, " if group else ""
    totals = ", ".join(f"SUM({quote(name)})" for name in sums)
    sql = (
        f"SELECT {selected}{totals} FROM ("  # noqa: S608
        + " UNION ALL ".join(part_sql for part_sql, _params in compiled)
        + f") {quote('parts')}"
    )
    if group:
        sql += f" GROUP BY {columns}"
    if order:
        sql += f" ORDER BY {order}"
    if limit:
        sql += f" LIMIT {int(limit)}"
    params = [value for _sql, part_params in compiled for value in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def number(value: Any, step: Decimal) -> Decimal:
    """A sum as the database returns it (SQLite adds decimals as floats) to its places."""
    if value is None:
        return Decimal("0").quantize(step)
    return Decimal(str(value) if isinstance(value, float) else value).quantize(step)
