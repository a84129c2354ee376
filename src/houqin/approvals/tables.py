from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class ChainTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("request_type", _("request type"), accessor=lambda c: c.get_request_type_display()),
        Column("step_count", _("steps"), align_end=True),
        Column("is_active", _("active")),
        Column(
            "school",
            _("school"),
            accessor="school.name",
            order_by="school__name",
            hide_on_phone=True,
        ),
    )


class RequestTable(Table):
    columns = (
        Column("title", _("title"), link=True),
        Column(
            "request_type",
            _("request type"),
            accessor=lambda r: r.get_request_type_display(),
            hide_on_phone=True,
        ),
        Column("amount", _("amount (yuan)"), align_end=True),
        Column(
            "requester",
            _("requester"),
            accessor="requester",
            order_by="requester__real_name",
            hide_on_phone=True,
        ),
        Column("status", _("status")),
        Column("submitted_at", _("submitted at"), hide_on_phone=True),
    )
