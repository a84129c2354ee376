"""Notices of the maintenance module: who hears about a work order, and when."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from houqin.notifications import events

ASSIGNED = "maintenance.assigned"
PROGRESS = "maintenance.progress"
ESCALATED = "maintenance.escalated"
TRIAGE = "maintenance.triage"
RETURNED = "maintenance.returned"

events.register(ASSIGNED, _("A work order was dispatched to you"))
events.register(PROGRESS, _("A repair you reported moved on"))
events.register(ESCALATED, _("A work order is overdue"))
events.register(TRIAGE, _("A repair request waits for triage"))
events.register(RETURNED, _("A worker returned a work order"))


def followers(order: Any) -> list[Any]:
    """The requester and every signed-in reporter of the requests joined to the order."""
    from ..models import RepairRequest

    ids = set(
        RepairRequest.objects.filter(work_order=order, reporter__isnull=False).values_list(
            "reporter_id", flat=True
        )
    )
    if order.requester_id:
        ids.add(order.requester_id)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def send(
    *,
    recipients: Any,
    event: str,
    title: Any,
    body: Any = "",
    order: Any,
    actor: Any = None,
    url: str = "",
) -> None:
    """Notify after the surrounding transaction commits (linking to ``url``, by default the
    order's page)."""
    from houqin.notifications.services import notify

    people = list(recipients)
    if not people:
        return
    actor = actor if getattr(actor, "is_authenticated", False) else None
    transaction.on_commit(
        lambda: notify(
            recipients=people,
            event=event,
            title=str(title),
            body=str(body),
            url=url or order.get_absolute_url(),
            obj=order,
            school=order.school_id,
            actor=actor,
        )
    )
