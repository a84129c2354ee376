"""Columns of the stock count list and of a count's lines (its xlsx export)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


def _categories(count: Any) -> str:
    labels = count.category_labels()
    return "、".join(str(label) for label in labels) if labels else str(_("All items"))


def _difference_value(line: Any) -> Any:
    if line.counted_quantity is None:
        return None
    return ((line.counted_quantity - line.book_quantity) * line.unit_cost).quantize(Decimal("0.01"))


class StockCountTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("title", _("title"), link=True),
        Column("status", _("status")),
        Column(
            "categories",
            _("categories counted"),
            accessor=_categories,
            sortable=False,
            hide_on_phone=True,
        ),
        Column(
            "started_by", _("started by"), accessor="started_by", sortable=False, hide_on_phone=True
        ),
        Column("created_at", _("started at"), hide_on_phone=True),
        Column("posted_at", _("posted at"), hide_on_phone=True),
    )


class StockCountLineTable(Table):
    columns = (
        Column("code", _("code"), accessor="item.code", order_by="item__code"),
        Column("name", _("name"), accessor="item.name", order_by="item__name"),
        Column("specification", _("specification"), accessor="item.specification", sortable=False),
        Column("unit", _("unit"), accessor="item.unit", sortable=False),
        Column("shelf", _("shelf"), accessor="item.shelf", order_by="item__shelf"),
        Column("book_quantity", _("book quantity")),
        Column("counted_quantity", _("counted")),
        Column("difference", _("difference"), accessor="difference", sortable=False),
        Column("unit_cost", _("unit cost (yuan)")),
        Column(
            "difference_value",
            _("difference value (yuan)"),
            accessor=_difference_value,
            sortable=False,
        ),
        Column("note", _("note"), sortable=False),
        Column("counted_by", _("counted by"), accessor="counted_by", sortable=False),
    )
