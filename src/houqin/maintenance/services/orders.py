"""The work order's life: open (with targets and automatic dispatch), dispatch, accept,
start, hold, return, finish with the work record, verify, rate, cancel.

Every status change goes through ``core.workflow.transition``; these services add who in
particular may act (the assigned worker or a member of the team, the requester) and keep
the clock: response and repair times are stored when each clock stops, so statistics over
millions of orders stay single SQL queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.attachments.services import attachment_upload
from houqin.core.audit import acting_as
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import TransitionError, transition

from ..choices import DONE_STATUSES, OPEN_STATUSES, HoldReason, OrderSource, OrderStatus, Urgency
from ..models import RepairCategory, RepairRequest, WorkOrder, WorkOrderPart
from . import dispatch, notices
from .people import dispatchers
from .photos import PhotoError, check_photos
from .sla import add_time, calendar_for, due_dates, settings_for, time_between

S = OrderStatus
PREFIX = "WX"
DISPATCH = "maintenance.dispatch_workorder"
WORK = "maintenance.work_workorder"


class WorkOrderError(Exception):
    """A refused operation on a work order; the message is meant for the user."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise WorkOrderError(message)


def _move(order: WorkOrder, to: str, *, actor: Any, reason: str = "", **update: Any) -> WorkOrder:
    try:
        with acting_as(actor):
            moved: WorkOrder = transition(
                order, to, actor=actor, reason=reason, update=update or None
            )
    except TransitionError as exc:
        raise WorkOrderError(str(exc)) from exc
    return moved


def _photos(actor: Any, order: WorkOrder, photos: Sequence[Any], label: str) -> None:
    if not photos:
        return
    try:
        check_photos(photos)
    except PhotoError as exc:
        raise WorkOrderError(str(exc)) from exc
    try:
        attachment_upload(actor=actor, owner=order, files=photos, description=label)
    except ValidationError as exc:
        raise WorkOrderError(" ".join(exc.messages)) from exc


def is_on_order(user: Any, order: WorkOrder) -> bool:
    """The assigned worker, or any member of the order's team."""
    if not getattr(user, "is_authenticated", False):
        return False
    if order.assignee_id == user.pk:
        return True
    team = order.team if order.team_id else None
    if team is not None:
        return team.leader_id == user.pk or team.members.filter(pk=user.pk).exists()
    return False


def is_follower(user: Any, order: WorkOrder) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if order.requester_id == user.pk:
        return True
    return RepairRequest.objects.filter(work_order=order, reporter=user).exists()


def _require_worker(actor: Any, order: WorkOrder) -> None:
    """The assigned worker (or team member) acts; a dispatcher may act for them."""
    _check(
        is_on_order(actor, order) or has_perm_in_school(actor, DISPATCH, order.school_id),
        _("Only the worker this order is dispatched to can do this."),
    )


def find_repeat(
    *, school_id: int, room_id: int | None, category_id: int, asset_id: int | None = None
) -> WorkOrder | None:
    """The latest finished order for the same room (or asset) and category inside the
    school's repeat window: a new fault there is a repeat fault."""
    if not room_id and not asset_id:
        return None
    config = settings_for(school_id)
    since = timezone.now() - datetime.timedelta(days=config.repeat_window_days)
    found = WorkOrder.objects.filter(
        school_id=school_id,
        category_id=category_id,
        status__in=DONE_STATUSES,
        finished_at__gte=since,
    )
    found = found.filter(asset_id=asset_id) if asset_id else found.filter(room_id=room_id)
    return found.order_by("-finished_at").first()


def open_duplicates(*, school_id: int, room_id: int, category_id: int) -> list[WorkOrder]:
    """Orders still open for the same room and category (已有人报修)."""
    return list(
        WorkOrder.objects.filter(
            school_id=school_id, room_id=room_id, category_id=category_id, status__in=OPEN_STATUSES
        )
        .select_related("assignee")
        .order_by("-reported_at")[:5]
    )


