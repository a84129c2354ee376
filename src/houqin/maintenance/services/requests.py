"""Reporting a repair (报修): the staff form, the no-login QR portal and the API all submit
through ``repair_request_submit``; the director triages portal requests when the school
asks for it (``repair_request_triage``).

A request becomes a work order at once (dispatched by the school's rules), joins an open
order somebody reported before (已有人报修), or waits for triage. Photos are checked by
their content; one refused photo refuses the whole request and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.attachments.services import attachment_upload
from houqin.core.audit import acting_as
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import TransitionError, transition

from ..choices import OPEN_STATUSES, Channel, OrderSource, RequestStatus, Urgency
from ..models import RepairCategory, RepairRequest, WorkOrder
from . import notices
from .orders import WorkOrderError, work_order_open
from .people import holders
from .photos import PhotoError, check_photos
from .sla import settings_for

R = RequestStatus
PREFIX = "BX"
ADD = "maintenance.add_repairrequest"
VIEW = "maintenance.view_repairrequest"
TRIAGE = "maintenance.triage_repairrequest"
MAX_DESCRIPTION = 2000
#: How far back the portal's rate limits look.
LIMIT_WINDOW = datetime.timedelta(hours=1)


class RequestError(Exception):
    """A refused request; the message is meant for the user."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def _check(condition: bool, message: str, code: str = "invalid") -> None:
    if not condition:
        raise RequestError(message, code=code)


def _check_photos(photos: Sequence[Any]) -> None:
    """Cheap checks before anything is saved: how many, how large, and images only. The
    full content check (decoding, re-encoding) runs when they are stored."""
    try:
        check_photos(photos)
    except PhotoError as exc:
        raise RequestError(str(exc), code=exc.code) from exc


def _store_photos(actor: Any, request: RepairRequest, photos: Sequence[Any]) -> None:
    if not photos:
        return
    try:
        attachment_upload(actor=actor, owner=request, files=photos, description=_("Reported"))
    except ValidationError as exc:
        code = "too_large" if any(e.code == "size" for e in exc.error_list) else "bad_photo"
        raise RequestError(" ".join(exc.messages), code=code) from exc


def _check_portal(school_id: int, room_id: int, source_address: str | None) -> None:
    """The portal is open, and neither this address nor this room has sent too much."""
    config = settings_for(school_id)
    _check(
        config.portal_enabled,
        _("Reporting by QR code is closed at this school. Please tell the logistics office."),
        "closed",
    )
    since = timezone.now() - LIMIT_WINDOW
    recent = RepairRequest.objects.filter(channel=Channel.PORTAL, created_at__gte=since)
    if source_address:
        sent = recent.filter(source_address=source_address).count()
        _check(
            sent < config.portal_limit_per_address,
            _(
                "Too many reports from this device in the last hour. Please try again later "
                "or tell the logistics office."
            ),
            "rate_limited",
        )
    _check(
        recent.filter(room_id=room_id).count() < config.portal_limit_per_room,
        _(
            "This room has already been reported many times in the last hour. The logistics "
            "office knows; please try again later."
        ),
        "rate_limited",
    )


def _title(category: RepairCategory, description: str) -> str:
    first = " ".join(description.split())
    short = first if len(first) <= 40 else f"{first[:39]}…"
    return f"{category.name}：{short}"


def _open_order(actor: Any, request: RepairRequest) -> WorkOrder:
    try:
        opened: WorkOrder = work_order_open(
            actor=actor,
            school_id=request.school_id,
            category=request.category,
            title=_title(request.category, request.description),
            urgency=request.urgency,
            description=request.description,
            room=request.room,
            asset=request.asset,
            requester=request.reporter,
            contact_name=request.reporter_name,
            contact_phone=request.phone,
            source=OrderSource.REQUEST,
            reported_at=request.created_at,
        )
    except WorkOrderError as exc:
        raise RequestError(str(exc)) from exc
    return opened


def _joinable(order: Any, school_id: int) -> WorkOrder:
    found: WorkOrder | None = (
        WorkOrder.objects.filter(
            pk=getattr(order, "pk", order), school_id=school_id, status__in=OPEN_STATUSES
        )
        .select_related("school")
        .first()
    )
    _check(
        found is not None,
        _("That work order is finished or not of this school: it cannot be joined."),
    )
    assert found is not None
    return found


