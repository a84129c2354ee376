"""The depreciation report of any month (折旧明细): by category and by department, in SQL.

The figures follow from the cards with the posting's own formula, so any month can be shown,
posted or not: the cards on the register at the end of that month (bought by then, and not
disposed of before it ended), their original value, the depreciation of the month, the
accumulated depreciation at its end and the net value.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import INACTIVE_STATUSES, CategoryLevel
from .models import Asset, AssetCategory, period_label
from .services.depreciation import accumulated_cents_at, cents_of, yuan

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: str | None) -> int | None:
    """``2026-10`` -> its period, or ``None`` when the text is not a month."""
    found = MONTH.match((value or "").strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not (1990 <= year <= 2200 and 1 <= month <= 12):
        return None
    return year * 12 + month - 1


def first_day_after(period: int) -> datetime.date:
    following = period + 1
    return datetime.date(following // 12, following % 12 + 1, 1)


@dataclass
class Row:
    label: str
    kind: str  # "top", "major", "department" or "total"
    count: int = 0
    original: Decimal = Decimal("0.00")
    amount: Decimal = Decimal("0.00")
    accumulated: Decimal = Decimal("0.00")

    @property
    def net(self) -> Decimal:
        return self.original - self.accumulated

    def add(self, other: Row) -> None:
        self.count += other.count
        self.original += other.original
        self.amount += other.amount
        self.accumulated += other.accumulated


@dataclass
class Report:
    school: Any
    period: int
    by_category: list[Row]
    by_department: list[Row]
    total: Row

    @property
    def label(self) -> str:
        return period_label(self.period)


def on_register(school_id: int, period: int) -> QuerySet[Any]:
    """Depreciable cards on the register at the end of ``period``."""
    still_there = ~Q(status__in=INACTIVE_STATUSES) | Q(disposed_at__gte=first_day_after(period))
    cards: QuerySet[Any] = (
        Asset.objects.filter(
            still_there,
            school_id=school_id,
            depreciable=True,
            life_months__isnull=False,
            start_period__lte=period,
        )
        .order_by()
        .annotate(
            top_id=Case(
                When(category__level=CategoryLevel.MINOR, then=F("category__parent__parent_id")),
                When(category__level=CategoryLevel.MAJOR, then=F("category__parent_id")),
                default=F("category_id"),
                output_field=IntegerField(),
            ),
            major_id=Case(
                When(category__level=CategoryLevel.MINOR, then=F("category__parent_id")),
                default=F("category_id"),
                output_field=IntegerField(),
            ),
        )
    )
    return cards


def _sums(period: int) -> dict[str, Any]:
    return {
        "n": Count("id"),
        "original": Sum(cents_of()),
        "now": Sum(accumulated_cents_at(period)),
        "before": Sum(accumulated_cents_at(period - 1)),
    }


def _row(label: str, kind: str, values: Any) -> Row:
    now = values["now"] or 0
    return Row(
        label=label,
        kind=kind,
        count=values["n"],
        original=yuan(values["original"]),
        amount=yuan(now - (values["before"] or 0)),
        accumulated=yuan(now),
    )


def top_and_major(category: AssetCategory) -> tuple[AssetCategory, AssetCategory]:
    """The top and major category of a category (its parents loaded)."""
    if category.level == CategoryLevel.MINOR and category.parent and category.parent.parent:
        return category.parent.parent, category.parent
    if category.level == CategoryLevel.MAJOR and category.parent:
        return category.parent, category
    return category, category


def tree_rows(entries: list[tuple[AssetCategory, AssetCategory, Row]]) -> tuple[list[Row], Row]:
    """Figures of (top, major) categories as rows: each top category with its subtotal,
    followed by its major categories, in the order of the category tree; and the total."""

    def order(category: AssetCategory) -> tuple[int, str, str]:
        return (category.sort_order, category.code, category.name)

    total = Row(_("Total"), "total")
    heads: dict[int, Row] = {}
    majors: dict[int, dict[int, Row]] = {}
    known: dict[int, AssetCategory] = {}
    for top, major, figures in entries:
        known[top.pk], known[major.pk] = top, major
        heads.setdefault(top.pk, Row(str(top), "top")).add(figures)
        if major.pk != top.pk:
            majors.setdefault(top.pk, {}).setdefault(major.pk, Row(str(major), "major")).add(
                figures
            )
        total.add(figures)
    rows: list[Row] = []
    for top_pk in sorted(heads, key=lambda pk: order(known[pk])):
        rows.append(heads[top_pk])
        children = majors.get(top_pk, {})
        rows += [children[pk] for pk in sorted(children, key=lambda pk: order(known[pk]))]
    return rows, total


def depreciation_report(school: Any, period: int) -> Report:
    """The report of one month of one school: three queries whatever the register's size."""
    cards = on_register(school.pk, period)
    by_major = list(cards.values("top_id", "major_id").annotate(**_sums(period)))
    names = {
        c.pk: c
        for c in AssetCategory.objects.filter(
            pk__in={r["top_id"] for r in by_major} | {r["major_id"] for r in by_major}
        )
    }
    by_category, total = tree_rows(
        [(names[v["top_id"]], names[v["major_id"]], _row("", "major", v)) for v in by_major]
    )
    by_department = [
        _row(values["department__name"] or _("No department"), "department", values)
        for values in cards.values("department_id", "department__name")
        .annotate(**_sums(period))
        .order_by(F("department__name").asc(nulls_last=True))
    ]
    return Report(school, period, by_category, by_department, total)


def report_xlsx(report: Report) -> FileResponse:
    """The report as an Excel workbook (one sheet by category, one by department), streamed."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    title = _("Depreciation of %(month)s, %(school)s") % {
        "month": report.label,
        "school": report.school,
    }
    for sheet_name, first, rows in (
        (_("By category"), _("Category"), report.by_category),
        (_("By department"), _("Department"), report.by_department),
    ):
        sheet = book.add_worksheet(sheet_name[:31])
        sheet.write_string(0, 0, title, bold)
        header = [
            first,
            _("Assets"),
            _("Original value (yuan)"),
            _("Depreciation of the month (yuan)"),
            _("Accumulated depreciation (yuan)"),
            _("Net value (yuan)"),
        ]
        sheet.write_row(2, 0, header, bold)
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, 5, 18)
        for row_no, row in enumerate([*rows, report.total], start=3):
            strong = row.kind in ("top", "total")
            label = row.label if row.kind != "major" else f"    {row.label}"
            sheet.write_string(row_no, 0, label, bold if strong else None)
            sheet.write_number(row_no, 1, row.count, bold if strong else None)
            for col, value in enumerate(
                (row.original, row.amount, row.accumulated, row.net), start=2
            ):
                sheet.write_number(row_no, col, float(value), money_bold if strong else money)
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename="{}-{}-{}.xlsx".format(_("Depreciation"), report.label, stamp),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
