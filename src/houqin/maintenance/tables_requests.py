"""The table of repair requests (报修记录)."""

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class RepairRequestTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("created_at", _("reported at")),
        Column("status", _("status")),
        Column("category", _("category"), order_by="category__sort_order"),
        Column(
            "room",
            _("room"),
            order_by=("room__building__name", "room__number"),
        ),
        Column("description", _("what is wrong"), sortable=False, hide_on_phone=True),
        Column("reporter_name", _("reported by"), hide_on_phone=True),
        Column("channel", _("channel"), hide_on_phone=True),
        Column(
            "order",
            _("work order"),
            accessor="work_order.number",
            order_by="work_order__number",
            hide_on_phone=True,
        ),
        Column(
            "order_status",
            _("order status"),
            accessor="work_order.status",
            order_by="work_order__status",
            hide_on_phone=True,
        ),
    )
