"""Import rows from xlsx, xls, ods or CSV files against a declared specification.

A spec (``ImportSpec``) lists the columns and how a row becomes objects; ``import_file``
reads, validates every row and writes all of them or none; ``write_template`` produces the
file to fill in.
"""

from .context import ImportContext, ImportResult, RowError
from .engine import import_file, import_rows
from .parsers import Boolean, Choice, Date, Decimal, Integer, Lookup, Parser, Text
from .readers import ReadError, read_rows
from .spec import ImportColumn, ImportSpec
from .template import write_template

__all__ = [
    "Boolean",
    "Choice",
    "Date",
    "Decimal",
    "ImportColumn",
    "ImportContext",
    "ImportResult",
    "ImportSpec",
    "Integer",
    "Lookup",
    "Parser",
    "ReadError",
    "RowError",
    "Text",
    "import_file",
    "import_rows",
    "read_rows",
    "write_template",
]