@transaction.atomic
def work_order_open(
    *,
    actor: Any,
    school_id: int,
    category: RepairCategory,
    title: str,
    urgency: str = Urgency.NORMAL,
    description: str = "",
    room: Any = None,
    asset: Any = None,
    requester: Any = None,
    contact_name: str = "",
    contact_phone: str = "",
    source: str = OrderSource.DIRECT,
    reported_at: datetime.datetime | None = None,
    plan: Any = None,
    campaign: Any = None,
    planned_for: datetime.date | None = None,
    plan_target: str = "",
    checklist: Iterable[str] = (),
    assignee: Any = None,
    team: Any = None,
    auto_dispatch: bool = True,
    quiet: bool = False,
) -> WorkOrder:
    """Open an order with its targets; dispatch it to ``assignee``/``team`` or by the
    school's rules. Returns the saved order (``ASSIGNED`` when somebody got it).
    ``quiet`` sends no notice: callers that open many orders at once announce them together
    (``announce_batch``)."""
    if asset is not None and room is None and asset.room_id:
        room = asset.room
    for thing, name in ((room, _("room")), (asset, _("asset")), (team, _("team"))):
        _check(
            thing is None or thing.school_id == school_id,
            _("The %(what)s belongs to another school.") % {"what": name},
        )
    config = settings_for(school_id)
    reported = reported_at or timezone.now()
    respond_due, resolve_due = due_dates(config, urgency, reported)
    order = WorkOrder(
        school_id=school_id,
        number=next_number(school_id, PREFIX, on=timezone.localdate(reported)),
        source=source,
        title=title.strip()[:200],
        description=description,
        category=category,
        urgency=urgency,
        room=room,
        building_id=room.building_id if room is not None else None,
        asset=asset,
        requester=requester if getattr(requester, "is_authenticated", False) else None,
        contact_name=contact_name,
        contact_phone=contact_phone,
        plan=plan,
        campaign=campaign,
        planned_for=planned_for,
        plan_target=plan_target,
        checklist=[{"item": str(line), "done": False, "note": ""} for line in checklist],
        reported_at=reported,
        respond_due=respond_due,
        resolve_due=resolve_due,
    )
    if source in (OrderSource.REQUEST, OrderSource.DIRECT):
        order.repeat_of = find_repeat(
            school_id=school_id,
            room_id=order.room_id,
            category_id=category.pk,
            asset_id=order.asset_id,
        )
    try:
        order.full_clean()
    except ValidationError as exc:
        raise WorkOrderError(" ".join(exc.messages)) from exc
    with acting_as(actor):
        order.save()
    worker_id = getattr(assignee, "pk", None)
    team_id = getattr(team, "pk", None)
    if worker_id is None and team_id is None and auto_dispatch:
        worker_id, team_id = dispatch.choose(
            school_id=school_id, category_id=category.pk, building_id=order.building_id
        )
    if worker_id or team_id:
        order = _dispatch(
            order, actor=actor, worker_id=worker_id, team_id=team_id, system=True, quiet=quiet
        )
    elif not quiet:
        notices.send(
            recipients=dispatchers(school_id),
            event=notices.ASSIGNED,
            title=_("To dispatch: %(number)s %(title)s")
            % {"number": order.number, "title": order.title},
            order=order,
            actor=actor,
        )
    return order


