"""Tables of the disposal pages."""

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class DisposalTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("status", _("status")),
        Column("method", _("disposal method")),
        Column("total_value", _("original value (yuan)"), align_end=True),
        Column("net_value", _("net value (yuan)"), align_end=True, hide_on_phone=True),
        Column("proceeds", _("proceeds (yuan)"), align_end=True, hide_on_phone=True),
        Column(
            "requester",
            _("requester"),
            accessor="requester",
            order_by="requester__real_name",
            hide_on_phone=True,
        ),
        Column("created_at", _("created at"), hide_on_phone=True),
        Column("completed_at", _("disposed of at"), hide_on_phone=True),
    )
