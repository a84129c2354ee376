"""The stocktake list."""

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class StocktakeTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("name", _("name")),
        Column("status", _("status")),
        Column("scope", _("scope"), hide_on_phone=True),
        Column(
            "target",
            _("what is counted"),
            accessor=lambda st: st.building or st.department or st.category or "",
            sortable=False,
            hide_on_phone=True,
        ),
        Column(
            "created_by",
            _("started by"),
            accessor="created_by",
            order_by="created_by__real_name",
            hide_on_phone=True,
        ),
        Column("created_at", _("started at"), hide_on_phone=True),
    )