def _dispatch(
    order: WorkOrder,
    *,
    actor: Any,
    worker_id: int | None,
    team_id: int | None,
    reason: str = "",
    system: bool = False,
    quiet: bool = False,
) -> WorkOrder:
    from django.contrib.auth import get_user_model

    if worker_id is not None:
        _check(
            has_perm_in_school(get_user_model().objects.get(pk=worker_id), WORK, order.school_id),
            _("This person is not a maintenance worker of the school."),
        )
    now = timezone.now()
    update: dict[str, Any] = {
        "assignee_id": worker_id,
        "team_id": team_id,
        "assigned_at": now,
        "accepted_at": None if order.status != S.IN_PROGRESS else order.accepted_at,
    }
    try:
        with acting_as(actor):
            moved: WorkOrder = transition(
                order,
                S.ASSIGNED,
                actor=actor,
                reason=reason or (_("Dispatched by the rules") if system else ""),
                update=update,
                check_permission=not system,
            )
    except TransitionError as exc:
        raise WorkOrderError(str(exc)) from exc
    if quiet:
        return moved
    recipients: list[Any] = []
    if worker_id:
        recipients = list(get_user_model().objects.filter(pk=worker_id))
    elif moved.team is not None:
        recipients = list(moved.team.members.all())
    notices.send(
        recipients=recipients,
        event=notices.ASSIGNED,
        title=_("New work order %(number)s: %(title)s")
        % {"number": moved.number, "title": moved.title},
        body=str(moved.room or ""),
        order=moved,
        actor=actor,
    )
    return moved


def announce_batch(*, orders: Sequence[WorkOrder], source: Any, actor: Any = None) -> None:
    """One notice per worker (or team) for many orders opened at once by a plan or a
    campaign, instead of one per order; orders nobody got go to the dispatchers."""
    from django.contrib.auth import get_user_model

    by_person: dict[int, list[WorkOrder]] = {}
    nobody: list[WorkOrder] = []
    team_ids = {order.team_id for order in orders if order.team_id and not order.assignee_id}
    members: dict[int, list[int]] = {}
    if team_ids:
        from ..models import MaintenanceTeam

        for team_id, user_id in MaintenanceTeam.members.through.objects.filter(
            maintenanceteam_id__in=team_ids
        ).values_list("maintenanceteam_id", "user_id"):
            members.setdefault(team_id, []).append(user_id)
    for order in orders:
        if order.assignee_id:
            by_person.setdefault(order.assignee_id, []).append(order)
        elif order.team_id and members.get(order.team_id):
            for user_id in members[order.team_id]:
                by_person.setdefault(user_id, []).append(order)
        else:
            nobody.append(order)
    people = get_user_model().objects.in_bulk(list(by_person))
    for user_id, mine in by_person.items():
        if user_id in people:
            notices.send(
                recipients=[people[user_id]],
                event=notices.ASSIGNED,
                title=_("%(count)s new work orders from “%(source)s”")
                % {"count": len(mine), "source": source},
                order=mine[0],
                url=reverse("maintenance:my_orders"),
                actor=actor,
            )
    if nobody:
        notices.send(
            recipients=dispatchers(nobody[0].school_id),
            event=notices.ASSIGNED,
            title=_("To dispatch: %(count)s work orders from “%(source)s”")
            % {"count": len(nobody), "source": source},
            order=nobody[0],
            url=reverse("maintenance:workorder_list") + "?status=new",
            actor=actor,
        )


@transaction.atomic
def work_order_assign(
    *, actor: Any, order: WorkOrder, assignee: Any = None, team: Any = None, reason: str = ""
) -> WorkOrder:
    """Dispatch (or re-dispatch) to a worker and/or a team."""
    _check(assignee is not None or team is not None, _("Choose a worker or a team."))
    _check(
        team is None or team.school_id == order.school_id,
        _("The team belongs to another school."),
    )
    worker_id = getattr(assignee, "pk", None)
    if worker_id is None and team is not None:
        worker_id = team.leader_id
    return _dispatch(
        order,
        actor=actor,
        worker_id=worker_id,
        team_id=getattr(team, "pk", None),
        reason=reason,
    )


def _stop_response_clock(order: WorkOrder, now: datetime.datetime) -> dict[str, Any]:
    if order.accepted_at:
        return {}
    return {
        "accepted_at": now,
        "response_seconds": max(int((now - order.reported_at).total_seconds()), 0),
        "responded_on_time": now <= order.respond_due,
    }


