"""Read an uploaded spreadsheet or CSV file into rows, recognising the format by content.

xlsx, xls and ods are read with python-calamine (first sheet); CSV is decoded as UTF-8 (with
or without BOM), UTF-16 with BOM, or GB18030 (a superset of the GBK that Chinese Excel
writes), with the delimiter (comma, semicolon or tab) taken from the header line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An xlsx whose sheets expand beyond this is refused before it is parsed (a "zip bomb").
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
    b"\x1f\x8b": "gzip",
    b"MZ": "EXE",
    b"\x7fELF": "ELF",
}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads UTF-8 without a BOM


class ReadError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Sheet:
    """Rows of cells, each with its row number as Excel shows it (1-based)."""

    rows: list[tuple[int, list[Any]]]
    kind: str


def read_rows(data: bytes, max_rows: int) -> Sheet:
    """Every non-empty row of the first sheet: the header first, then at most ``max_rows``."""
    if not data.strip():
        raise ReadError(_("The file is empty."))
    head = data[:8]
    for magic, name in BINARY_SIGNATURES.items():
        if head.startswith(magic):
            message = _("This is a %(kind)s file, not a spreadsheet.") % {"kind": name}
            raise ReadError(f"{message} {upload_hint()}")
    if head.startswith(ZIP_MAGIC):
        _check_zip(data)
        return Sheet(_read_workbook(data, max_rows), "xlsx")
    if head.startswith(OLE_MAGIC):
        return Sheet(_read_workbook(data, max_rows), "xls")
    return Sheet(_read_csv(data, max_rows), "csv")


def upload_hint() -> str:
    return _("Upload an xlsx, xls, ods or CSV file.")


def not_a_spreadsheet() -> ReadError:
    message = _("The file could not be read as a spreadsheet.")
    return ReadError(f"{message} {upload_hint()}")


def too_many_rows(max_rows: int) -> ReadError:
    return ReadError(
        _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": max_rows}
    )


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_spreadsheet() from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(_("The workbook is too large once unpacked. Split it into smaller files."))


def _read_workbook(data: bytes, max_rows: int) -> list[tuple[int, list[Any]]]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise ReadError(_("The file is empty."))
        sheet = book.get_sheet_by_index(0)
        start_row = sheet.start[0] if sheet.start else 0
        # Header, max_rows data rows and one more to notice a file that is too long.
        cells = sheet.to_python(skip_empty_area=False, nrows=start_row + max_rows + 2)
    except ReadError:
        raise
    except python_calamine.PasswordError:
        message = _("The workbook is protected by a password. Remove it and try again.")
        raise ReadError(message) from None
    except Exception:  # calamine raises several error types for damaged or foreign files
        raise not_a_spreadsheet() from None
    return _non_empty(enumerate(cells, start=1), max_rows)


def _non_empty(
    numbered: Iterator[tuple[int, list[Any]]] | Any, max_rows: int
) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in numbered:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        rows.append((number, list(cells)))
        if len(rows) > max_rows + 1:
            raise too_many_rows(max_rows)
    return rows


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise not_a_spreadsheet() from None
    if b"\x00" in data[:65536]:
        raise not_a_spreadsheet()
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(
        _("The text encoding of this CSV file is not recognised. Save it as UTF-8 CSV or as xlsx.")
    )


def sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, max_rows: int) -> list[tuple[int, list[Any]]]:
    text = decode(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        return _non_empty(enumerate(reader, start=1), max_rows)
    except csv.Error:
        raise not_a_spreadsheet() from None
