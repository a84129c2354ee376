"""Tables of transfers and loans."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class TransferTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("reason", _("reason"), sortable=False),
        Column("status", _("status")),
        Column("total_value", _("value (yuan)"), align_end=True, hide_on_phone=True),
        Column(
            "to_room",
            _("to room"),
            accessor="to_room",
            order_by=("to_room__building__name", "to_room__number"),
            hide_on_phone=True,
        ),
        Column(
            "to_department",
            _("to department"),
            accessor="to_department.name",
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


class LoanTable(Table):
    columns = (
        Column("number", _("number"), link=True),
        Column("asset", _("asset"), accessor="asset", order_by="asset__code"),
        Column(
            "borrower", _("borrower"), accessor=lambda loan: loan.borrower_label, sortable=False
        ),
        Column("due_date", _("due date")),
        Column("status", _("status"), accessor=lambda loan: loan_state(loan), sortable=False),
        Column("department", _("department"), accessor="department.name", hide_on_phone=True),
        Column("lent_at", _("lent at"), hide_on_phone=True),
        Column("returned_at", _("returned at"), hide_on_phone=True),
    )


def loan_state(loan: object) -> str:
    from django.utils.translation import gettext as gettext_now

    if getattr(loan, "is_overdue", False):
        return gettext_now("Overdue")
    return str(loan.get_status_display())  # type: ignore[attr-defined]
