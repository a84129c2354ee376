"""Tables of suppliers and their qualifications."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.tables import Column, Table


def qualification_state(supplier: Any) -> str:
    expired = getattr(supplier, "expired_count", 0) or 0
    expiring = (getattr(supplier, "expiring_count", 0) or 0) - expired
    parts = []
    if expired:
        parts.append(_("%(n)s expired") % {"n": expired})
    if expiring:
        parts.append(_("%(n)s expiring") % {"n": expiring})
    return "、".join(parts)


class SupplierTable(Table):
    columns = (
        Column("name", gettext_lazy("name"), link=True),
        Column("credit_code", gettext_lazy("unified social credit code"), hide_on_phone=True),
        Column("supplies", gettext_lazy("what they supply"), hide_on_phone=True),
        Column("contact_person", gettext_lazy("contact person"), hide_on_phone=True),
        Column("phone", gettext_lazy("phone"), sortable=False),
        Column("rating", gettext_lazy("rating"), align_end=True),
        Column(
            "order_count",
            gettext_lazy("orders"),
            order_by="order_count",
            align_end=True,
            hide_on_phone=True,
        ),
        Column(
            "order_amount",
            gettext_lazy("ordered (yuan)"),
            order_by="order_amount",
            align_end=True,
            hide_on_phone=True,
        ),
        Column(
            "qualifications",
            gettext_lazy("qualifications"),
            accessor=qualification_state,
            order_by="-expiring_count",
            hide_on_phone=True,
        ),
        Column("is_active", gettext_lazy("active"), hide_on_phone=True),
    )


class QualificationTable(Table):
    columns = (
        Column("kind", gettext_lazy("kind")),
        Column("number", gettext_lazy("certificate number")),
        Column("issued_by", gettext_lazy("issued by"), hide_on_phone=True),
        Column("valid_until", gettext_lazy("valid until")),
    )
