"""Consumption figures (耗材消耗): per month, school, department, person and item, with the
same period of the previous school year, each grouped (and ranked) by the database over the
monthly consumption tables and the ledger days at a period's edges.

Several schools (the district) are compared school by school; one school's view (chosen
from the district's) shows its departments. People and items are ranked in SQL: only the
few shown are read.

Consumption is what left the store for use (kinds ``issue``, ``print``, ``repair``) less what
requisitions brought back (``return``); amounts are the ledger's values at average cost.
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.org.models import Department, School

from .choices import CONSUMPTION, MovementKind
from .consumption import summed
from .models import StockItem, StockMovement

#: Kinds summed as consumption: out for use, less what came back on a requisition.
CONSUMED = (*CONSUMPTION, MovementKind.RETURN)
ZERO = Decimal("0")
#: How long the figures of a period that ended before today are kept.
CACHE_SECONDS = 600
Row = dict[str, Any]


@dataclass(frozen=True)
class ConsumptionScope:
    school_ids: tuple[int, ...]
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    previous_end: datetime.date
    department_id: int | None = None
    kind: str = ""


def shift_year(day: datetime.date, years: int = -1) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def kinds(scope: ConsumptionScope) -> tuple[str, ...]:
    if scope.kind == MovementKind.ISSUE:  # requisitions: issued less brought back
        return (MovementKind.ISSUE, MovementKind.RETURN)
    if scope.kind:
        return (scope.kind,)
    return CONSUMED


def _period(scope: ConsumptionScope, previous: bool) -> tuple[datetime.date, datetime.date]:
    return (scope.previous_start, scope.previous_end) if previous else (scope.start, scope.end)


def _summed(
    scope: ConsumptionScope,
    group: tuple[str, ...],
    previous: bool = False,
    top: int | None = None,
    only: dict[str, Any] | None = None,
) -> list[Row]:
    return summed(
        scope.school_ids,
        kinds(scope),
        *_period(scope, previous),
        group,
        scope.department_id,
        top,
        only,
    )


def _positive(row: dict[str, Any]) -> dict[str, Any]:
    """Ledger amounts out of the store are negative: consumption is shown positive."""
    row["amount"] = -(row.get("amount") or ZERO)
    row["quantity"] = -(row.get("quantity") or ZERO)
    return row


def change(now: Decimal, before: Decimal) -> float | None:
    """Year-on-year change in per cent, or None when there is nothing to compare with."""
    if not before:
        return None
    return round(float((now - before) / before * 100), 1)


def by_months(scope: ConsumptionScope, previous: bool = False) -> list[Row]:
    """The period's sums per local month (totals and the trend add these up)."""
    return _summed(scope, ("month",), previous)


def schools_summed(scope: ConsumptionScope, previous: bool = False) -> list[Row]:
    return _summed(scope, ("school_id",), previous)


def departments_summed(scope: ConsumptionScope, previous: bool = False) -> list[Row]:
    return _summed(scope, ("department_id",), previous)


def people(scope: ConsumptionScope, limit: int = 30) -> list[Row]:
    """The ``limit`` people who consumed the most in the period."""
    return _summed(scope, ("person_id",), top=limit)


def people_before(scope: ConsumptionScope, ids: list[Any]) -> list[Row]:
    """The previous period's sums of the people ``ids`` (``None``: no person)."""
    return _summed(scope, ("person_id",), previous=True, only={"person_id": ids})


def _add(rows: list[Row], key: str) -> dict[Any, Row]:
    """Raw (negative) ledger sums of ``rows`` per ``key``."""
    found: dict[Any, Row] = {}
    for row in rows:
        sums = found.setdefault(row[key], {"amount": ZERO, "quantity": ZERO, "count": 0})
        sums["amount"] += row["amount"] or ZERO
        sums["quantity"] += row["quantity"] or ZERO
        sums["count"] += row["count"] or 0
    return found


def _order(sums: dict[Any, Row]) -> list[Any]:
    """Keys by raw amount (the largest consumption first) and then by key, with no key where
    the database puts NULL (first on SQLite, last on PostgreSQL), as ``ORDER BY`` did."""
    nulls_last = connection.vendor == "postgresql"

    def rank(key: Any) -> tuple[Any, ...]:
        return (sums[key]["amount"], (key is None) == nulls_last, key or 0)

    return sorted(sums, key=rank)