@transaction.atomic
def work_order_accept(*, actor: Any, order: WorkOrder) -> WorkOrder:
    """The worker takes the order (接单): the response clock stops."""
    _check(order.status == S.ASSIGNED, _("Only a dispatched order can be accepted."))
    _check(not order.accepted_at, _("This order was already accepted."))
    _check(is_on_order(actor, order), _("Only the worker this order is dispatched to can do this."))
    now = timezone.now()
    update = _stop_response_clock(order, now)
    if not order.assignee_id:
        update["assignee_id"] = actor.pk
    try:
        with acting_as(actor):
            moved: WorkOrder = transition(
                order,
                S.ASSIGNED,
                actor=actor,
                reason=_("Accepted"),
                update=update,
                check_permission=False,
            )
    except TransitionError as exc:
        raise WorkOrderError(str(exc)) from exc
    notices.send(
        recipients=notices.followers(moved),
        event=notices.PROGRESS,
        title=_("%(number)s was accepted by %(worker)s")
        % {"number": moved.number, "worker": actor},
        order=moved,
        actor=actor,
    )
    return moved


def _resume_update(order: WorkOrder, now: datetime.datetime) -> dict[str, Any]:
    """Coming back from hold: the hold does not count against the repair target."""
    if order.held_at is None:
        return {}
    config = settings_for(order.school_id)
    calendar = calendar_for(config, order.urgency)
    left = time_between(calendar, order.held_at, order.resolve_due)
    held = max(int((now - order.held_at).total_seconds()), 0)
    return {
        "held_at": None,
        "hold_reason": "",
        "held_seconds": order.held_seconds + held,
        "resolve_due": max(add_time(calendar, now, left), order.resolve_due),
    }


@transaction.atomic
def work_order_start(*, actor: Any, order: WorkOrder, photos: Sequence[Any] = ()) -> WorkOrder:
    """Start (or resume) the repair; photos are the “before” pictures."""
    _require_worker(actor, order)
    now = timezone.now()
    update = {**_stop_response_clock(order, now), **_resume_update(order, now)}
    if not order.started_at:
        update["started_at"] = now
    if not order.assignee_id and getattr(actor, "is_authenticated", False):
        update["assignee_id"] = actor.pk
    moved = _move(order, S.IN_PROGRESS, actor=actor, **update)
    _photos(actor, moved, photos, _("Before repair"))
    if order.status != S.ON_HOLD:
        notices.send(
            recipients=notices.followers(moved),
            event=notices.PROGRESS,
            title=_("Repair of %(number)s has started") % {"number": moved.number},
            order=moved,
            actor=actor,
        )
    return moved


@transaction.atomic
def work_order_hold(*, actor: Any, order: WorkOrder, reason: str, note: str = "") -> WorkOrder:
    """Pause (挂起): waiting for parts or a contractor; the repair clock pauses."""
    _require_worker(actor, order)
    _check(reason in HoldReason.values, _("Choose why the order waits."))
    now = timezone.now()
    update = {**_stop_response_clock(order, now), "held_at": now, "hold_reason": reason}
    label = str(HoldReason(reason).label)
    moved = _move(order, S.ON_HOLD, actor=actor, reason=f"{label} {note}".strip(), **update)
    notices.send(
        recipients=notices.followers(moved),
        event=notices.PROGRESS,
        title=_("%(number)s is on hold: %(reason)s") % {"number": moved.number, "reason": label},
        body=note,
        order=moved,
        actor=actor,
    )
    return moved


@transaction.atomic
def work_order_return(*, actor: Any, order: WorkOrder, reason: str) -> WorkOrder:
    """The worker hands the order back to the dispatcher (not theirs, cannot do it)."""
    _require_worker(actor, order)
    _check(bool(reason.strip()), _("Say why the order goes back."))
    moved = _move(
        order,
        S.RETURNED,
        actor=actor,
        reason=reason.strip(),
        assignee_id=None,
        team_id=None,
        accepted_at=None,
    )
    notices.send(
        recipients=dispatchers(order.school_id),
        event=notices.RETURNED,
        title=_("%(number)s was returned: %(reason)s")
        % {"number": moved.number, "reason": reason.strip()},
        order=moved,
        actor=actor,
    )
    return moved


