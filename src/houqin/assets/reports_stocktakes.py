"""Figures of a stocktake (one SQL aggregate), the room task list (one grouped query) and the
reconciliation report as xlsx and PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.pdf import render_pdf

from .choices import CountResult
from .models import Stocktake, StocktakeLine

R = CountResult
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=18, decimal_places=2))

#: Shown on the pages and in the report: what the match rate means.
MATCH_RATE_DEFINITION = gettext_lazy(
    "Match rate = assets found in the room on the register ÷ assets expected. Expected are the "
    "register's assets covered by the count (surplus finds are not); assets found damaged, in "
    "another room or missing are not matches."
)


def figures(stocktake: Stocktake) -> dict[str, Any]:
    """Expected, counted, found, wrong room, missing, damaged, surplus, match rate, values."""
    book = ~Q(result=R.SURPLUS)
    row = StocktakeLine.objects.filter(stocktake_id=stocktake.pk).aggregate(
        expected=Count("pk", filter=book),
        counted=Count("pk", filter=book & ~Q(result=R.PENDING)),
        found=Count("pk", filter=Q(result=R.FOUND)),
        wrong_room=Count("pk", filter=Q(result=R.WRONG_ROOM)),
        missing=Count("pk", filter=Q(result=R.MISSING)),
        damaged=Count("pk", filter=Q(result=R.DAMAGED)),
        surplus=Count("pk", filter=Q(result=R.SURPLUS)),
        pending=Count("pk", filter=Q(result=R.PENDING)),
        shortage_value=Coalesce(Sum("asset__original_value", filter=Q(result=R.MISSING)), ZERO),
        surplus_value=Coalesce(Sum("asset__original_value", filter=Q(result=R.SURPLUS)), ZERO),
        repairs=Count("pk", filter=Q(repair_needed=True)),
        repaired=Count("pk", filter=Q(repair_needed=True, repaired_at__isnull=False)),
    )
    expected = row["expected"]
    row["match_rate"] = (
        (Decimal(row["found"]) * 100 / expected).quantize(Decimal("0.1")) if expected else None
    )
    row["progress"] = round(row["counted"] * 100 / expected) if expected else 0
    return row


def room_tasks(stocktake: Stocktake) -> list[dict[str, Any]]:
    """One row per room on the register: expected and counted lines (one grouped query)."""
    rows = (
        StocktakeLine.objects.filter(stocktake_id=stocktake.pk)
        .exclude(result=R.SURPLUS)
        .values(
            "expected_room",
            "expected_room__number",
            "expected_room__name",
            "expected_room__floor",
            "expected_room__building__name",
        )
        .annotate(
            expected=Count("pk"),
            counted=Count("pk", filter=~Q(result=R.PENDING)),
            problems=Count("pk", filter=Q(result__in=(R.MISSING, R.WRONG_ROOM, R.DAMAGED))),
        )
        .order_by("expected_room__building__name", "expected_room__floor", "expected_room__number")
    )
    result = []
    for row in rows:
        label = " ".join(
            part
            for part in (
                row["expected_room__building__name"],
                row["expected_room__number"],
                row["expected_room__name"],
            )
            if part
        )
        result.append(
            {
                "room_id": row["expected_room"],
                "label": label or _("No room on the register"),
                "expected": row["expected"],
                "counted": row["counted"],
                "problems": row["problems"],
                "done": row["counted"] >= row["expected"],
            }
        )
    return result


def lines_with(stocktake: Stocktake, *results: str) -> QuerySet[StocktakeLine]:
    return (
        StocktakeLine.objects.filter(stocktake_id=stocktake.pk, result__in=results)
        .select_related(
            "asset__category",
            "asset__room__building",
            "expected_room__building",
            "found_room__building",
            "counted_by",
        )
        .order_by("asset__code", "pk")
    )


def _room(room: Any) -> str:
    return str(room) if room is not None else "—"


def _row(line: StocktakeLine, kind: str) -> list[Any]:
    asset = line.asset
    code, name, value = (asset.code, asset.name, asset.original_value) if asset else ("", "", "")
    if kind == "move":
        return [code, name, _room(line.expected_room), _room(line.found_room), line.note]
    room = line.expected_room if kind == "missing" else line.found_room
    return [code, name, _room(room), value, line.note]


def report_rows(stocktake: Stocktake) -> list[tuple[str, list[list[Any]]]]:
    """The sections of the reconciliation report: title and rows."""
    return [
        (
            _("Shortage: missing assets"),
            [_row(line, "missing") for line in lines_with(stocktake, R.MISSING)],
        ),
        (
            _("Surplus: assets found that were not on the register"),
            [_row(line, "found") for line in lines_with(stocktake, R.SURPLUS)],
        ),
        (
            _("Found in another room"),
            [_row(line, "move") for line in lines_with(stocktake, R.WRONG_ROOM)],
        ),
        (
            _("Found damaged"),
            [_row(line, "found") for line in lines_with(stocktake, R.DAMAGED)],
        ),
    ]


def section_headers() -> list[list[str]]:
    value = [_("Code"), _("Name"), _("Room"), _("Original value (yuan)"), _("Note")]
    move = [_("Code"), _("Name"), _("Room on the register"), _("Room found in"), _("Note")]
    return [value, value, move, value]


def figure_rows(numbers: dict[str, Any]) -> list[tuple[str, Any]]:
    rate = numbers["match_rate"]
    return [
        (_("Expected"), numbers["expected"]),
        (_("Counted"), numbers["counted"]),
        (_("Found"), numbers["found"]),
        (_("Wrong room"), numbers["wrong_room"]),
        (_("Missing"), numbers["missing"]),
        (_("Damaged"), numbers["damaged"]),
        (_("Surplus"), numbers["surplus"]),
        (_("Match rate"), f"{rate} %" if rate is not None else "—"),
        (_("Shortage value (yuan)"), numbers["shortage_value"]),
        (_("Surplus value (yuan)"), numbers["surplus_value"]),
    ]


def report_xlsx(stocktake: Stocktake) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet = book.add_worksheet(_("Summary")[:31])
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 40)
    sheet.write_string(0, 0, str(stocktake), bold)
    sheet.write_string(1, 0, _("Status"))
    sheet.write_string(1, 1, stocktake.get_status_display())
    for row, (label, value) in enumerate(figure_rows(figures(stocktake)), start=3):
        sheet.write_string(row, 0, label)
        if isinstance(value, Decimal):
            sheet.write_number(row, 1, float(value), money)
        else:
            sheet.write(row, 1, value)
    sheet.write_string(14, 0, str(MATCH_RATE_DEFINITION))
    for (title, rows), headers in zip(report_rows(stocktake), section_headers(), strict=True):
        part = book.add_worksheet(title.split(":")[0][:31])
        part.write_string(0, 0, title, bold)
        for col, header in enumerate(headers):
            part.write_string(1, col, header, bold)
            part.set_column(col, col, 22)
        for row_no, values in enumerate(rows, start=2):
            for col, value in enumerate(values):
                if isinstance(value, Decimal):
                    part.write_number(row_no, col, float(value), money)
                else:
                    part.write_string(row_no, col, str(value or ""))
    book.close()
    return buffer.getvalue()


def report_pdf(stocktake: Stocktake, request: Any = None) -> bytes:
    sections = [
        {"title": title, "headers": headers, "rows": rows}
        for (title, rows), headers in zip(report_rows(stocktake), section_headers(), strict=True)
    ]
    return render_pdf(
        "assets/stocktake_report_pdf.html",
        {
            "stocktake": stocktake,
            "title": _("Stocktake reconciliation %(number)s") % {"number": stocktake.number},
            "figures": figure_rows(figures(stocktake)),
            "definition": MATCH_RATE_DEFINITION,
            "sections": sections,
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
