"""Tables of purchase requests and of accepted assets waiting for their card (待建卡)."""

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class PurchaseRequestTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("title", _("title"), link=True, sortable=False),
        Column("status", _("status")),
        Column(
            "department", _("department"), order_by=("department__sort_order", "department__name")
        ),
        Column("estimated_total", _("estimated total (yuan)"), align_end=True),
        Column("category", _("category"), hide_on_phone=True),
        Column("requester", _("requester"), order_by="requester__real_name", hide_on_phone=True),
        Column("needed_by", _("needed by"), hide_on_phone=True),
        Column("created_at", _("created at"), hide_on_phone=True),
    )


class AssetIntakeTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("quantity", _("quantity"), align_end=True),
        Column("unit_price", _("unit price (yuan)"), align_end=True, hide_on_phone=True),
        # Waiting ones first, the latest deliveries first within each status.
        Column("status", _("status"), order_by=("status", "received_on")),
        Column("specification", _("specification"), sortable=False, hide_on_phone=True),
        Column("department", _("department"), order_by="department__name", hide_on_phone=True),
        Column("supplier_name", _("supplier"), hide_on_phone=True),
        Column(
            "acceptance",
            _("acceptance"),
            accessor="acceptance_line.acceptance.number",
            order_by="acceptance_line__acceptance__number",
            hide_on_phone=True,
        ),
        Column("received_on", _("received on"), hide_on_phone=True),
        Column("asset", _("asset card"), accessor="asset.code", order_by="asset__code"),
    )
