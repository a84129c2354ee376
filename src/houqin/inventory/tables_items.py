"""Columns of the item list (and its xlsx export) and of the movement list."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


def _min_max(item: Any) -> str:
    from .services.stock import fmt

    if item.max_stock is None:
        return f"{fmt(item.min_stock)} / —"
    return f"{fmt(item.min_stock)} / {fmt(item.max_stock)}"


class StockItemTable(Table):
    """The columns of the page (the stock cell also shows the unit and a low-stock badge)."""

    columns = (
        Column("code", _("code"), link=True),
        Column("name", _("name"), link=True),
        Column("category", _("category"), hide_on_phone=True),
        Column("quantity", _("in stock"), align_end=True),
        Column("average_cost", _("average cost (yuan)"), align_end=True, hide_on_phone=True),
        Column("value", _("stock value (yuan)"), align_end=True, hide_on_phone=True),
        Column(
            "min_max",
            _("min / max"),
            accessor=_min_max,
            order_by="min_stock",
            align_end=True,
            hide_on_phone=True,
        ),
        Column("shelf", _("shelf"), hide_on_phone=True),
    )


class StockItemExportTable(Table):
    columns = (
        Column("code", _("code")),
        Column("name", _("name")),
        Column("specification", _("specification")),
        Column("unit", _("unit")),
        Column("category", _("category")),
        Column("quantity", _("in stock")),
        Column("average_cost", _("average cost (yuan)")),
        Column("value", _("stock value (yuan)")),
        Column("min_stock", _("minimum stock")),
        Column("max_stock", _("maximum stock")),
        Column("shelf", _("shelf")),
        Column("is_restricted", _("restricted")),
        Column("paper_size", _("paper size")),
        Column("sheets_per_unit", _("sheets per unit")),
        Column("is_active", _("in use")),
        Column("low", _("low stock"), accessor="low"),
    )


class StockMovementTable(Table):
    columns = (
        Column("at", _("time")),
        Column("item", _("item"), accessor="item", order_by=("item__name",), link=True),
        Column("kind", _("kind")),
        Column("quantity", _("quantity"), align_end=True),
        Column("unit", _("unit"), accessor="item.unit", sortable=False, hide_on_phone=True),
        Column("unit_cost", _("unit cost (yuan)"), align_end=True, hide_on_phone=True),
        Column("amount", _("amount (yuan)"), align_end=True, hide_on_phone=True),
        Column("balance", _("balance after"), align_end=True, hide_on_phone=True),
        Column(
            "department",
            _("department"),
            accessor="department",
            order_by="department__name",
            hide_on_phone=True,
        ),
        Column(
            "person", _("for"), accessor="person", order_by="person__real_name", hide_on_phone=True
        ),
        Column("reason", _("reason"), sortable=False, hide_on_phone=True),
        Column("reference", _("reference"), hide_on_phone=True),
        Column("actor", _("by"), accessor="actor", sortable=False, hide_on_phone=True),
    )
