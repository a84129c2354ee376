"""Consumption figures (耗材消耗): per department, person, item, month and school, with the
same period of the previous school year, all summed in SQL over the stock ledger.

Consumption is what left the store for use (kinds ``issue``, ``print``, ``repair``) less what
requisitions brought back (``return``); amounts are the ledger's values at average cost.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db.models import Count, Q, QuerySet, Sum
from django.http import FileResponse
from django.utils.translation import gettext as _

from houqin.core.dbfunctions import LocalMonth

from .choices import CONSUMPTION, MovementKind
from .models import StockMovement
from .services.quotas import period_bounds

#: Kinds summed as consumption: out for use, less what came back on a requisition.
CONSUMED = (*CONSUMPTION, MovementKind.RETURN)
ZERO = Decimal("0")


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


def movements(scope: ConsumptionScope, previous: bool = False) -> QuerySet[StockMovement]:
    start, end = (
        (scope.previous_start, scope.previous_end) if previous else (scope.start, scope.end)
    )
    since, until = period_bounds(start, end)
    kinds: tuple[str, ...] = CONSUMED
    if scope.kind == MovementKind.ISSUE:  # requisitions: issued less brought back
        kinds = (MovementKind.ISSUE, MovementKind.RETURN)
    elif scope.kind:
        kinds = (scope.kind,)
    queryset = StockMovement.objects.filter(
        school_id__in=scope.school_ids, kind__in=kinds, at__gte=since, at__lt=until
    )
    if scope.department_id is not None:
        queryset = queryset.filter(department_id=scope.department_id)
    return queryset.order_by()


def _figures() -> dict[str, Any]:
    return {
        "amount": Sum("amount"),
        "quantity": Sum("quantity"),
        "count": Count("pk", filter=~Q(kind=MovementKind.RETURN)),
    }


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


def totals(scope: ConsumptionScope) -> dict[str, Any]:
    now = _positive(movements(scope).aggregate(**_figures()))
    before = _positive(movements(scope, previous=True).aggregate(**_figures()))
    return {
        "amount": now["amount"],
        "count": now["count"],
        "previous": before["amount"],
        "change": change(now["amount"], before["amount"]),
    }


def _compare(
    scope: ConsumptionScope, key: str, label: str, limit: int | None = None
) -> list[dict[str, Any]]:
    now = [
        _positive(row)
        for row in movements(scope)
        .values(key, label)
        .annotate(**_figures())
        .order_by("amount", key)
    ]
    before = {
        row[key]: -(row["amount"] or ZERO)
        for row in movements(scope, previous=True).values(key).annotate(amount=Sum("amount"))
    }
    rows = []
    for row in now[:limit] if limit else now:
        previous = before.get(row[key], ZERO)
        rows.append(
            {
                "id": row[key],
                "label": row[label] or "—",
                "amount": row["amount"],
                "quantity": row["quantity"],
                "count": row["count"],
                "previous": previous,
                "change": change(row["amount"], previous),
            }
        )
    return rows


def by_department(scope: ConsumptionScope) -> list[dict[str, Any]]:
    return _compare(scope, "department_id", "department__name")


def by_person(scope: ConsumptionScope, limit: int = 30) -> list[dict[str, Any]]:
    return _compare(scope, "person_id", "person__real_name", limit)


def by_school(scope: ConsumptionScope) -> list[dict[str, Any]]:
    return _compare(scope, "school_id", "school__name")


def top_items(scope: ConsumptionScope, limit: int = 20) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in movements(scope)
        .values("item_id", "item__name", "item__specification", "item__unit")
        .annotate(**_figures())
        .order_by("amount", "item_id")[:limit]
    ]
    return [
        {
            "id": row["item_id"],
            "label": row["item__name"]
            + (f"（{row['item__specification']}）" if row["item__specification"] else ""),
            "unit": row["item__unit"],
            **{k: v for k, v in _positive(dict(row)).items() if k in ("amount", "quantity")},
            "count": row["count"],
        }
        for row in rows
    ]


def _month_keys(start: datetime.date, end: datetime.date) -> list[str]:
    keys: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and len(keys) < 36:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def monthly(scope: ConsumptionScope) -> dict[str, list[Any]]:
    """This period's months with their amounts, and the same months a year earlier."""

    def sums(previous: bool) -> dict[str, Decimal]:
        return {
            row["month"]: -(row["amount"] or ZERO)
            for row in movements(scope, previous)
            .annotate(month=LocalMonth("at"))
            .values("month")
            .annotate(amount=Sum("amount"))
        }

    months = _month_keys(scope.start, scope.end)
    earlier = _month_keys(scope.previous_start, scope.previous_end)
    now, before = sums(False), sums(True)
    return {
        "months": months,
        "amount": [now.get(m, ZERO) for m in months],
        "previous": [
            before.get(earlier[n], ZERO) if n < len(earlier) else ZERO for n in range(len(months))
        ],
    }


def figures(scope: ConsumptionScope, schools: bool = False) -> dict[str, Any]:
    result = {
        "totals": totals(scope),
        "departments": by_department(scope),
        "people": by_person(scope),
        "items": top_items(scope),
        "months": monthly(scope),
    }
    result["schools"] = by_school(scope) if schools else []
    return result


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
