"""Consumption sums over a period: whole months from the monthly tables, the days at the
period's edges from the ledger, merged into one row per group.

``summed(source, school_ids, kinds, start, end, group)`` gives the same rows an aggregate
over the ledger rows of ``[start, end]`` would: ``group`` names any of ``school_id``,
``department_id``, ``person_id``, ``item_id`` and ``month`` (``YYYY-MM``); each row carries
``amount``, ``quantity`` (the ledger's signs: consumption is negative) and ``count`` (the
movements that are not returns). No department or person is ``None``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
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


def _from_months(
    school_ids: Sequence[int],
    kinds: Sequence[str],
    months: tuple[datetime.date, datetime.date],
    group: Sequence[str],
    department_id: int | None,
) -> QuerySet[Any]:
    model = _table(group)
    queryset = model.objects.filter(
        school_id__in=list(school_ids), kind__in=list(kinds), month__range=months
    )
    if department_id is not None:
        queryset = queryset.filter(department_key=department_id)
    names = {name: F(TABLE_COLUMNS.get(name, name)) for name in group}
    rows: QuerySet[Any] = (
        queryset.order_by()
        .annotate(**{f"g_{n}": expression for n, expression in names.items()})
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
) -> QuerySet[Any]:
    names = {name: LocalMonth("at") if name == "month" else F(name) for name in group}
    rows: QuerySet[Any] = (
        ledger(school_ids, kinds, *days, department_id=department_id)
        .annotate(**{f"g_{n}": expression for n, expression in names.items()})
        .values(*[f"g_{n}" for n in group])
        .annotate(
            amount=Sum("amount"),
            quantity=Sum("quantity"),
            count=Count("pk", filter=~Q(kind=MovementKind.RETURN)),
        )
    )
    return rows


def _key(value: Any, name: str) -> Any:
    if name == "month" and isinstance(value, datetime.date):
        return f"{value.year:04d}-{value.month:02d}"
    if name in TABLE_COLUMNS and value == 0:
        return None
    return value


def summed(
    school_ids: Sequence[int],
    kinds: Sequence[str],
    start: datetime.date,
    end: datetime.date,
    group: Sequence[str],
    department_id: int | None = None,
    top: int | None = None,
) -> list[Row]:
    """One row per value of ``group`` with the period's sums (see the module's text); with
    ``top``, at least the ``top`` rows of the largest consumption (all when the period has
    edges to add)."""
    months, edges = split(start, end)
    parts: list[Any] = []
    if months is not None:
        whole = _from_months(school_ids, kinds, months, group, department_id)
        if top and not edges:
            whole = whole.order_by("amount", *[f"g_{n}" for n in group])[:top]
        parts.append(whole)
    parts += [_from_ledger(school_ids, kinds, days, group, department_id) for days in edges]
    found: dict[tuple[Any, ...], Row] = {}
    for part in parts:
        for row in part:
            key = tuple(_key(row[f"g_{n}"], n) for n in group)
            sums = found.get(key)
            if sums is None:
                found[key] = sums = {
                    **dict(zip(group, key, strict=True)),
                    "amount": ZERO,
                    "quantity": ZERO,
                    "count": 0,
                }
            sums["amount"] += row["amount"] or ZERO
            sums["quantity"] += row["quantity"] or ZERO
            sums["count"] += row["count"] or 0
    for sums in found.values():  # SQLite adds decimals as floats (12.3000000001)
        sums["amount"] = Decimal(sums["amount"]).quantize(CENT)
        sums["quantity"] = Decimal(sums["quantity"]).quantize(MILLI)
    return list(found.values())