def totals(now: list[Row], before: list[Row]) -> dict[str, Any]:
    amount = -sum((row["amount"] or ZERO for row in now), ZERO)
    previous = -sum((row["amount"] or ZERO for row in before), ZERO)
    return {
        "amount": amount,
        "count": sum(row["count"] or 0 for row in now),
        "previous": previous,
        "change": change(amount, previous),
    }


def _compare(
    now: list[Row], before: list[Row], key: str, labels: Any, limit: int | None = None
) -> list[Row]:
    """Rows per ``key`` with the previous period's amount; ``labels(ids)`` names them."""
    sums = _add(now, key)
    earlier = _add(before, key)
    keys = _order(sums)
    if limit:
        keys = keys[:limit]
    names = labels([k for k in keys if k is not None]) if keys else {}
    rows = []
    for k in keys:
        amount = -sums[k]["amount"]
        previous = -earlier[k]["amount"] if k in earlier else ZERO
        rows.append(
            {
                "id": k,
                "label": names.get(k) or "—",
                "amount": amount,
                "quantity": -sums[k]["quantity"],
                "count": sums[k]["count"],
                "previous": previous,
                "change": change(amount, previous),
            }
        )
    return rows


def _departments(ids: list[int]) -> dict[int, str]:
    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))


def _people(ids: list[int]) -> dict[int, str]:
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "real_name"))


def _schools(ids: list[int]) -> dict[int, str]:
    return dict(School.objects.filter(pk__in=ids).values_list("pk", "name"))


def by_department(now: list[Row], before: list[Row]) -> list[Row]:
    return _compare(now, before, "department_id", _departments)


def by_person(now: list[Row], before: list[Row], limit: int = 30) -> list[Row]:
    return _compare(now, before, "person_id", _people, limit)


def by_school(now: list[Row], before: list[Row]) -> list[Row]:
    return _compare(now, before, "school_id", _schools)


def top_items(scope: ConsumptionScope, limit: int = 20) -> list[Row]:
    """The items most consumed: ranked by the database, then the few named."""
    rows = _summed(scope, ("item_id",), top=limit)
    if not rows:
        return []
    items = {
        item["pk"]: item
        for item in StockItem.objects.filter(pk__in=[row["item_id"] for row in rows]).values(
            "pk", "name", "specification", "unit"
        )
    }
    result = []
    for row in rows:
        item = items[row["item_id"]]
        result.append(
            {
                "id": row["item_id"],
                "label": item["name"]
                + (f"（{item['specification']}）" if item["specification"] else ""),
                "unit": item["unit"],
                **{k: v for k, v in _positive(dict(row)).items() if k in ("amount", "quantity")},
                "count": row["count"],
            }
        )
    return result


def _month_keys(start: datetime.date, end: datetime.date) -> list[str]:
    keys: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and len(keys) < 36:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def monthly(scope: ConsumptionScope, now: list[Row], before: list[Row]) -> dict[str, list[Any]]:
    """This period's months with their amounts, and the same months a year earlier."""
    months = _month_keys(scope.start, scope.end)
    earlier = _month_keys(scope.previous_start, scope.previous_end)
    these = {month: -sums["amount"] for month, sums in _add(now, "month").items()}
    those = {month: -sums["amount"] for month, sums in _add(before, "month").items()}
    return {
        "months": months,
        "amount": [these.get(m, ZERO) for m in months],
        "previous": [
            those.get(earlier[n], ZERO) if n < len(earlier) else ZERO for n in range(len(months))
        ],
    }


def _cached(scope: ConsumptionScope, previous: bool, part: str, compute: Any) -> tuple[Any, Any]:
    """``compute()``, kept for ten minutes when the period ended before today (the current
    period stays live): ``(value, when it was computed or None when live)``. The key holds
    the newest ledger row, so a movement written since (even backdated) is not missed."""
    end = scope.previous_end if previous else scope.end
    if end >= timezone.localdate():
        return compute(), None
    start = scope.previous_start if previous else scope.start
    newest = StockMovement.objects.aggregate(newest=Max("pk"))["newest"]
    key = "inventory:consumption:{}:{}:{}:{}:{}:{}:{}:{}".format(
        part,
        ",".join(map(str, sorted(scope.school_ids))),
        start.isoformat(),
        end.isoformat(),
        scope.department_id or "",
        scope.kind,
        newest,
        connection.alias,
    )
    found: tuple[Any, Any] | None = cache.get(key)
    if found is None:
        found = (compute(), timezone.now())
        cache.set(key, found, CACHE_SECONDS)
    return found


