"""The columns of the purchase order and acceptance lists (also their xlsx exports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class PurchaseOrderTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("title", _("title"), link=True, sortable=False),
        Column("status", _("status")),
        Column("supplier", _("supplier"), accessor="supplier", order_by="supplier__name"),
        Column(
            "purchaser",
            _("purchaser"),
            accessor="purchaser",
            order_by="purchaser__username",
            hide_on_phone=True,
        ),
        Column("created", _("created at"), accessor="created_at", hide_on_phone=True),
        Column("placed", _("placed at"), accessor="placed_at", hide_on_phone=True),
        Column("expected", _("expected delivery"), accessor="expected_on", hide_on_phone=True),
        Column(
            "estimated",
            _("estimated total (yuan)"),
            accessor="estimated_total",
            align_end=True,
            hide_on_phone=True,
        ),
        Column("total", _("total (yuan)"), accessor="total", align_end=True),
        Column(
            "savings",
            _("savings (yuan)"),
            accessor="savings",
            order_by="total",
            sortable=False,
            align_end=True,
            hide_on_phone=True,
        ),
    )


class AcceptanceTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("order", _("order"), accessor="order.number", order_by="order__number"),
        Column("status", _("status")),
        Column("result", _("result"), hide_on_phone=True),
        Column(
            "supplier",
            _("supplier"),
            accessor="order.supplier",
            order_by="order__supplier__name",
            hide_on_phone=True,
        ),
        Column("delivered", _("delivered on"), accessor="delivered_on"),
        Column("quality", _("quality (1–5)"), accessor="quality_score", hide_on_phone=True),
        Column("amount", _("accepted amount (yuan)"), accessor="amount", align_end=True),
    )