def _replace_parts(order: WorkOrder, parts: Iterable[dict[str, Any]]) -> Decimal:
    order.parts.all().delete()
    rows: list[WorkOrderPart] = []
    for line in parts:
        part = WorkOrderPart(
            school_id=order.school_id,
            work_order=order,
            name=str(line.get("name", "")).strip(),
            specification=str(line.get("specification", "") or "").strip(),
            quantity=Decimal(str(line.get("quantity") or 1)),
            unit=str(line.get("unit") or "个").strip(),
            unit_price=Decimal(str(line.get("unit_price") or 0)),
            stock_item_id=line.get("stock_item_id"),
        )
        part.amount = (part.quantity * part.unit_price).quantize(Decimal("0.01"))
        try:
            part.full_clean(exclude=["work_order"])
        except ValidationError as exc:
            raise WorkOrderError(
                _("Part “%(name)s”: %(error)s")
                % {"name": part.name or "?", "error": " ".join(exc.messages)}
            ) from exc
        rows.append(part)
    WorkOrderPart.objects.bulk_create(rows)
    return sum((part.amount for part in rows), Decimal("0"))


@transaction.atomic
def work_order_finish(
    *,
    actor: Any,
    order: WorkOrder,
    work_notes: str,
    labour_minutes: int = 0,
    parts: Iterable[dict[str, Any]] = (),
    contractor: str = "",
    contractor_cost: Decimal = Decimal("0"),
    photos: Sequence[Any] = (),
    checklist: Sequence[dict[str, Any]] | None = None,
) -> WorkOrder:
    """Record the work and finish: to the requester for verification, or closed at once
    when nobody requested it (a preventive or campaign order)."""
    _require_worker(actor, order)
    _check(order.status == S.IN_PROGRESS, _("Start the order before finishing it."))
    _check(bool(work_notes.strip()), _("Describe the work done."))
    _check(labour_minutes >= 0, _("Labour time cannot be negative."))
    _check(contractor_cost >= 0, _("The contractor cost cannot be negative."))
    from .parts_store import take_from_store

    parts_cost = _replace_parts(order, take_from_store(actor=actor, order=order, parts=parts))
    config = settings_for(order.school_id)
    labour_cost = (Decimal(labour_minutes) / 60 * config.labour_rate).quantize(Decimal("0.01"))
    now = timezone.now()
    has_requester = order.requester_id is not None or order.requests.exists()
    target = S.AWAITING_VERIFICATION if has_requester else S.COMPLETED
    update: dict[str, Any] = {
        "work_notes": work_notes.strip(),
        "labour_minutes": labour_minutes,
        "contractor": contractor.strip(),
        "contractor_cost": contractor_cost,
        "parts_cost": parts_cost,
        "labour_cost": labour_cost,
        "total_cost": parts_cost + contractor_cost + labour_cost,
        "finished_at": now,
        "resolution_seconds": max(int((now - order.reported_at).total_seconds()), 0),
        "resolved_on_time": now <= order.resolve_due,
    }
    if checklist is not None:
        update["checklist"] = [
            {
                "item": str(row.get("item", "")),
                "done": bool(row.get("done")),
                "note": str(row.get("note", ""))[:200],
            }
            for row in checklist
        ]
    if target == S.COMPLETED:
        update["closed_at"] = now
    moved = _move(order, target, actor=actor, **update)
    _photos(actor, moved, photos, _("After repair"))
    notices.send(
        recipients=notices.followers(moved),
        event=notices.PROGRESS,
        title=_("%(number)s is repaired: please check and rate it") % {"number": moved.number},
        body=work_notes.strip(),
        order=moved,
        actor=actor,
    )
    return moved