def _key_part(name: str, ids: list[Any]) -> str:
    return f"{name}:" + hashlib.sha1(repr(ids).encode(), usedforsecurity=False).hexdigest()


def figures(scope: ConsumptionScope, schools: bool = False) -> dict[str, Any]:
    """Every figure of the report: sums per month for this period and the previous one
    (totals and the trend), per school for several schools or per department for one,
    the people and items consumed most (the people also in the previous period), and a
    few small look-ups of names. A period that ended before today is cached briefly;
    ``as_of`` is then the earliest moment its figures were computed."""
    stamps: list[Any] = []

    def kept(previous: bool, part: str, compute: Any) -> Any:
        value, at = _cached(scope, previous, part, compute)
        if at is not None:
            stamps.append(at)
        return value

    now = kept(False, "months", lambda: by_months(scope))
    before = kept(True, "months", lambda: by_months(scope, previous=True))
    compared: dict[str, list[Row]] = {"schools": [], "departments": []}
    if schools:
        compared["schools"] = by_school(
            kept(False, "schools", lambda: schools_summed(scope)),
            kept(True, "schools", lambda: schools_summed(scope, previous=True)),
        )
    else:
        compared["departments"] = by_department(
            kept(False, "departments", lambda: departments_summed(scope)),
            kept(True, "departments", lambda: departments_summed(scope, previous=True)),
        )
    who = kept(False, "people", lambda: people(scope))
    ids = [row["person_id"] for row in who]
    who_before = kept(True, _key_part("people", ids), lambda: people_before(scope, ids))
    items = kept(False, "items", lambda: top_items(scope))
    return {
        "totals": totals(now, before),
        **compared,
        "people": by_person(who, who_before),
        "items": items,
        "months": monthly(scope, now, before),
        "as_of": min(stamps) if stamps else None,
    }


def school_departments(scope: ConsumptionScope) -> list[Row]:
    """Every department of every school in the scope (the district's export), labelled
    with its school."""
    group = ("school_id", "department_id")
    now = _summed(scope, group)
    before = _summed(scope, group, previous=True)
    keyed = [{**row, "key": (row["school_id"], row["department_id"] or 0)} for row in now]
    earlier = [{**row, "key": (row["school_id"], row["department_id"] or 0)} for row in before]
    names = _schools(sorted({row["school_id"] for row in now}))

    def labels(keys: list[tuple[int, int]]) -> dict[Any, str]:
        departments = _departments([d for _s, d in keys if d])
        return {
            (school, department): f"{names.get(school, '')} · "
            + (departments.get(department, "") if department else "—")
            for school, department in keys
        }

    return _compare(keyed, earlier, "key", labels)


def export_response(found: dict[str, Any], title: str, period: str) -> FileResponse:
    """Every table of the report in one workbook, one sheet each."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})

    def sheet(name: str, headers: list[str], rows: list[list[Any]]) -> None:
        ws = book.add_worksheet(name[:31])
        ws.write_string(0, 0, f"{title} · {period}", bold)
        for col, header in enumerate(headers):
            ws.write_string(1, col, header, bold)
            ws.set_column(col, col, 16)
        for r, row in enumerate(rows, start=2):
            for col, value in enumerate(row):
                if isinstance(value, Decimal):
                    ws.write_number(r, col, float(value), money)
                elif isinstance(value, int | float):
                    ws.write_number(r, col, value)
                else:
                    ws.write_string(r, col, "" if value is None else str(value))

    compare = [
        _("Amount (yuan)"),
        _("Quantity"),
        _("Times"),
        _("Previous year (yuan)"),
        _("Change (%)"),
    ]

    def compared(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [
            [r["label"], r["amount"], r["quantity"], r["count"], r["previous"], r["change"]]
            for r in rows
        ]

    sheet(_("Departments"), [_("Department"), *compare], compared(found["departments"]))
    sheet(_("People"), [_("Person"), *compare], compared(found["people"]))
    sheet(
        _("Items"),
        [_("Item"), _("Unit"), _("Quantity"), _("Amount (yuan)")],
        [[r["label"], r["unit"], r["quantity"], r["amount"]] for r in found["items"]],
    )
    months = found["months"]
    sheet(
        _("Months"),
        [_("Month"), _("Amount (yuan)"), _("Previous year (yuan)")],
        [[m, months["amount"][n], months["previous"][n]] for n, m in enumerate(months["months"])],
    )
    if found["schools"]:
        sheet(_("Schools"), [_("School"), *compare], compared(found["schools"]))
    book.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{title} {period}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
