"""Excel exports of the maintenance dashboard: every block, with the dashboard's filters.

Each block reads its figures from ``selectors_stats`` (SQL aggregates) and writes them to a
worksheet; ``all`` writes every block to one workbook. The file is written to a temporary
file and streamed to the browser.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors_stats as stats
from .stats_source import Source

Rows = list[list[Any]]


@dataclass(frozen=True)
class Block:
    title: str | Promise
    headers: Callable[[], list[str]]
    rows: Callable[[stats.StatsScope, Source], Rows]


def _months(scope: stats.StatsScope, source: Source) -> Rows:
    return [
        [
            row["month"],
            row["requests"],
            row["done"],
            row["response_on_time_rate"],
            row["resolution_on_time_rate"],
            row["cost"],
        ]
        for row in stats.by_month(scope, source)
    ]


def _categories(scope: stats.StatsScope, source: Source) -> Rows:
    return [
        [r["label"], r["requests"], r["done"], r["resolution_mean_minutes"], r["cost"]]
        for r in stats.by_category(scope, source)
    ]


def _buildings(scope: stats.StatsScope, source: Source) -> Rows:
    return [
        [r["label"], r["requests"], r["done"], r["repeats"], r["cost"]]
        for r in stats.by_building(scope, source)
    ]


def _times(scope: stats.StatsScope, source: Source) -> Rows:
    figures = stats.time_figures(scope, source)
    names = {"response": _("Response"), "resolution": _("Repair")}
    return [
        [names[key], row["count"], row["mean"], row["median"], row["p90"]]
        for key, row in figures.items()
    ]


def _satisfaction(scope: stats.StatsScope, source: Source) -> Rows:
    figures = stats.satisfaction(scope, source)
    rows: Rows = [
        [_("%(n)s stars") % {"n": row["stars"]}, row["count"]] for row in figures["distribution"]
    ]
    rows += [
        [_("Rated"), figures["rated"]],
        [_("Mean rating"), figures["mean"]],
        [_("4–5 stars (%)"), figures["rate"]],
    ]
    return rows


def _repeat_rooms(scope: stats.StatsScope, source: Source) -> Rows:
    return [
        [r["label"], r["repeats"], r["categories"], r["school"]]
        for r in stats.repeats_by_room(scope)
    ]


def _repeat_assets(scope: stats.StatsScope, source: Source) -> Rows:
    return [[r["label"], r["repeats"], r["school"]] for r in stats.repeats_by_asset(scope)]


def _workers(scope: stats.StatsScope, source: Source) -> Rows:
    return [
        [
            r["label"],
            r["assigned"],
            r["done"],
            r["open_now"],
            r["resolution_mean_minutes"],
            r["rating_mean"],
            r["labour_hours"],
        ]
        for r in stats.workload(scope, source)
    ]


def _backlog(scope: stats.StatsScope, source: Source) -> Rows:
    figures = stats.backlog(scope)
    rows: Rows = [[row["label"], row["count"]] for row in figures["by_status"]]
    rows += [
        [_("Open now"), figures["total"]],
        [_("Overdue now"), figures["overdue"]],
        [_("Response overdue now"), figures["response_overdue"]],
    ]
    return rows


def _schools(scope: stats.StatsScope, source: Source) -> Rows:
    return [
        [
            r["label"],
            r["requests"],
            r["done"],
            r["completion_rate"],
            r["response_on_time_rate"],
            r["resolution_on_time_rate"],
            r["response_mean_minutes"],
            r["resolution_mean_minutes"],
            r["satisfaction_rate"],
            r["repeats"],
            r["cost"],
            r["open_now"],
            r["overdue_now"],
        ]
        for r in stats.per_school(scope, source)
    ]


BLOCKS: dict[str, Block] = {
    "months": Block(
        gettext_lazy("By month"),
        lambda: [
            _("Month"),
            _("Requests"),
            _("Done"),
            _("Responded on time (%)"),
            _("Repaired on time (%)"),
            _("Cost (yuan)"),
        ],
        _months,
    ),
    "categories": Block(
        gettext_lazy("By category"),
        lambda: [
            _("Category"),
            _("Requests"),
            _("Done"),
            _("Mean repair time (min)"),
            _("Cost (yuan)"),
        ],
        _categories,
    ),
    "buildings": Block(
        gettext_lazy("By building"),
        lambda: [_("Building"), _("Requests"), _("Done"), _("Repeat faults"), _("Cost (yuan)")],
        _buildings,
    ),
    "times": Block(
        gettext_lazy("Response and repair times"),
        lambda: [
            _("Time"),
            _("Orders"),
            _("Mean (min)"),
            _("Median (min)"),
            _("90th percentile (min)"),
        ],
        _times,
    ),
    "satisfaction": Block(
        gettext_lazy("Satisfaction"), lambda: [_("Rating"), _("Orders")], _satisfaction
    ),
    "repeat_rooms": Block(
        gettext_lazy("Repeat faults by room"),
        lambda: [_("Room"), _("Repeat faults"), _("Categories"), _("School")],
        _repeat_rooms,
    ),
    "repeat_assets": Block(
        gettext_lazy("Repeat faults by asset"),
        lambda: [_("Asset"), _("Repeat faults"), _("School")],
        _repeat_assets,
    ),
    "workers": Block(
        gettext_lazy("Workload by worker"),
        lambda: [
            _("Worker"),
            _("Dispatched"),
            _("Done"),
            _("Open now"),
            _("Mean repair time (min)"),
            _("Mean rating"),
            _("Labour (hours)"),
        ],
        _workers,
    ),
    "backlog": Block(gettext_lazy("Open now"), lambda: [_("Status"), _("Orders")], _backlog),
    "schools": Block(
        gettext_lazy("Schools compared"),
        lambda: [
            _("School"),
            _("Requests"),
            _("Done"),
            _("Completion (%)"),
            _("Responded on time (%)"),
            _("Repaired on time (%)"),
            _("Mean response (min)"),
            _("Mean repair time (min)"),
            _("Satisfaction (%)"),
            _("Repeat faults"),
            _("Cost (yuan)"),
            _("Open now"),
            _("Overdue now"),
        ],
        _schools,
    ),
}


def _write(sheet: Any, block: Block, rows: Rows, bold: Any, money: Any) -> None:
    for col, header in enumerate(block.headers()):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, 14 if col else 24)
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


def export_response(kind: str, scope: stats.StatsScope, period: str) -> FileResponse:
    """The workbook of one block (or every block for ``all``) as a download."""
    codes = list(BLOCKS) if kind == "all" else [kind]
    if kind == "all" and len(scope.school_ids) < 2:
        codes.remove("schools")
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    book = xlsxwriter.Workbook(
        handle, {"in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    source = Source(scope)  # every block reads the same counters: split and read them once
    for code in codes:
        block = BLOCKS[code]
        sheet = book.add_worksheet(str(block.title)[:31])
        _write(sheet, block, block.rows(scope, source), bold, money)
    book.set_properties({"title": str(_("Maintenance statistics")), "comments": period})
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = _("Maintenance statistics") if kind == "all" else str(BLOCKS[kind].title)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
