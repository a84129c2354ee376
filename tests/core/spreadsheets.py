"""Build spreadsheets and CSV files in memory for import tests."""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("数据")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if hasattr(value, "year"):
                sheet.write_datetime(r, c, value, dates)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    # Like Excel, replace what the encoding lacks ("²" is not in GBK) with "?".
    return text.getvalue().encode(encoding, errors="replace")


def upload(data: bytes, name: str = "rooms.xlsx") -> SimpleUploadedFile:
    content_type = XLSX if name.endswith(".xlsx") else "text/csv"
    return SimpleUploadedFile(name, data, content_type=content_type)


def post_file(client: Any, url: str, data: bytes, name: str = "rooms.xlsx", **extra: Any) -> Any:
    payload = {"file": upload(data, name), **extra}
    return client.post(url, payload)


def error_rows(response: Any) -> list[tuple[int, str, str]]:
    """The (row, column, message) triples shown on a refused import."""
    return [(e.row, e.column, e.message) for e in response.context["errors"]]
