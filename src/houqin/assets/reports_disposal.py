"""The yearly disposal report: by category and by method, with the disposals of the year.

Counted are disposals completed in the year (the date the assets left the register). Every
figure is summed in SQL; the proceeds of a disposal are shared among its categories in
proportion to their original value.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db.models import (
    Case,
    Count,
    DecimalField,
    FloatField,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.views import ScopedViewMixin

from .choices import DisposalMethod, RequestStatus
from .models import AssetDisposal, AssetDisposalLine

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass
class Row:
    label: str
    assets: int = 0
    quantity: int = 0
    original: Decimal = ZERO
    net: Decimal = ZERO
    proceeds: Decimal = ZERO
    key: Any = None  # the category id or the method code


@dataclass
class Report:
    year: int
    by_category: list[Row] = field(default_factory=list)
    by_method: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row(""))
    disposals: list[AssetDisposal] = field(default_factory=list)


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def completed_in(disposals: QuerySet[AssetDisposal], year: int) -> QuerySet[AssetDisposal]:
    return disposals.filter(status=RequestStatus.COMPLETED, completed_at__year=year)


def disposal_report(disposals: QuerySet[AssetDisposal], year: int) -> Report:
    """``disposals``: already narrowed to what the user may see (and the active school)."""
    done = completed_in(disposals, year)
    # Any: the type plugin cannot follow annotations passed as **figures.
    lines: Any = AssetDisposalLine.objects.filter(disposal__in=done.values("pk"))
    # In floating point: SQLite would divide whole-yuan amounts as integers.
    share = Case(
        When(disposal__total_value=0, then=Value(0.0)),
        default=Cast("disposal__proceeds", FloatField())
        * Cast("original_value", FloatField())
        / Cast("disposal__total_value", FloatField()),
        output_field=FloatField(),
    )
    figures = {
        "assets": Count("pk"),
        "quantity": Coalesce(Sum("asset__quantity"), 0),
        "original": Coalesce(Sum("original_value"), Value(ZERO), output_field=MONEY),
        "net": Coalesce(Sum("net_value"), Value(ZERO), output_field=MONEY),
    }
    report = Report(year=year)
    for row in (
        lines.values("asset__category_id", "asset__category__name")
        .annotate(**figures, proceeds=Coalesce(Sum(share), Value(0.0)))
        .order_by("-original", "asset__category__name")
    ):
        report.by_category.append(
            Row(
                row["asset__category__name"],
                row["assets"],
                row["quantity"],
                _money(row["original"]),
                _money(row["net"]),
                _money(row["proceeds"]),
                row["asset__category_id"],
            )
        )
    proceeds_by_method = dict(
        done.values("method").annotate(p=Sum("proceeds")).values_list("method", "p")
    )
    labels = dict(DisposalMethod.choices)
    for row in lines.values("disposal__method").annotate(**figures).order_by("disposal__method"):
        method = row["disposal__method"]
        report.by_method.append(
            Row(
                str(labels.get(method, method)),
                row["assets"],
                row["quantity"],
                _money(row["original"]),
                _money(row["net"]),
                _money(proceeds_by_method.get(method)),
                method,
            )
        )
    totals = lines.aggregate(**figures)
    report.total = Row(
        _("Total"),
        totals["assets"],
        totals["quantity"],
        _money(totals["original"]),
        _money(totals["net"]),
        _money(done.aggregate(p=Sum("proceeds"))["p"]),
    )
    report.disposals = list(
        done.select_related("requester", "department").order_by("completed_at", "pk")
    )
    return report


def report_years(disposals: QuerySet[AssetDisposal]) -> list[int]:
    this_year = timezone.localdate().year
    years = set(
        disposals.filter(status=RequestStatus.COMPLETED)
        .annotate(y=ExtractYear("completed_at"))
        .values_list("y", flat=True)
        .distinct()
    )
    years.add(this_year)
    return sorted((y for y in years if y), reverse=True)


def _xlsx(report: Report, title: str) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    heads = [_("Assets"), _("Quantity"), _("Original value"), _("Net value"), _("Proceeds")]
    for sheet_title, first, rows in (
        (_("By category"), _("Category"), report.by_category),
        (_("By method"), _("Disposal method"), report.by_method),
    ):
        sheet = book.add_worksheet(sheet_title[:31])
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 5, 16)
        for col, head in enumerate([first, *heads]):
            sheet.write_string(0, col, capfirst(str(head)), bold)
        for row_no, row in enumerate([*rows, report.total], start=1):
            style = bold if row is report.total else None
            sheet.write_string(row_no, 0, row.label, style)
            sheet.write_number(row_no, 1, row.assets)
            sheet.write_number(row_no, 2, row.quantity)
            for col, value in enumerate((row.original, row.net, row.proceeds), start=3):
                sheet.write_number(row_no, col, float(value), money)
    sheet = book.add_worksheet(_("Disposals")[:31])
    sheet.set_column(0, 6, 18)
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, head in enumerate(
        (
            _("Number"),
            _("Disposed of on"),
            _("Disposal method"),
            _("Original value"),
            _("Net value"),
            _("Proceeds"),
            _("Requester"),
        )
    ):
        sheet.write_string(0, col, head, bold)
    for row_no, d in enumerate(report.disposals, start=1):
        sheet.write_string(row_no, 0, d.number)
        if d.completed_at:
            sheet.write_datetime(row_no, 1, timezone.localtime(d.completed_at).date(), dates)
        sheet.write_string(row_no, 2, str(d.get_method_display()))
        sheet.write_number(row_no, 3, float(d.total_value), money)
        sheet.write_number(row_no, 4, float(d.net_value), money)
        sheet.write_number(row_no, 5, float(d.proceeds), money)
        sheet.write_string(row_no, 6, str(d.requester))
    book.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{title}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class DisposalReportView(ScopedViewMixin, View):
    model = AssetDisposal
    permission_required = "assets.view_asset_reports"
    template_name = "assets/disposal_report.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        disposals = self.narrow_to_active_school(self.get_queryset())
        years = report_years(disposals)
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = years[0]
        if not 1900 <= year <= 2999:
            year = years[0]
        report = disposal_report(disposals, year)
        title = _("Disposal report %(year)s") % {"year": year}
        if request.GET.get("export") == "xlsx":
            return _xlsx(report, title)
        context = {
            "title": title,
            "report": report,
            "year": year,
            "years": years if year in years else sorted([*years, year], reverse=True),
            "breadcrumbs": [(_("Disposal report"), None)],
        }
        return TemplateResponse(request, self.template_name, context)
