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
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import NullIf

from houqin.core.dbfunctions import LocalMonth, literal_in
from houqin.core.monthsums import MonthText, bounds, number, split, union_sums

from .choices import MovementKind
from .models import DepartmentConsumption, ItemConsumption, PersonConsumption, StockMovement

ZERO = Decimal("0")
CENT, MILLI = Decimal("0.01"), Decimal("0.001")
KIND = '"inventory_stockmovement"."kind"'
Row = dict[str, Any]
#: The monthly table that holds each group column (the smallest one that can).
TABLE_COLUMNS = {"department_id": "department_key", "person_id": "person_key"}


def _table(group: Sequence[str]) -> Any:
    if "item_id" in group:
        return ItemConsumption
    if "person_id" in group:
        return PersonConsumption
    return DepartmentConsumption


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
    since, until = bounds(start, end)
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
    quote = connection.ops.quote_name
    order = ""
    if top:
        columns = ", ".join(quote(f"g_{n}") for n in group)
        order = f"ROUND(SUM({quote('amount')}), 2), {columns or '1'}"
    found = union_sums(parts, group, ("amount", "quantity", "count"), order, top)
    rows = []
    for values in found:
        *keys, amount, quantity, count = values
        if not group and amount is None and not count:
            continue
        row: Row = dict(zip(group, keys, strict=True))
        row["amount"] = number(amount, CENT)
        row["quantity"] = number(quantity, MILLI)
        row["count"] = int(count or 0)
        rows.append(row)
    return rows
