"""Holiday campaigns (假期集中维修): one job template turned into a work order per room,
followed building by building.

Launch (draft → under way) opens one order per room, dispatched by the school's rules (or
to nobody, for the dispatcher), reported at the start of the campaign's first day (or now
if that has passed), urgency “planned”. Close (under way → closed) refuses while orders are
open, unless forced with a reason: the open orders are then cancelled with that reason.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.workflow import TransitionError, transition

from ..choices import DONE_STATUSES, CampaignStatus, OrderSource, OrderStatus, Urgency
from ..models import Campaign, WorkOrder
from .closing import work_order_cancel
from .orders import announce_batch, work_order_open

C = CampaignStatus
S = OrderStatus
#: Orders somebody is working on (accepted or started, or waiting for parts).
WORKING = (S.IN_PROGRESS, S.ON_HOLD)
#: Orders nobody has started.
NOT_STARTED = (S.NEW, S.ASSIGNED, S.RETURNED)


class CampaignError(Exception):
    """A refused operation on a campaign; the message is meant for the user."""


def _move(campaign: Campaign, to: str, *, actor: Any, reason: str = "", **update: Any) -> None:
    try:
        with acting_as(actor):
            transition(campaign, to, actor=actor, reason=reason, update=update or None)
    except TransitionError as exc:
        raise CampaignError(str(exc)) from exc


@transaction.atomic
def campaign_launch(*, actor: Any, campaign: Campaign) -> int:
    """Open one order per room of the campaign; returns how many."""
    rooms = list(
        campaign.rooms.select_related("building").order_by("building__name", "floor", "number")
    )
    if not rooms:
        raise CampaignError(_("Choose the rooms of the campaign first."))
    now = timezone.now()
    # The transition locks the campaign row: a second launch waits, then is refused.
    _move(campaign, C.ACTIVE, actor=actor, launched_at=now)
    if WorkOrder.objects.filter(campaign=campaign).exists():
        raise CampaignError(_("This campaign already has its orders."))
    first_day = timezone.make_aware(
        datetime.datetime.combine(campaign.start_date, datetime.time.min)
    )
    reported = max(first_day, now)
    checklist = [str(line) for line in campaign.checklist or []]
    opened = []
    for room in rooms:
        order = work_order_open(
            actor=actor,
            school_id=campaign.school_id,
            category=campaign.category,
            title=campaign.title,
            urgency=Urgency.PLANNED,
            description=campaign.description,
            room=room,
            source=OrderSource.CAMPAIGN,
            reported_at=reported,
            campaign=campaign,
            planned_for=campaign.start_date,
            checklist=checklist,
            quiet=True,
        )
        opened.append(order)
    announce_batch(orders=opened, source=campaign.name, actor=actor)
    return len(rooms)


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign, force: bool = False, reason: str = "") -> int:
    """Close the campaign; with ``force`` the open orders are cancelled with ``reason``.
    Returns how many orders were cancelled."""
    if campaign.status != C.ACTIVE:
        raise CampaignError(_("Only a campaign under way can be closed."))
    still_open = list(
        WorkOrder.objects.filter(campaign=campaign).open().order_by("pk").select_for_update()
    )
    if still_open and not force:
        raise CampaignError(
            _(
                "%(count)s orders are still open. Finish them, or close anyway to cancel them "
                "(with a reason)."
            )
            % {"count": len(still_open)}
        )
    reason = reason.strip()
    if still_open and not reason:
        raise CampaignError(_("Say why the open orders are cancelled."))
    for order in still_open:
        work_order_cancel(actor=actor, order=order, reason=reason)
    _move(campaign, C.CLOSED, actor=actor, reason=reason)
    return len(still_open)


def campaign_progress(campaign: Campaign) -> dict[str, Any]:
    """Per building: rooms, done, in progress, not started, cancelled and % done (of the
    orders not cancelled). One GROUP BY over the orders; before launch, over the chosen
    rooms (nothing started yet)."""
    if campaign.status == C.DRAFT:
        rows = (
            campaign.rooms.values("building_id", "building__name")
            .annotate(rooms=Count("pk"))
            .order_by("building__name")
        )
        buildings = [
            {
                "building": row["building__name"],
                "rooms": row["rooms"],
                "done": 0,
                "working": 0,
                "waiting": row["rooms"],
                "cancelled": 0,
            }
            for row in rows
        ]
    else:
        rows = (
            WorkOrder.objects.filter(campaign=campaign)
            .values("building_id", "building__name")
            .annotate(
                rooms=Count("pk"),
                done=Count("pk", filter=Q(status__in=DONE_STATUSES)),
                working=Count("pk", filter=Q(status__in=WORKING)),
                waiting=Count("pk", filter=Q(status__in=NOT_STARTED)),
                cancelled=Count("pk", filter=Q(status=S.CANCELLED)),
            )
            .order_by("building__name")
        )
        buildings = [
            {
                "building": row["building__name"] or "—",
                **{k: row[k] for k in ("rooms", "done", "working", "waiting", "cancelled")},
            }
            for row in rows
        ]
    for row in buildings:
        row["percent"] = _percent(row["done"], row["rooms"] - row["cancelled"])
    total = {
        key: sum(row[key] for row in buildings)
        for key in ("rooms", "done", "working", "waiting", "cancelled")
    }
    total["percent"] = _percent(total["done"], total["rooms"] - total["cancelled"])
    return {"buildings": buildings, "total": total}


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole > 0 else 0


def chart_data(progress: dict[str, Any]) -> dict[str, Any]:
    """The ECharts series of the progress (a stacked bar per building)."""
    rows = progress["buildings"]
    return {
        "buildings": [row["building"] for row in rows],
        "series": [
            {"name": _("Done"), "key": "done", "data": [row["done"] for row in rows]},
            {"name": _("In progress"), "key": "working", "data": [row["working"] for row in rows]},
            {"name": _("Not started"), "key": "waiting", "data": [row["waiting"] for row in rows]},
        ],
    }
