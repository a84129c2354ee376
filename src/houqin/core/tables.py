"""A small table layer: columns declared once, every row rendered in one compiled template."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Column:
    name: str
    label: str | Promise
    accessor: str | Callable[[Any], Any] | None = None
    order_by: str | tuple[str, ...] | None = None
    sortable: bool = True
    link: bool = False
    align_end: bool = False
    hide_on_phone: bool = False

    def sort_fields(self) -> tuple[str, ...]:
        if self.order_by is None:
            base = self.accessor if isinstance(self.accessor, str) else self.name
            return (base.replace(".", "__"),)
        return (self.order_by,) if isinstance(self.order_by, str) else self.order_by

    def raw(self, obj: Any) -> Any:
        if callable(self.accessor):
            return self.accessor(obj)
        value: Any = obj
        for part in (self.accessor or self.name).split("."):
            if value is None:
                return None
            labels = _choice_labels(type(value), part)  # type: ignore[arg-type]
            raw = getattr(value, part)
            value = labels.get(raw, raw) if labels is not None else raw
        return value


@cache
def _choice_labels(model: type, name: str) -> dict[Any, Any] | None:
    """The labels of a model field's choices, built once (Django rebuilds them per call)."""
    meta = getattr(model, "_meta", None)
    if meta is None:
        return None
    try:
        field = meta.get_field(name)
    except FieldDoesNotExist:  # a property or an annotation
        return None
    if not getattr(field, "choices", None):
        return None
    return dict(field.flatchoices)


def display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, decimal.Decimal | float | int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


class Table:
    columns: Sequence[Column] = ()

    def __init__(self, rows: Iterable[Any], sort: str = "") -> None:
        self.object_list = rows
        self.sort = sort

    @classmethod
    def sort_options(cls) -> dict[str, tuple[str, ...]]:
        return {c.name: c.sort_fields() for c in cls.columns if c.sortable}

    @classmethod
    def ordering_for(cls, sort: str) -> tuple[str, ...] | None:
        descending = sort.startswith("-")
        fields = cls.sort_options().get(sort.lstrip("-"))
        if not fields:
            return None
        if descending:
            return tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
        return fields

    def headers(self) -> list[dict[str, Any]]:
        result = []
        for col in self.columns:
            state = ""
            if self.sort == col.name:
                state = "asc"
            elif self.sort == f"-{col.name}":
                state = "desc"
            result.append(
                {
                    "label": col.label,
                    "sortable": col.sortable,
                    "next": f"-{col.name}" if state == "asc" else col.name,
                    "state": state,
                    "end": col.align_end,
                    "phone_hidden": col.hide_on_phone,
                }
            )
        return result

    def rows(self) -> list[dict[str, Any]]:
        result = []
        for obj in self.object_list:
            url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
            cells = [
                {
                    "text": display(col.raw(obj)),
                    "url": url if col.link else None,
                    "end": col.align_end,
                    "phone_hidden": col.hide_on_phone,
                }
                for col in self.columns
            ]
            result.append({"cells": cells, "url": url})
        return result

    def export_rows(self, rows: Iterable[Any]) -> Iterable[list[Any]]:
        for obj in rows:
            yield [export_value(col.raw(obj)) for col in self.columns]


def export_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return localtime(value).replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bool | int | float | datetime.date):
        return value
    return str(value)
