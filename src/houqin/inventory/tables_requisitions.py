"""Columns of the requisition lists, the issue queue and the quota list (and their exports)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


def cents(value: Any) -> Decimal | None:
    """An amount computed in SQL, shown with its two decimal places."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


class RequisitionTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("purpose", _("purpose"), link=True, sortable=False),
        Column("status", _("status")),
        Column("department", _("department"), order_by="department__name", hide_on_phone=True),
        Column("requester", _("requester"), order_by="requester__real_name", hide_on_phone=True),
        Column(
            "amount",
            _("estimated amount (yuan)"),
            accessor="estimated_amount",
            align_end=True,
            hide_on_phone=True,
        ),
        Column("needs_approval", _("needs approval"), hide_on_phone=True),
        Column("created", _("created at"), accessor="created_at", hide_on_phone=True),
    )


class IssueQueueTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("department", _("department"), order_by="department__name"),
        Column("requester", _("requester"), order_by="requester__real_name", hide_on_phone=True),
        Column("purpose", _("purpose"), sortable=False, hide_on_phone=True),
        Column("status", _("status")),
        Column("lines", _("items"), accessor="line_count", align_end=True, hide_on_phone=True),
        Column("needed_by", _("needed by"), hide_on_phone=True),
        Column("submitted", _("submitted at"), accessor="submitted_at", hide_on_phone=True),
    )

    def rows(self) -> list[dict[str, Any]]:
        """Each row opens the issue page: the storekeeper works down the queue."""
        return _link_rows(self, super().rows(), "inventory:requisition_issue")


class QuotaTable(Table):
    columns = (
        Column("term", _("term"), order_by=("term__start",), link=True, hide_on_phone=True),
        Column("department", _("department"), order_by="department__sort_order", link=True),
        Column("amount", _("quota (yuan)"), align_end=True),
        Column(
            "used",
            _("used (yuan)"),
            accessor=lambda q: cents(q.used),
            order_by="used",
            align_end=True,
            hide_on_phone=True,
        ),
        Column(
            "remaining",
            _("remaining (yuan)"),
            accessor=lambda q: cents(q.remaining),
            order_by="remaining",
            align_end=True,
        ),
    )

    #: Set by the list page when the user may change quotas: rows link to the edit page.
    editable = False

    def rows(self) -> list[dict[str, Any]]:
        return _link_rows(self, super().rows(), "inventory:quota_edit" if self.editable else "")


def _link_rows(table: Table, rows: list[dict[str, Any]], url_name: str) -> list[dict[str, Any]]:
    """Point the linked cells of each row at ``url_name`` (no link when empty)."""
    for obj, row in zip(table.object_list, rows, strict=False):
        url = reverse(url_name, args=[obj.pk]) if url_name else None
        row["url"] = url
        for cell in row["cells"]:
            if cell["url"]:
                cell["url"] = url
    return rows
