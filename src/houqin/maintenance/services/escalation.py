"""Escalation of overdue work orders (超时升级): the scheduled job behind “an overdue order
escalates by itself”.

An open order not accepted by its respond-by time is raised to ``RESPONSE``; one not
finished by its repair-by time to ``RESOLUTION`` (an order on hold waits for parts or a
contractor, so its repair clock is paused and it is not escalated for the repair while it
waits). The level is never lowered and each level is announced once, to the school's
dispatchers (the director) and the assigned worker.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as

from ..choices import OPEN_STATUSES, EscalationLevel, OrderStatus
from ..models import WorkOrder
from . import notices
from .people import dispatchers

L = EscalationLevel


def overdue_q(now: datetime.datetime) -> Q:
    """Open orders whose escalation level is below what their clocks call for."""
    response = Q(escalation_level__lt=L.RESPONSE, accepted_at__isnull=True, respond_due__lt=now)
    resolution = Q(
        escalation_level__lt=L.RESOLUTION, finished_at__isnull=True, resolve_due__lt=now
    ) & ~Q(status=OrderStatus.ON_HOLD)
    return Q(status__in=OPEN_STATUSES) & (response | resolution)


def level_due(order: WorkOrder, now: datetime.datetime) -> int:
    """The escalation level the order's clocks call for at ``now`` (never below its own)."""
    level = L.NONE
    if order.status not in OPEN_STATUSES:
        return int(order.escalation_level)
    if order.accepted_at is None and order.respond_due < now:
        level = L.RESPONSE
    if (
        order.finished_at is None
        and order.resolve_due < now
        and order.status != OrderStatus.ON_HOLD
    ):
        level = L.RESOLUTION
    return max(int(level), int(order.escalation_level))


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Raise every overdue open order to its due level and notify once per level.

    Returns the number of orders escalated. One query finds the candidates; only the
    orders that change are locked, saved (audited, by the system) and announced.
    """
    moment = now or timezone.now()
    candidates = list(WorkOrder.objects.filter(overdue_q(moment)).values_list("pk", flat=True))
    people: dict[int, list[Any]] = {}
    escalated = 0
    for pk in candidates:
        if _escalate_one(pk, moment, people):
            escalated += 1
    return escalated


@transaction.atomic
def _escalate_one(pk: int, now: datetime.datetime, people: dict[int, list[Any]]) -> bool:
    order = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("assignee", "room__building")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        return False
    level = level_due(order, now)
    if level <= order.escalation_level:
        return False  # somebody acted (or another run escalated) since the candidates query
    order.escalation_level = level
    order.escalated_at = now
    with acting_as(None):
        order.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
    if order.school_id not in people:
        people[order.school_id] = list(dispatchers(order.school_id))
    recipients = {user.pk: user for user in people[order.school_id]}
    if order.assignee is not None and order.assignee.is_active:
        recipients.setdefault(order.assignee.pk, order.assignee)
    notices.send(
        recipients=recipients.values(),
        event=notices.ESCALATED,
        title=_title(order),
        body=_body(order),
        order=order,
    )
    return True


def _title(order: WorkOrder) -> str:
    if order.escalation_level >= L.RESOLUTION:
        text = _("Repair overdue: %(number)s %(title)s")
    else:
        text = _("Not accepted in time: %(number)s %(title)s")
    return text % {"number": order.number, "title": order.title}


def _body(order: WorkOrder) -> str:
    if order.escalation_level >= L.RESOLUTION:
        due = order.resolve_due
        text = _("%(place)s: to be repaired by %(due)s.")
    else:
        due = order.respond_due
        text = _("%(place)s: to be accepted by %(due)s.")
    shown = date_format(timezone.localtime(due), "SHORT_DATETIME_FORMAT")
    return text % {"place": order.room or "—", "due": shown}
