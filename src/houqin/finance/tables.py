from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class ExpenseTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("title", _("title")),
        Column("amount", _("amount (yuan)"), align_end=True),
        Column("status", _("status")),
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
        Column("created_at", _("created at"), hide_on_phone=True),
    )
