"""Declarative import specifications: which columns a file has and how a row becomes objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils.functional import Promise

from .context import ImportContext
from .parsers import Parser, in_languages, normalize


@dataclass(frozen=True)
class ImportColumn:
    """One column of the file.

    ``name`` is the key of the parsed value and, unless ``build`` says otherwise, the model
    field it fills. ``example`` is a value (or a function of the context) for the template's
    example row; look-up columns default to their first allowed value.
    """

    name: str
    label: str | Promise
    parser: Parser
    required: bool = False
    help: str | Promise = ""
    example: Any = None
    aliases: tuple[str, ...] = ()

    def header_keys(self) -> set[str]:
        """Every header accepted for this column: its label in Chinese and English, and the
        field name."""
        keys = {normalize(text) for text in in_languages(self.label)}
        keys.add(normalize(self.name))
        keys.update(normalize(alias) for alias in self.aliases)
        return keys

    def header(self) -> str:
        """The header in the current language, as the template writes it."""
        label = str(self.label)
        return label[:1].upper() + label[1:]

    def example_cell(self, ctx: ImportContext) -> Any:
        """The cell of the template's example row."""
        if self.example is None:
            allowed = self.parser.allowed_values(ctx)
            return allowed[0] if allowed else ""
        value = self.example(ctx) if callable(self.example) else self.example
        if isinstance(value, Promise):
            return str(value)
        return self.parser.to_cell(value)


class ImportSpec:
    """How rows of a file become unsaved model instances.

    ``model`` is the main model: the import needs its ``add`` permission. ``build`` returns
    the instances of one row, main object first; later instances may point at earlier ones
    (a membership at its new user) and are created after them.
    """

    model: type[Model]
    columns: Sequence[ImportColumn] = ()
    batch_size = 1000
    title: str | Promise = ""

    @property
    def max_rows(self) -> int:
        return int(getattr(settings, "HOUQIN_IMPORT_MAX_ROWS", 100_000))

    def get_title(self) -> str:
        return str(self.title or self.model._meta.verbose_name_plural)

    def build(self, values: dict[str, Any], ctx: ImportContext) -> list[Model]:
        """Default: one instance of ``model`` from the non-empty values, in the target school."""
        data = {k: v for k, v in values.items() if v is not None}
        if any(f.name == "school" for f in self.model._meta.fields):
            data["school"] = ctx.school
        return [self.model(**data)]

    def clean_exclude(self, instance: Model) -> list[str]:
        """Fields that ``full_clean`` skips: relations come from look-ups within the school
        (checking each again would cost one query per row and field)."""
        return [f.name for f in instance._meta.fields if f.is_relation]

    def before_save(self, rows: list[list[Model]], ctx: ImportContext) -> None:
        """Called once per batch inside the transaction, before the batch is written."""

    def example_row(self, ctx: ImportContext) -> list[Any]:
        return [column.example_cell(ctx) for column in self.columns]

    def field_column(self) -> dict[str, ImportColumn]:
        return {column.name: column for column in self.columns}
