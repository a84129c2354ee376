"""The downloadable import template: headers in the user's language, one example row, the
allowed values on a second sheet (with drop-downs) and a description of every column."""

from __future__ import annotations

import tempfile
from typing import IO

import xlsxwriter
from django.utils.translation import gettext as _

from .context import ImportContext
from .parsers import Boolean, Choice, Lookup, Text
from .spec import ImportSpec

MAX_DROPDOWN_VALUES = 2000


def _sheet_name(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31] or "Sheet1"


def write_template(spec: ImportSpec, ctx: ImportContext) -> IO[bytes]:
    """The template as an open temporary file, positioned at its start."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    book = xlsxwriter.Workbook(handle, {"in_memory": False})
    data_sheet = book.add_worksheet(_sheet_name(spec.get_title()))
    values_name = _sheet_name(_("Allowed values"))
    values_sheet = book.add_worksheet(values_name)
    help_sheet = book.add_worksheet(_sheet_name(_("Instructions")))
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    required = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "font_color": "#C00000"}
    )
    example = book.add_format({"italic": True, "font_color": "#7F7F7F"})
    example_text = book.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "@"})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    example_row = spec.example_row(ctx)
    value_col = 0
    for col, column in enumerate(spec.columns):
        label = column.header() + (" *" if column.required else "")
        data_sheet.write_string(0, col, label, required if column.required else header)
        width = max(12, min(30, len(label.encode("gbk", "replace")) + 4))
        is_text = isinstance(column.parser, Text)
        data_sheet.set_column(col, col, width, text if is_text else None)
        cell = example_row[col]
        if isinstance(cell, str):
            data_sheet.write_string(1, col, cell, example_text if is_text else example)
        elif cell is not None:
            data_sheet.write(1, col, cell, example)
        allowed = column.parser.allowed_values(ctx)
        if allowed is None or not isinstance(column.parser, Choice | Lookup | Boolean):
            continue
        values_sheet.write_string(0, value_col, column.header(), header)
        values_sheet.set_column(value_col, value_col, 20)
        for row, value in enumerate(allowed, start=1):
            values_sheet.write_string(row, value_col, value)
        if 0 < len(allowed) <= MAX_DROPDOWN_VALUES:
            letter = xlsxwriter.utility.xl_col_to_name(value_col)
            data_sheet.data_validation(
                1,
                col,
                spec.max_rows,
                col,
                {
                    "validate": "list",
                    "source": f"='{values_name}'!${letter}$2:${letter}${len(allowed) + 1}",
                    "error_type": "warning",
                    "ignore_blank": True,
                },
            )
        value_col += 1
    data_sheet.freeze_panes(1, 0)
    data_sheet.write_comment(
        1, 0, _("An example: replace it with your own rows. An unchanged example row is skipped.")
    )

    help_sheet.set_column(0, 0, 18)
    help_sheet.set_column(1, 1, 10)
    help_sheet.set_column(2, 3, 44, wrap)
    for col, title in enumerate((_("Column"), _("Required"), _("Format"), _("Notes"))):
        help_sheet.write_string(0, col, title, header)
    for row, column in enumerate(spec.columns, start=1):
        help_sheet.write_string(row, 0, column.header())
        help_sheet.write_string(row, 1, _("Yes") if column.required else _("No"))
        help_sheet.write_string(row, 2, column.parser.describe())
        help_sheet.write_string(row, 3, str(column.help))
    data_sheet.activate()
    book.close()
    handle.seek(0)
    return handle
