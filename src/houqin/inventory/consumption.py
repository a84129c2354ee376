"""Consumption sums over a period: whole months from the monthly tables, the days at the
period's edges from the ledger, merged into one row per group.

``summed(school_ids, kinds, start, end, group)`` gives the same rows an aggregate over the
ledger rows of ``[start, end]`` would, in one query: ``group`` names any of ``school_id``,
``department_id``, ``person_id``, ``item_id`` and ``month`` (``YYYY-MM``), or none for the
period's totals; each row carries ``amount``, ``quantity`` (the ledger's signs: consumption
is negative) and ``count`` (the movements that are not returns). No department or person
is ``None``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, F, Func, Q, QuerySet, Sum, Value
from django.db.models.functions import NullIf
from django.utils import timezone

from houqin.core.dbfunctions import LocalMonth, literal_in

from .choices import MovementKind
from .models import DepartmentConsumption, ItemConsumption, PersonConsumption, StockMovement

ZERO = Decimal("0")
CENT, MILLI = Decimal("0.01"), Decimal("0.001")
KIND = '"inventory_stockmovement"."kind"'
Row = dict[str, Any]
#: The monthly table that holds each group column (the smallest one that can).
TABLE_COLUMNS = {"department_id": "department_key", "person_id": "person_key"}


def _first_of_next(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def split(
    start: datetime.date, end: datetime.date
) -> tuple[tuple[datetime.date, datetime.date] | None, list[tuple[datetime.date, datetime.date]]]:
    """The whole months inside ``[start, end]`` (first days of the first and the last) and
    the day ranges before and after them."""
    first = start if start.day == 1 else _first_of_next(start)
    after = _first_of_next(end)
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


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    zone = timezone.get_default_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return low, high


def _table(group: Sequence[str]) -> Any:
    if "item_id" in group:
        return ItemConsumption
    if "person_id" in group:
        return PersonConsumption
    return DepartmentConsumption


class MonthText(Func):
    """``YYYY-MM`` of a first-of-month date (the ledger side gives ``LocalMonth``)."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime(%s, {sql})", ["%Y-%m", *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql}, %s)", [*params, "YYYY-MM"]


def _month_column(name: str) -> Any:
    if name == "month":
        return MonthText(F("month"))
    if name in TABLE_COLUMNS:  # 0 stands for none: NULL, as in the ledger
        return NullIf(F(TABLE_COLUMNS[name]), Value(0))
    if name == "item_id":
        # An expression, not the column: grouping by the bare column, SQLite reads the
        # whole (item, month) index in item order instead of the scope's schools and months.
        return F(name) + 0
    return F(name)


def _from_months(
    school_ids: Sequence[int],
    kinds: Sequence[str],
    months: tuple[datetime.date, datetime.date],
    group: Sequence[str],
    department_id: int | None,
    only: dict[str, Sequence[Any]],
) -> QuerySet[Any]:
    model = _table([*group, *only])
    queryset = model.objects.filter(
        school_id__in=list(school_ids), kind__in=list(kinds), month__range=months
    )
    if department_id is not None:
        queryset = queryset.filter(department_key=department_id)
    for name, values in only.items():
        column = TABLE_COLUMNS.get(name, name)
        keys = [0 if value is None else value for value in values]
        queryset = queryset.filter(**{f"{column}__in": keys})
    rows: QuerySet[Any] = (
        queryset.order_by()
        .annotate(**{f"g_{n}": _month_column(n) for n in group})
        .values(*[f"g_{n}" for n in group])
        .annotate(
            amount=Sum("amount"),
            quantity=Sum("quantity"),
            count=Sum("movements", filter=~Q(kind=MovementKind.RETURN)),
        )
    )
    return rows


