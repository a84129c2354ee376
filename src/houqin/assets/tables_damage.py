"""Tables of damage reports and of the compensation price list."""

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table

from .services.damage import amount_due


class DamageReportTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("item", _("item"), accessor="item_label", order_by="item_name"),
        Column("status", _("status")),
        Column(
            "amount",
            _("amount due (yuan)"),
            accessor=amount_due,
            order_by="assessed_amount",
            align_end=True,
        ),
        Column(
            "responsible",
            _("responsible party"),
            accessor="responsible_label",
            order_by="responsible_kind",
            hide_on_phone=True,
        ),
        Column(
            "room",
            _("room"),
            accessor="room",
            order_by=("room__building__name", "room__number"),
            hide_on_phone=True,
        ),
        Column("occurred_at", _("when it happened"), hide_on_phone=True),
    )


class PriceItemTable(Table):
    columns = (
        Column("name", _("item"), link=True),
        Column("price", _("price (yuan)"), align_end=True),
        Column("unit", _("unit")),
        Column("notes", _("notes"), sortable=False, hide_on_phone=True),
        Column("is_active", _("in use"), hide_on_phone=True),
    )
