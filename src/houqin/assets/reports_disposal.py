"""The yearly disposal report: by category and by method, with the disposals of the year.

Counted are disposals completed in the year (the date the assets left the register). Every
figure is summed in SQL; the proceeds of a disposal are shared among its categories in
proportion to their original value.
"""

from __future__ import annotations

import datetime
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
    Max,
    Min,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.schools import active_school_id
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
    #: Over several schools (the bureau): a row per school instead of every disposal.
    by_school: list[Row] = field(default_factory=list)


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def completed_in(disposals: QuerySet[AssetDisposal], year: int) -> QuerySet[AssetDisposal]:
    """Completed in the local calendar year: a range of moments the index serves."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return disposals.filter(
        status=RequestStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end
    )


def _entered(entered: dict[tuple[str, int], Any], part: int) -> dict[Any, Decimal]:
    """The entered proceeds summed by method (``part`` 0) or by school (1)."""
    sums: dict[Any, Decimal] = {}
    for key, proceeds in entered.items():
        sums[key[part]] = sums.get(key[part], ZERO) + Decimal(str(proceeds))
    return sums


def _rows(
    groups: list[dict[str, Any]],
    key: str | None,
    label: Any,
    proceeds: dict[Any, Decimal] | None,
) -> list[Row]:
    """The groups summed by ``key`` (None: all in one row). The proceeds are ``proceeds``
    by key when given, else the shares of the proceeds summed from the groups."""
    rows: dict[Any, Row] = {}
    shares: dict[Any, float] = {}
    for group in groups:
        k = group[key] if key else None
        row = rows.get(k)
        if row is None:
            row = rows[k] = Row(label(group), key=k)
        row.assets += group["assets"]
        row.quantity += group["quantity"]
        row.original += Decimal(str(group["original"]))
        row.net += Decimal(str(group["net"]))
        shares[k] = shares.get(k, 0.0) + group["proceeds"]
    for k, row in rows.items():
        row.original, row.net = _money(row.original), _money(row.net)
        row.proceeds = _money(proceeds.get(k) if proceeds is not None else shares[k])
    return list(rows.values())


def disposal_report(
    disposals: QuerySet[AssetDisposal], year: int, *, by_school: bool = False
) -> Report:
    """``disposals``: already narrowed to what the user may see (and the active school).
    ``by_school``: sum per school instead of listing every disposal (a district's year holds
    thousands)."""
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
    keys = ["asset__category_id", "asset__category__name", "disposal__method"]
    if by_school:
        keys += ["disposal__school_id", "disposal__school__name"]
    # One grouped read of the lines; the tables are its sums.
    groups = list(
        lines.values(*keys).annotate(**figures, proceeds=Coalesce(Sum(share), Value(0.0)))
        .order_by()
    )  # fmt: skip
    # The proceeds per method and school, exactly as entered on the disposals.
    entered: dict[tuple[str, int], Any] = {
        (method, school): proceeds or ZERO
        for method, school, proceeds in done.values("method", "school_id")
        .annotate(p=Sum("proceeds"))
        .values_list("method", "school_id", "p")
        .order_by()
    }
    labels = dict(DisposalMethod.choices)
    report.by_category = _rows(
        groups, "asset__category_id", lambda g: g["asset__category__name"], None
    )
    report.by_category.sort(key=lambda r: (-r.original, r.label))
    by_method = _entered(entered, 0)
    report.by_method = _rows(
        groups, "disposal__method", lambda g: str(labels.get(g["disposal__method"], "")), by_method
    )
    report.by_method.sort(key=lambda r: str(r.key))
    totals = _rows(groups, None, lambda g: str(_("Total")), {None: sum(by_method.values(), ZERO)})
    report.total = totals[0] if totals else Row(_("Total"))
    if by_school:
        report.by_school = _rows(
            groups,
            "disposal__school_id",
            lambda g: g["disposal__school__name"],
            _entered(entered, 1),
        )
        report.by_school.sort(key=lambda r: r.label)
    else:
        report.disposals = list(
            done.select_related("requester", "department").order_by("completed_at", "pk")
        )
    return report


def report_years(disposals: QuerySet[AssetDisposal]) -> list[int]:
    """This year and every year from the first completed disposal on, newest first."""
    this_year = timezone.localdate().year
    span = disposals.filter(status=RequestStatus.COMPLETED).aggregate(
        first=Min("completed_at"), last=Max("completed_at")
    )
    first = timezone.localtime(span["first"]).year if span["first"] else this_year
    last = timezone.localtime(span["last"]).year if span["last"] else this_year
    return list(range(max(last, this_year), min(first, this_year) - 1, -1))


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
        title = _("Disposal report %(year)s") % {"year": year}
        if request.GET.get("export") == "xlsx":
            return _xlsx(disposal_report(disposals, year), title)
        many = active_school_id(request) is None and len(self.allowed_school_ids()) > 1
        report = disposal_report(disposals, year, by_school=many)
        context = {
            "title": title,
            "report": report,
            "year": year,
            "years": years if year in years else sorted([*years, year], reverse=True),
            "breadcrumbs": [(_("Disposal report"), None)],
        }
        return TemplateResponse(request, self.template_name, context)
