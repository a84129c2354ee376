"""Budget execution figures (预算执行): budget, committed, spent and available of a school
year by school, department and category, and the spending of each month, all in SQL; plus
the Excel export of the same tables.

A school year is named by the calendar year it starts in, so one report can compare the
schools of a district whose school years carry their own names.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db.models import Case, DecimalField, F, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.dbfunctions import LocalMonth
from houqin.org.models import SchoolYear

from .models import BudgetEntry, BudgetEntryKind, BudgetLine, ExpenseCategory

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
Row = dict[str, Any]


@dataclass(frozen=True)
class ReportScope:
    school_ids: tuple[int, ...]
    start_year: int

    @property
    def first_month(self) -> datetime.date:
        return datetime.date(self.start_year, 9, 1)


def year_choices(school_ids: list[int] | tuple[int, ...]) -> list[tuple[int, str]]:
    """(start year, label) of the school years of these schools, the latest first; one school's
    own names, else "2025–2026"."""
    rows = (
        SchoolYear.objects.filter(school_id__in=school_ids)
        .annotate(first=ExtractYear("start"))
        .values_list("first", "name")
        .order_by("-first", "name")
    )
    found: dict[int, str] = {}
    for first, name in rows:
        if first not in found:
            found[first] = name if len(school_ids) == 1 else f"{first}–{first + 1}"
    return list(found.items())


def current_start_year(today: datetime.date, choices: list[tuple[int, str]]) -> int:
    """The school year containing today (1 September – 31 August), else the latest listed."""
    start = today.year if today.month >= 9 else today.year - 1
    listed = [year for year, _label in choices]
    if not listed or start in listed:
        return start
    earlier = [year for year in listed if year <= start]
    return max(earlier) if earlier else listed[-1]


def lines(scope: ReportScope) -> QuerySet[Any]:
    return BudgetLine.objects.filter(
        school_id__in=scope.school_ids, school_year__start__year=scope.start_year
    )


def _sums(queryset: QuerySet[Any]) -> QuerySet[Any]:
    summed: QuerySet[Any] = queryset.annotate(
        amount_sum=Coalesce(Sum("amount"), ZERO),
        committed_sum=Coalesce(Sum("committed"), ZERO),
        spent_sum=Coalesce(Sum("spent"), ZERO),
    )
    return summed


def _finish(row: Row, label: str) -> Row:
    amount, committed, spent = row["amount_sum"], row["committed_sum"], row["spent_sum"]
    return {
        "label": label,
        "amount": amount,
        "committed": committed,
        "spent": spent,
        "available": amount - committed - spent,
        "executed": percent(spent, amount),
        "used": percent(committed + spent, amount),
    }


def percent(part: Decimal, whole: Decimal) -> float | None:
    if not whole:
        return None
    return float(round(part * 100 / whole, 1))


def totals(scope: ReportScope) -> Row:
    sums = lines(scope).aggregate(
        amount_sum=Coalesce(Sum("amount"), ZERO),
        committed_sum=Coalesce(Sum("committed"), ZERO),
        spent_sum=Coalesce(Sum("spent"), ZERO),
    )
    return _finish(sums, _("Total"))


def by_school(scope: ReportScope) -> list[Row]:
    rows = _sums(lines(scope).values("school_id", "school__name")).order_by("school__name")
    return [{**_finish(row, row["school__name"]), "id": row["school_id"]} for row in rows]


def by_department(scope: ReportScope, limit: int | None = None) -> list[Row]:
    """Per department, in each school's order; with ``limit``, only the departments of the
    largest budgets (the database ranks them)."""
    rows = _sums(
        lines(scope).values(
            "school__name", "department_id", "department__name", "department__sort_order"
        )
    )
    order = ("school__name", "department__sort_order", "department__name", "department_id")
    rows = rows.order_by("-amount_sum", *order)[:limit] if limit else rows.order_by(*order)
    many = len(scope.school_ids) > 1
    return [
        _finish(
            row,
            f"{row['school__name']} · {row['department__name']}"
            if many
            else row["department__name"],
        )
        for row in rows
    ]


def by_category(scope: ReportScope) -> list[Row]:
    labels = dict(ExpenseCategory.choices)
    order = {code: index for index, code in enumerate(labels)}
    rows = list(_sums(lines(scope).values("category")).order_by())
    rows.sort(key=lambda row: order.get(row["category"], len(order)))
    return [_finish(row, str(labels.get(row["category"], row["category"]))) for row in rows]


def by_month(scope: ReportScope) -> list[Row]:
    """Spending (spent minus reversed) of each month of the school year, with the running
    total; months after the school year that still saw spending are added at the end."""
    net = Sum(
        Case(
            When(kind=BudgetEntryKind.REFUND, then=-F("amount")),
            default=F("amount"),
            output_field=MONEY,
        )
    )
    rows = (
        BudgetEntry.objects.filter(
            line__in=lines(scope).values("pk"),
            kind__in=[BudgetEntryKind.SPEND, BudgetEntryKind.REFUND],
        )
        .annotate(month=LocalMonth("at"))
        .values("month")
        .annotate(net=net)
        .order_by("month")
    )
    spent = {row["month"]: row["net"] or Decimal("0") for row in rows}
    months = [_month(scope.first_month, offset) for offset in range(12)]
    months += sorted(m for m in spent if m not in months)
    result, running = [], Decimal("0")
    for month in months:
        value = spent.get(month, Decimal("0"))
        running += value
        result.append({"month": month, "spent": value, "cumulative": running})
    return result


def _month(first: datetime.date, offset: int) -> str:
    index = first.month - 1 + offset
    return f"{first.year + index // 12:04d}-{index % 12 + 1:02d}"


def figures(scope: ReportScope, departments: int | None = None) -> dict[str, Any]:
    """Every table of the report; with ``departments``, only that many departments (the
    largest budgets: a district's page; its export lists them all)."""
    return {
        "totals": totals(scope),
        "schools": by_school(scope) if len(scope.school_ids) > 1 else [],
        "departments": by_department(scope, departments),
        "categories": by_category(scope),
        "months": by_month(scope),
    }


def chart_data(found: dict[str, Any]) -> dict[str, Any]:
    """What finance-budgets.js draws, with translated labels."""
    departments = found["departments"][:15]
    this_month = timezone.localdate().strftime("%Y-%m")
    return {
        "labels": {
            "spent": _("Spent"),
            "cumulative": _("Spent so far"),
            "budget": _("Budget"),
            "committed": _("Committed"),
            "noData": _("No spending in this school year yet"),
        },
        "budget": float(found["totals"]["amount"]),
        "months": {
            "x": [row["month"] for row in found["months"]],
            "spent": [float(row["spent"]) for row in found["months"]],
            # the running total stops at this month: the future is not spent yet
            "cumulative": [
                float(row["cumulative"]) if row["month"] <= this_month else None
                for row in found["months"]
            ],
        },
        "departments": {
            "x": [row["label"] for row in departments],
            "budget": [float(row["amount"]) for row in departments],
            "committed": [float(row["committed"]) for row in departments],
            "spent": [float(row["spent"]) for row in departments],
        },
    }


# Excel ----------------------------------------------------------------------------------------


def _money_headers(first: str) -> list[str]:
    return [
        first,
        _("Budget (yuan)"),
        _("Committed (yuan)"),
        _("Spent (yuan)"),
        _("Available (yuan)"),
        _("Executed (%)"),
    ]


def _money_rows(rows: list[Row]) -> list[list[Any]]:
    return [
        [r["label"], r["amount"], r["committed"], r["spent"], r["available"], r["executed"]]
        for r in rows
    ]


Sheet = tuple[str, Callable[[], list[str]], Callable[[dict[str, Any]], list[list[Any]]]]
SHEETS: list[Sheet] = [
    (
        "schools",
        lambda: _money_headers(_("School")),
        lambda f: _money_rows(f["schools"] + [f["totals"]]),
    ),
    (
        "departments",
        lambda: _money_headers(_("Department")),
        lambda f: _money_rows(f["departments"] + [f["totals"]]),
    ),
    (
        "categories",
        lambda: _money_headers(_("Category")),
        lambda f: _money_rows(f["categories"] + [f["totals"]]),
    ),
    (
        "months",
        lambda: [_("Month"), _("Spent (yuan)"), _("Spent so far (yuan)")],
        lambda f: [[r["month"], r["spent"], r["cumulative"]] for r in f["months"]],
    ),
]


def sheet_title(code: str) -> str:
    return {
        "schools": _("By school"),
        "departments": _("By department"),
        "categories": _("By category"),
        "months": _("By month"),
    }[code]


def export_response(found: dict[str, Any], period: str) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    for code, headers, rows in SHEETS:
        if code == "schools" and not found["schools"]:
            continue
        sheet = book.add_worksheet(sheet_title(code)[:31])
        for col, header in enumerate(headers()):
            sheet.write_string(0, col, header, bold)
            sheet.set_column(col, col, 16 if col else 28)
        for row_no, values in enumerate(rows(found), start=1):
            for col, value in enumerate(values):
                if value is None:
                    sheet.write_blank(row_no, col, None)
                elif isinstance(value, Decimal):
                    sheet.write_number(row_no, col, float(value), money)
                elif isinstance(value, int | float):
                    sheet.write_number(row_no, col, value)
                else:
                    sheet.write_string(row_no, col, str(value))
    title = _("Budget execution")
    book.set_properties({"title": str(title), "comments": period})
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{title}-{period}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
