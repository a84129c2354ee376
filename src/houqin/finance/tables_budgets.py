"""Tables of budgets: lines (with money columns computed in SQL), adjustments, entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class BudgetLineTable(Table):
    columns = (
        Column(
            "department",
            _("department"),
            accessor="department.name",
            link=True,
            order_by=("department__sort_order", "department__name"),
        ),
        Column("category", _("category")),
        Column(
            "school_year",
            _("school year"),
            accessor="school_year.name",
            order_by="-school_year__start",
            hide_on_phone=True,
        ),
        Column("amount", _("budget (yuan)"), align_end=True, hide_on_phone=True),
        Column("committed", _("committed (yuan)"), align_end=True, hide_on_phone=True),
        Column("spent", _("spent (yuan)"), align_end=True, hide_on_phone=True),
        Column("available_sql", _("available (yuan)"), align_end=True),
        Column("used", _("used (%)"), accessor="used_percent", order_by="used_sql", align_end=True),
    )


class AdjustmentTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("line", _("budget line"), sortable=False),
        Column("delta", _("change (yuan)"), align_end=True),
        Column("status", _("status")),
        Column("requester", _("requester"), order_by="requester__real_name", hide_on_phone=True),
        Column("created_at", _("created at"), hide_on_phone=True),
    )


class LineAdjustmentTable(Table):
    """The adjustments of one line (on its page)."""

    columns = (
        Column("number", _("number"), link=True),
        Column("delta", _("change (yuan)"), align_end=True),
        Column("status", _("status")),
        Column("requester", _("requester"), hide_on_phone=True),
        Column("created_at", _("created at"), hide_on_phone=True),
    )
