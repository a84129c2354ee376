"""The paper report as an Excel workbook: one worksheet per table of the page."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .selectors_paper import PaperScope

Rows = list[list[Any]]


def _sheets(figures: dict[str, Any]) -> list[tuple[str, list[str], Rows]]:
    totals = figures["totals"]
    monthly = figures["monthly"]
    change = _("Change on a year earlier (%)")
    blocks: list[tuple[str, list[str], Rows]] = [
        (
            _("Summary"),
            [_("Figure"), _("Value")],
            [
                [_("Sheets"), totals["sheets"]],
                [_("Sheets a year earlier"), totals["previous"]],
                [change, totals["change"]],
                [_("Spoiled sheets"), totals["spoiled"]],
                [_("Colour sheets"), totals["colour"]],
                [_("Jobs"), totals["jobs"]],
                [_("Estimated cost (yuan)"), totals["cost"]],
                [_("Estimated cost a year earlier (yuan)"), totals["previous_cost"]],
            ],
        ),
        (
            _("By department"),
            [
                _("Department"),
                _("Sheets"),
                _("Jobs"),
                _("Sheets a year earlier"),
                change,
                _("Estimated cost (yuan)"),
            ],
            [
                [r["label"], r["sheets"], r["jobs"], r["previous"], r["change"], r["cost"]]
                for r in figures["departments"]
            ],
        ),
        (
            _("Top 20 teachers"),
            [
                _("Rank"),
                _("Name"),
                _("Department"),
                _("Sheets"),
                _("Exam papers (sheets)"),
                _("Jobs"),
                _("Estimated cost (yuan)"),
            ],
            [
                [
                    r["rank"],
                    r["label"],
                    r["department"],
                    r["sheets"],
                    r["exam"],
                    r["jobs"],
                    r["cost"],
                ]
                for r in figures["teachers"]
            ],
        ),
        (
            _("By month"),
            [_("Month"), _("Sheets"), _("Same month a year earlier")],
            [
                [formats.date_format(m, "YEAR_MONTH_FORMAT"), now, before]
                for m, now, before in zip(
                    monthly["months"], monthly["current"], monthly["previous"], strict=True
                )
            ],
        ),
        (
            _("By term"),
            [_("Term"), _("Sheets"), _("Jobs")],
            [[r["label"], r["sheets"], r["jobs"]] for r in figures["terms"]],
        ),
        (
            _("By purpose"),
            [_("Purpose"), _("Sheets"), _("Share (%)"), _("Sheets a year earlier"), change],
            [
                [r["label"], r["sheets"], r["share"], r["previous"], r["change"]]
                for r in figures["purposes"]
            ],
        ),
    ]
    if "schools" in figures:
        blocks.append(
            (
                _("Schools compared"),
                [
                    _("School"),
                    _("Sheets"),
                    _("Sheets per student"),
                    _("Sheets a year earlier"),
                    change,
                    _("Estimated cost (yuan)"),
                ],
                [
                    [
                        r["label"],
                        r["sheets"],
                        r["per_student"],
                        r["previous"],
                        r["change"],
                        r["cost"],
                    ]
                    for r in figures["schools"]
                ],
            )
        )
    return blocks


def export_response(figures: dict[str, Any], scope: PaperScope, period: str) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    for title, headers, rows in _sheets(figures):
        sheet = book.add_worksheet(title[:31])
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, bold)
            sheet.set_column(col, col, 16 if col else 24)
        for row_no, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                if value is None:
                    sheet.write_blank(row_no, col, None)
                elif isinstance(value, Decimal):
                    sheet.write_number(row_no, col, float(value), money)
                elif isinstance(value, int | float):
                    sheet.write_number(row_no, col, value)
                else:
                    sheet.write_string(row_no, col, str(value))
    name = _("Paper use")
    book.set_properties({"title": str(name), "comments": period})
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
