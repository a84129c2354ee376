"""Tables of print jobs (list pages and their Excel export)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class PrintJobTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("title", _("title"), link=True),
        Column("status", _("status")),
        Column("purpose", _("purpose"), hide_on_phone=True),
        Column(
            "department",
            _("department"),
            accessor="department.name",
            order_by="department__name",
            hide_on_phone=True,
        ),
        Column(
            "requester",
            _("requester"),
            accessor="requester",
            order_by="requester__real_name",
            hide_on_phone=True,
        ),
        Column("sheets_estimated", _("sheets (estimated)"), align_end=True),
        Column("sheets_used", _("sheets used"), align_end=True, hide_on_phone=True),
        Column("needed_by", _("needed by"), hide_on_phone=True),
        Column("created_at", _("requested at"), hide_on_phone=True),
    )


class MyJobTable(Table):
    columns = (
        Column("number", _("number"), link=True, hide_on_phone=True),
        Column("title", _("title"), link=True),
        Column("status", _("status")),
        Column("sheets_estimated", _("sheets (estimated)"), align_end=True),
        Column("needed_by", _("needed by"), hide_on_phone=True),
        Column("created_at", _("requested at"), hide_on_phone=True),
    )
