"""The end of a work order: the requester verifies (验收) and rates (评价); dispatchers or
the requester cancel; repairs nobody verifies in time are closed automatically."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import TransitionError, transition

from ..choices import OrderStatus
from ..models import RepairRequest, WorkOrder
from . import notices
from .orders import DISPATCH, WorkOrderError, _check, _move, is_follower

S = OrderStatus


def may_verify(actor: Any, order: WorkOrder, via: RepairRequest | None = None) -> bool:
    """The requester, a reporter of a joined request (signed in, or through their tracking
    link), or a dispatcher."""
    if via is not None:
        return via.work_order_id == order.pk
    return is_follower(actor, order) or has_perm_in_school(actor, DISPATCH, order.school_id)


@transaction.atomic
def work_order_verify(
    *,
    actor: Any,
    order: WorkOrder,
    accepted: bool,
    comment: str = "",
    via: RepairRequest | None = None,
) -> WorkOrder:
    """验收: accept the repair (the order completes) or send it back to the worker."""
    _check(may_verify(actor, order, via), _("Only the person who reported it can verify it."))
    _check(
        order.status == S.AWAITING_VERIFICATION, _("This order is not waiting for verification.")
    )
    if accepted:
        moved = _move(order, S.COMPLETED, actor=actor, reason=comment, closed_at=timezone.now())
        return moved
    _check(bool(comment.strip()), _("Say what is still wrong."))
    moved = _move(
        order,
        S.IN_PROGRESS,
        actor=actor,
        reason=comment.strip(),
        finished_at=None,
        resolution_seconds=None,
        resolved_on_time=None,
    )
    recipients = [moved.assignee] if moved.assignee_id else []
    notices.send(
        recipients=recipients,
        event=notices.ASSIGNED,
        title=_("%(number)s is not fixed yet: %(comment)s")
        % {"number": moved.number, "comment": comment.strip()},
        order=moved,
        actor=actor,
    )
    return moved


@transaction.atomic
def work_order_rate(
    *,
    actor: Any,
    order: WorkOrder,
    rating: int,
    comment: str = "",
    via: RepairRequest | None = None,
) -> WorkOrder:
    """评价: 1 to 5 stars with a comment, by the requester. Rating an order awaiting
    verification verifies it too."""
    _check(
        via.work_order_id == order.pk if via is not None else is_follower(actor, order),
        _("Only the person who reported it can rate it."),
    )
    _check(rating in range(1, 6), _("Give 1 to 5 stars."))
    if order.status == S.AWAITING_VERIFICATION:
        order = work_order_verify(actor=actor, order=order, accepted=True, via=via)
    _check(order.status == S.COMPLETED, _("Only a completed repair can be rated."))
    moved = _move(
        order,
        S.RATED,
        actor=actor,
        reason=comment.strip()[:500],
        rating=rating,
        rating_comment=comment.strip()[:500],
    )
    if moved.assignee_id:
        notices.send(
            recipients=[moved.assignee],
            event=notices.PROGRESS,
            title=_("%(number)s was rated %(stars)s")
            % {"number": moved.number, "stars": "★" * rating},
            body=comment.strip(),
            order=moved,
            actor=actor,
        )
    return moved


@transaction.atomic
def work_order_cancel(*, actor: Any, order: WorkOrder, reason: str) -> WorkOrder:
    """Cancel (a duplicate, a mistaken report): dispatchers, or the requester while nobody
    has started."""
    own = is_follower(actor, order) and order.status in (S.NEW, S.ASSIGNED, S.RETURNED)
    _check(
        own or has_perm_in_school(actor, DISPATCH, order.school_id),
        _("You may not cancel this order."),
    )
    _check(bool(reason.strip()), _("Say why the order is cancelled."))
    try:
        with acting_as(actor):
            moved: WorkOrder = transition(
                order,
                S.CANCELLED,
                actor=actor,
                reason=reason.strip(),
                update={"cancel_reason": reason.strip()[:200], "closed_at": timezone.now()},
                check_permission=not own,
            )
    except TransitionError as exc:
        raise WorkOrderError(str(exc)) from exc
    notices.send(
        recipients=[*notices.followers(moved), *([moved.assignee] if moved.assignee_id else [])],
        event=notices.PROGRESS,
        title=_("%(number)s was cancelled: %(reason)s")
        % {"number": moved.number, "reason": reason.strip()},
        order=moved,
        actor=actor,
    )
    return moved


@transaction.atomic
def work_order_auto_verify(*, now: datetime.datetime | None = None) -> int:
    """Close repairs nobody verified within the school's ``auto_verify_days``."""
    from ..models import MaintenanceSettings

    now = now or timezone.now()
    closed = 0
    days = dict(MaintenanceSettings.objects.values_list("school_id", "auto_verify_days"))
    waiting = WorkOrder.objects.filter(status=S.AWAITING_VERIFICATION).order_by("pk")
    for order in waiting.iterator():
        limit = datetime.timedelta(days=days.get(order.school_id, 3))
        if order.finished_at and order.finished_at + limit <= now:
            _move(
                order,
                S.COMPLETED,
                actor=None,
                reason=_("Verified automatically: nobody objected in time"),
                closed_at=now,
            )
            closed += 1
    return closed
