"""The work order list's columns (also the columns of its xlsx export)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table

from .selectors import clock


def _worker(order: Any) -> Any:
    if order.assignee_id:
        return order.assignee
    return order.team if order.team_id else None


class WorkOrderTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("title", _("title"), link=True, sortable=False),
        Column("status", _("status")),
        Column(
            "urgency",
            _("urgency"),
            # urgent, normal, planned: a rank the list annotates (codes sort otherwise).
            order_by="urgency_rank",
            hide_on_phone=True,
        ),
        Column("clock", _("clock"), accessor=clock, sortable=False, hide_on_phone=True),
        Column("category", _("category"), accessor="category", sortable=False, hide_on_phone=True),
        Column(
            "room",
            _("room"),
            accessor="room",
            order_by=("room__building__name", "room__number"),
            hide_on_phone=True,
        ),
        Column("worker", _("worker"), accessor=_worker, sortable=False, hide_on_phone=True),
        Column(
            "reported",
            _("reported at"),
            accessor="reported_at",
            order_by="reported_at",
            hide_on_phone=True,
        ),
        Column(
            "due",
            _("repair by"),
            accessor="resolve_due",
            order_by="resolve_due",
            hide_on_phone=True,
        ),
        Column(
            "cost",
            _("total cost (yuan)"),
            accessor="total_cost",
            order_by="total_cost",
            align_end=True,
            hide_on_phone=True,
        ),
    )
