from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


class WebhookEndpointTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("kind", _("kind")),
        Column(
            "school",
            _("school"),
            accessor="school.name",
            order_by="school__name",
            hide_on_phone=True,
        ),
        Column("masked_url", _("webhook address"), sortable=False, hide_on_phone=True),
        Column(
            "events",
            _("events"),
            accessor=lambda o: o.events_display(),
            sortable=False,
            hide_on_phone=True,
        ),
        Column("is_active", _("active")),
    )


def _short_error(delivery: object) -> str:
    text = str(getattr(delivery, "last_error", ""))
    return text if len(text) <= 60 else f"{text[:59]}…"


class DeliveryTable(Table):
    columns = (
        Column("created_at", _("time"), link=True),
        Column("channel", _("channel")),
        Column("event", _("event"), accessor="event_label", order_by="event", hide_on_phone=True),
        Column("target", _("to")),
        Column("status", _("status")),
        Column("attempts", _("attempts"), align_end=True, hide_on_phone=True),
        Column("response_status", _("HTTP status"), align_end=True, hide_on_phone=True),
        Column(
            "last_error", _("last error"), accessor=_short_error, sortable=False, hide_on_phone=True
        ),
    )
