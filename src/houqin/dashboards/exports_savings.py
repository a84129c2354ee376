"""The savings report as one Excel workbook: a sheet per block."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

Rows = list[list[Any]]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value if isinstance(value, int | float) else str(value)


def _sheets(figures: dict[str, Any], schools: list[dict[str, Any]]) -> list[tuple[str, Rows]]:
    period, before = figures["period"], figures["before"]
    sheets: list[tuple[str, Rows]] = [
        (
            _("Headlines"),
            [[_("Period"), f"{period.label} ({period.start} – {period.end})"]]
            + [[h["text"]] for h in figures["headlines"]],
        )
    ]
    months = figures["months"]
    budget = figures.get("budget")
    if budget:
        rows: Rows = [
            [_("Category"), _("Budget"), _("Committed"), _("Spent"), _("Available"), _("Used (%)")]
        ]
        rows += [
            [r["label"], r["budget"], r["committed"], r["spent"], r["available"], r["used_rate"]]
            for r in budget["categories"]
        ]
        rows.append(
            [
                _("Total"),
                budget["budget"],
                budget["committed"],
                budget["spent"],
                budget["available"],
                budget["used_rate"],
            ]
        )
        rows.append([])
        rows.append([_("Month"), period.label, before.label])
        rows += [
            [m, a, b]
            for m, a, b in zip(months, budget["monthly"], budget["monthly_before"], strict=True)
        ]
        sheets.append((_("Budget"), rows))
    purchasing = figures.get("purchasing")
    if purchasing:
        now, then = purchasing["now"], purchasing["before"]
        rows = [["", period.label, before.label]]
        for key, label in (
            ("orders", _("Orders placed")),
            ("request_lines", _("Request lines")),
            ("order_lines", _("Order lines")),
            ("estimated", _("Estimated (yuan)")),
            ("actual", _("Actual (yuan)")),
            ("saving", _("Saved (yuan)")),
            ("saving_rate", _("Saved (%)")),
        ):
            rows.append([label, now[key], then[key]])
        rows.append([])
        rows.append([_("Month"), _("Estimated (yuan)"), _("Actual (yuan)")])
        rows += [
            [m, a, b]
            for m, a, b in zip(
                months, purchasing["monthly_estimated"], purchasing["monthly_actual"], strict=True
            )
        ]
        sheets.append((_("Central purchasing"), rows))
    store = figures.get("consumables")
    if store:
        rows = [[_("Month"), period.label, before.label]]
        rows += [
            [m, a, b]
            for m, a, b in zip(months, store["monthly"], store["monthly_before"], strict=True)
        ]
        rows.append([_("Total"), store["total"], store["total_before"]])
        rows.append([_("Change (%)"), store["change"]])
        sheets.append((_("Consumables (yuan)"), rows))
    paper = figures.get("paper")
    if paper:
        rows = [[_("Month"), period.label, before.label, _("Change (%)")]]
        rows += [
            [m, a, b, c]
            for m, a, b, c in zip(
                months,
                paper["monthly"],
                paper["monthly_before"],
                paper["monthly_change"],
                strict=True,
            )
        ]
        rows.append([_("Total"), paper["sheets"], paper["sheets_before"], paper["change"]])
        sheets.append((_("Paper (sheets)"), rows))
    if schools:
        rows = [
            [
                _("School"),
                _("Budget"),
                _("Spent"),
                _("Spent (%)"),
                _("Saved (yuan)"),
                _("Consumables (yuan)"),
                _("Change (%)"),
                _("Paper (sheets)"),
                _("Change (%)"),
            ]
        ]
        rows += [
            [
                s["name"],
                s.get("budget"),
                s.get("spent"),
                s.get("spent_rate"),
                s.get("saving"),
                s.get("consumables"),
                s.get("consumables_change"),
                s.get("sheets"),
                s.get("sheets_change"),
            ]
            for s in schools
        ]
        sheets.append((_("Schools"), rows))
    return sheets


def savings_workbook(figures: dict[str, Any], schools: list[dict[str, Any]]) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    for title, rows in _sheets(figures, schools):
        sheet = book.add_worksheet(title[:31])
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 8, 16)
        for row_no, values in enumerate(rows):
            for col, value in enumerate(values):
                sheet.write(row_no, col, _cell(value), bold if row_no == 0 else None)
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = _("Savings report")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
