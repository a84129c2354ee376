"""Excel export of a list: the same columns as the page, every filtered row."""

from __future__ import annotations

import datetime
import tempfile
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .tables import Table

#: Day 0 of Excel's 1900 date system, as its serial numbers count from 1900-03-01 on.
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
EXCEL_DATE_EPOCH = EXCEL_EPOCH.date()
ONE_DAY = datetime.timedelta(days=1)


def _write_row(sheet: Any, row_no: int, values: list[Any], dates: Any, times: Any) -> None:
    """One row, each cell written by its type (``write`` would test every string's shape)."""
    for col, value in enumerate(values):
        if isinstance(value, str):
            if value:
                sheet.write_string(row_no, col, value)
        elif isinstance(value, bool):
            sheet.write_boolean(row_no, col, value)
        elif isinstance(value, int | float):
            sheet.write_number(row_no, col, value)
        elif isinstance(value, datetime.datetime):
            sheet.write_number(row_no, col, (value - EXCEL_EPOCH) / ONE_DAY, times)
        elif isinstance(value, datetime.date):
            sheet.write_number(row_no, col, (value - EXCEL_DATE_EPOCH).days, dates)
        else:
            sheet.write(row_no, col, value)


def xlsx_response(title: str, table_class: type[Table], queryset: QuerySet[Any]) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    # Text stays text: a cell typed "=…" or "http…" by a user must not become a formula or link.
    book = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    times = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for col, column in enumerate(table_class.columns):
        sheet.write_string(0, col, capfirst(str(column.label)), bold)
        sheet.set_column(col, col, 16)
    limit = settings.HOUQIN_EXPORT_MAX_ROWS
    rows = queryset[: limit + 1].iterator(chunk_size=2000)
    row_no = 0
    for row_no, values in enumerate(table_class([]).export_rows(rows), start=1):
        if row_no > limit:
            sheet.write_string(
                row_no,
                0,
                _("Only the first %(limit)s rows were exported; narrow the filters for the rest.")
                % {"limit": limit},
                bold,
            )
            break
        _write_row(sheet, row_no, values, dates, times)
    book.close()
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{title}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