def ledger(
    school_ids: Sequence[int],
    kinds: Sequence[str],
    start: datetime.date,
    end: datetime.date,
    department_id: int | None = None,
) -> QuerySet[StockMovement]:
    """The ledger rows of the kinds in ``[start, end]``; the kinds are written into the SQL
    (see ``literal_in``) so that SQLite plans the range on the (school, kind, at, …) index."""
    since, until = _bounds(start, end)
    queryset = StockMovement.objects.filter(
        Q(literal_in(KIND, kinds)),
        school_id__in=list(school_ids),
        at__gte=since,
        at__lt=until,
    )
    if department_id is not None:
        queryset = queryset.filter(department_id=department_id)
    return queryset.order_by()


def _from_ledger(
    school_ids: Sequence[int],
    kinds: Sequence[str],
    days: tuple[datetime.date, datetime.date],
    group: Sequence[str],
    department_id: int | None,
    only: dict[str, Sequence[Any]],
) -> QuerySet[Any]:
    names = {name: LocalMonth("at") if name == "month" else F(name) for name in group}
    queryset = ledger(school_ids, kinds, *days, department_id=department_id)
    for name, values in only.items():
        keys = [value for value in values if value is not None]
        wanted = Q(**{f"{name}__in": keys})
        if len(keys) < len(values):
            wanted |= Q(**{f"{name}__isnull": True})
        queryset = queryset.filter(wanted)
    rows: QuerySet[Any] = (
        queryset.annotate(**{f"g_{n}": expression for n, expression in names.items()})
        .values(*[f"g_{n}" for n in group])
        .annotate(
            amount=Sum("amount"),
            quantity=Sum("quantity"),
            count=Count("pk", filter=~Q(kind=MovementKind.RETURN)),
        )
    )
    return rows


def _number(value: Any, step: Decimal) -> Decimal:
    """A sum as the database returns it (SQLite adds decimals as floats) to its places."""
    if value is None:
        return ZERO.quantize(step)
    return Decimal(str(value) if isinstance(value, float) else value).quantize(step)


def summed(
    school_ids: Sequence[int],
    kinds: Sequence[str],
    start: datetime.date,
    end: datetime.date,
    group: Sequence[str],
    department_id: int | None = None,
    top: int | None = None,
    only: dict[str, Sequence[Any]] | None = None,
) -> list[Row]:
    """One row per value of ``group`` with the period's sums (see the module's text), in
    one query: the whole months' rows and the edges' ledger rows are added up by the
    database. With ``top``, only the ``top`` rows of the largest consumption (the most
    negative amount first, then by the group's values as the database orders them);
    ``only`` keeps the rows whose columns take the values given (``None``: no department
    or person)."""
    only = dict(only or {})
    if any(not values for values in only.values()):
        return []
    months, edges = split(start, end)
    inner = tuple(group) or ("school_id",)  # the parts group by something
    parts: list[QuerySet[Any]] = []
    if months is not None:
        parts.append(_from_months(school_ids, kinds, months, inner, department_id, only))
    parts += [_from_ledger(school_ids, kinds, days, inner, department_id, only) for days in edges]
    compiled = [part.query.sql_with_params() for part in parts]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f"g_{n}") for n in group)
    selected = f"{columns}, " if group else ""
    sql = (
        f"SELECT {selected}SUM({quote('amount')}), SUM({quote('quantity')}), "  # noqa: S608
        f"SUM({quote('count')}) FROM ("
        + " UNION ALL ".join(part_sql for part_sql, _params in compiled)
        + f") {quote('parts')}"
    )
    if group:
        sql += f" GROUP BY {columns}"
    if top:
        sql += f" ORDER BY ROUND(SUM({quote('amount')}), 2), {columns or '1'} LIMIT {int(top)}"
    params = [value for _sql, part_params in compiled for value in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = []
    for values in found:
        *keys, amount, quantity, count = values
        if not group and amount is None and not count:
            continue
        row: Row = dict(zip(group, keys, strict=True))
        row["amount"] = _number(amount, CENT)
        row["quantity"] = _number(quantity, MILLI)
        row["count"] = int(count or 0)
        rows.append(row)
    return rows