@transaction.atomic
def repair_request_submit(
    *,
    actor: Any,
    school_id: int,
    room: Any,
    category: RepairCategory | None,
    description: str,
    urgency: str = Urgency.NORMAL,
    asset: Any = None,
    reporter_name: str = "",
    reporter_unit: str = "",
    phone: str = "",
    photos: Sequence[Any] = (),
    channel: str = Channel.STAFF,
    source_address: str | None = None,
    join_order: Any = None,
) -> RepairRequest:
    """Save a repair request and open (or join) its work order. ``photos`` are uploaded
    files or file-like objects with a ``name``. Raises ``RequestError``."""
    photos = list(photos or ())
    signed_in = getattr(actor, "is_authenticated", False)
    member = signed_in and has_perm_in_school(actor, ADD, school_id)
    _check(channel in Channel.values, _("Unknown channel."))
    if channel != Channel.PORTAL:
        _check(member, _("You may not report repairs at this school."), "forbidden")
    _check(asset is None or asset.school_id == school_id, _("Choose an asset of this school."))
    if room is None and asset is not None and asset.room_id:
        room = asset.room
    _check(room is not None, _("Choose the room where the fault is."), "room")
    _check(room.school_id == school_id, _("Choose a room of this school."), "room")
    _check(
        asset is None or not asset.room_id or asset.room_id == room.pk,
        _("The asset is not in this room."),
        "asset",
    )
    _check(
        category is not None and category.is_active,
        _("Choose what kind of fault it is."),
        "category",
    )
    assert category is not None
    description = (description or "").strip()
    _check(bool(description), _("Describe what is wrong."), "description")
    _check(
        len(description) <= MAX_DESCRIPTION,
        _("Keep the description under %(n)s characters.") % {"n": MAX_DESCRIPTION},
        "description",
    )
    _check(urgency in Urgency.values, _("Choose how urgent it is."), "urgency")
    reporter_name = (reporter_name or "").strip() or (str(actor) if signed_in else "")
    _check(bool(reporter_name), _("Enter your name."), "reporter_name")
    _check(len(reporter_name) <= 50, _("The name is too long."), "reporter_name")
    _check(len(reporter_unit.strip()) <= 100, _("The class or department is too long."))
    phone = (phone or "").strip()
    phone_ok = len(phone) <= 30 and all(c.isdigit() or c in "+- ()" for c in phone)
    _check(
        not phone or (phone_ok and sum(c.isdigit() for c in phone) >= 5),
        _("Enter a phone number of digits only, for example 13800138000."),
        "phone",
    )
    _check_photos(photos)
    joined = _joinable(join_order, school_id) if join_order is not None else None
    if channel == Channel.PORTAL:
        # One portal request at a time per room, so the room's limit holds under a surge.
        type(room)._default_manager.select_for_update().filter(pk=room.pk).first()
        _check_portal(school_id, room.pk, source_address)
    needs_triage = (
        joined is None and channel == Channel.PORTAL and settings_for(school_id).portal_needs_triage
    )
    status = R.JOINED if joined is not None else R.TRIAGE if needs_triage else R.OPEN
    request = RepairRequest(
        school_id=school_id,
        number=next_number(school_id, PREFIX),
        channel=channel,
        status=status,
        reporter=actor if member else None,
        reporter_name=reporter_name,
        reporter_unit=reporter_unit.strip(),
        phone=phone,
        room=room,
        asset=asset,
        category=category,
        description=description,
        urgency=urgency,
        work_order=joined,
        source_address=source_address or None,
    )
    try:
        request.full_clean()
    except ValidationError as exc:
        raise RequestError(" ".join(exc.messages)) from exc
    with acting_as(actor):
        request.save()
    if status == R.OPEN:
        order = _open_order(actor, request)
        request.work_order = order
        with acting_as(actor):
            request.save(update_fields=["work_order"])
    elif status == R.TRIAGE:
        notices.send(
            recipients=holders(school_id, TRIAGE),
            event=notices.TRIAGE,
            title=_("To triage: %(number)s %(room)s %(category)s")
            % {"number": request.number, "room": room, "category": category.name},
            body=description[:200],
            order=request,
            actor=actor,
        )
    _store_photos(actor, request, photos)
    return request


def _move(request: RepairRequest, to: str, *, actor: Any, reason: str = "", **update: Any) -> Any:
    try:
        with acting_as(actor):
            return transition(request, to, actor=actor, reason=reason, update=update or None)
    except TransitionError as exc:
        raise RequestError(str(exc)) from exc


@transaction.atomic
def repair_request_triage(
    *,
    actor: Any,
    request: RepairRequest,
    decision: str,
    reason: str = "",
    order: Any = None,
) -> RepairRequest:
    """The director's decision on a portal request: ``accept`` (the work order is opened and
    dispatched), ``reject`` (with a reason) or ``join`` (to an open ``order``)."""
    _check(
        has_perm_in_school(actor, TRIAGE, request.school_id),
        _("You may not triage repair requests."),
        "forbidden",
    )
    _check(request.status == R.TRIAGE, _("This request is not waiting for triage."))
    reason = (reason or "").strip()
    if decision == "accept":
        moved: RepairRequest = _move(request, R.OPEN, actor=actor, reason=reason)
        moved.work_order = _open_order(actor, moved)
        with acting_as(actor):
            moved.save(update_fields=["work_order"])
        return moved
    if decision == "reject":
        _check(bool(reason), _("Say why the request is rejected."), "reason")
        _check(len(reason) <= 200, _("Keep the reason under 200 characters."), "reason")
        moved = _move(request, R.REJECTED, actor=actor, reason=reason, reject_reason=reason)
        if moved.reporter_id:
            notices.send(
                recipients=[moved.reporter],
                event=notices.PROGRESS,
                title=_("%(number)s was not accepted: %(reason)s")
                % {"number": moved.number, "reason": reason},
                order=moved,
                actor=actor,
            )
        return moved
    if decision == "join":
        _check(order is not None, _("Choose the work order to join."), "order")
        target = _joinable(order, request.school_id)
        return _move(  # type: ignore[no-any-return]
            request, R.JOINED, actor=actor, reason=reason or target.number, work_order=target
        )
    raise RequestError(_("Unknown decision."))
