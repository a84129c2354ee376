"""Damage statistics: by building, class, item type and month, aggregated in SQL."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.dbfunctions import LocalMonth

from .choices import DamageStatus

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str | Promise


DIMENSIONS = (
    Dimension("building", gettext_lazy("By building")),
    Dimension("class", gettext_lazy("By class")),
    Dimension("item", gettext_lazy("By item type")),
    Dimension("month", gettext_lazy("By month")),
)


def _key(code: str) -> Any:
    none = Value(str(_("Not given")))
    if code == "building":
        return Coalesce(F("room__building__name"), none)
    if code == "class":
        return Coalesce(NullIf(F("student_class"), Value("")), none)
    if code == "item":
        return Coalesce(
            F("price_item__name"),
            F("asset__category__name"),
            NullIf(F("item_name"), Value("")),
            none,
        )
    return LocalMonth("occurred_at")


def _amounts() -> dict[str, Any]:
    reduced = Q(proposed_amount__isnull=False) & ~Q(status=DamageStatus.WAIVER_PENDING)
    return {
        "reports": Count("pk"),
        "assessed": Coalesce(Sum("assessed_amount"), ZERO),
        "collected": Coalesce(Sum("paid_amount"), ZERO),
        "waived": Coalesce(
            Sum(F("assessed_amount") - F("proposed_amount"), filter=reduced, output_field=MONEY),
            ZERO,
        ),
    }


def damage_totals(queryset: QuerySet[Any]) -> dict[str, Any]:
    return queryset.order_by().aggregate(**_amounts())


def damage_breakdown(queryset: QuerySet[Any], code: str, limit: int = 100) -> list[dict[str, Any]]:
    """One row per building / class / item type / month: reports, assessed, collected, waived."""
    rows = (
        queryset.order_by()
        .annotate(key=_key(code))
        .values("key")
        .annotate(**_amounts())
        .order_by("-key" if code == "month" else "-reports", "key")[:limit]
    )
    return [dict(row) for row in rows]


def damage_years(queryset: QuerySet[Any]) -> list[int]:
    """The local years with damage reports, latest first (from the distinct local months,
    which the database computes natively)."""
    months = queryset.order_by().annotate(month=LocalMonth("occurred_at"))
    found = months.values_list("month", flat=True).distinct()
    return sorted({int(month[:4]) for month in found}, reverse=True)


def damage_statistics(queryset: QuerySet[Any]) -> dict[str, Any]:
    return {
        "totals": damage_totals(queryset),
        "tables": [
            {"code": d.code, "label": d.label, "rows": damage_breakdown(queryset, d.code)}
            for d in DIMENSIONS
        ],
    }


def statistics_xlsx(title: str, statistics: dict[str, Any]) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    headers = [
        "",
        _("Reports"),
        _("Assessed (yuan)"),
        _("Collected (yuan)"),
        _("Waived (yuan)"),
    ]
    for table in statistics["tables"]:
        sheet = book.add_worksheet(str(table["label"])[:31])
        for col, header in enumerate(headers):
            sheet.write_string(0, col, str(header), bold)
            sheet.set_column(col, col, 18)
        for row_no, row in enumerate(table["rows"], start=1):
            sheet.write_string(row_no, 0, str(row["key"]))
            sheet.write_number(row_no, 1, row["reports"])
            for col, name in enumerate(("assessed", "collected", "waived"), start=2):
                sheet.write_number(row_no, col, float(row[name]), money)
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{title}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
