"""Stocktakes (盘点): start over a scope, count room by room, reconcile, apply in one step.

Starting writes one line per active asset of the scope in bulk; counting marks lines (by a tick
or by scanning the asset's label); finishing turns what was not seen into "missing"; applying
corrects the register in one atomic step (moves, losses, repairs) with a ledger row and an audit
row per changed card, written in bulk.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.models import AuditEntry
from houqin.core.numbers import next_number
from houqin.core.workflow import transition
from houqin.org.models import Building, Department, Room, School

from ..choices import (
    INACTIVE_STATUSES,
    Acquisition,
    AssetStatus,
    CountResult,
    MovementKind,
    StocktakeScope,
    StocktakeStatus,
)
from ..models import Asset, AssetCategory, AssetMovement, Stocktake, StocktakeLine
from .register import AssetError, asset_register, asset_set_status

PREFIX = "PD"
BATCH = 2000
R = CountResult
S = StocktakeStatus

#: Results a counter may give a line by hand (surplus lines come from ``stocktake_add_surplus``).
COUNTABLE = (R.PENDING, R.FOUND, R.DAMAGED, R.MISSING, R.WRONG_ROOM)
#: Results that change the register when the stocktake is applied.
CORRECTIONS = (R.WRONG_ROOM, R.MISSING, R.DAMAGED)

_LABEL_URL = re.compile(r"/a/([^/?#\s]+)")


class StocktakeError(AssetError):
    """A rule of stocktaking was broken; the message is for the user."""


def _now() -> datetime.datetime:
    return timezone.now()


def category_ids_under(category: AssetCategory) -> list[int]:
    """The category and its descendants (categories go at most three levels deep)."""
    return list(
        AssetCategory.objects.filter(
            Q(pk=category.pk) | Q(parent_id=category.pk) | Q(parent__parent_id=category.pk)
        ).values_list("pk", flat=True)
    )


def assets_in_scope(stocktake: Stocktake) -> QuerySet[Asset]:
    """Active cards of the school inside the stocktake's scope."""
    assets = Asset.objects.filter(school_id=stocktake.school_id).active()
    if stocktake.scope == StocktakeScope.BUILDING:
        return assets.filter(room__building_id=stocktake.building_id)
    if stocktake.scope == StocktakeScope.DEPARTMENT:
        return assets.filter(department_id=stocktake.department_id)
    if stocktake.scope == StocktakeScope.CATEGORY:
        assert stocktake.category is not None
        return assets.filter(category_id__in=category_ids_under(stocktake.category))
    return assets


def _school_of(
    school: School | None,
    building: Building | None,
    department: Department | None,
) -> School:
    for owner in (building, department):
        if owner is not None:
            if school is not None and owner.school_id != school.pk:
                raise StocktakeError(_("Choose a building or department of this school."))
            return owner.school
    if school is None:
        raise StocktakeError(_("Choose the school to count."))
    return school


@transaction.atomic
def stocktake_start(
    *,
    actor: Any,
    name: str,
    scope: str,
    school: School | None = None,
    building: Building | None = None,
    department: Department | None = None,
    category: AssetCategory | None = None,
    is_holiday_campaign: bool = False,
    notes: str = "",
) -> Stocktake:
    """Open a stocktake (PD-YYYY-NNNNNN) with one line per active asset in the scope."""
    if scope not in StocktakeScope.values:
        raise StocktakeError(_("Choose what to count."))
    if scope == StocktakeScope.BUILDING and building is None:
        raise StocktakeError(_("Choose the building to count."))
    if scope == StocktakeScope.DEPARTMENT and department is None:
        raise StocktakeError(_("Choose the department to count."))
    if scope == StocktakeScope.CATEGORY and category is None:
        raise StocktakeError(_("Choose the category to count."))
    owner = _school_of(
        school,
        building if scope == StocktakeScope.BUILDING else None,
        department if scope == StocktakeScope.DEPARTMENT else None,
    )
    stocktake = Stocktake(
        school=owner,
        name=name,
        scope=scope,
        building=building if scope == StocktakeScope.BUILDING else None,
        department=department if scope == StocktakeScope.DEPARTMENT else None,
        category=category if scope == StocktakeScope.CATEGORY else None,
        is_holiday_campaign=is_holiday_campaign,
        notes=notes,
        created_by=actor,
        number=_new_number(owner.pk),
    )
    stocktake.full_clean()
    with acting_as(actor):
        stocktake.save()
    rows = assets_in_scope(stocktake).order_by("pk").values_list("pk", "room_id")
    batch: list[StocktakeLine] = []
    total = 0
    for asset_id, room_id in rows.iterator(chunk_size=BATCH):
        batch.append(
            StocktakeLine(stocktake_id=stocktake.pk, asset_id=asset_id, expected_room_id=room_id)
        )
        if len(batch) >= BATCH:
            StocktakeLine.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    if batch:
        StocktakeLine.objects.bulk_create(batch)
        total += len(batch)
    if not total:
        raise StocktakeError(_("There is no asset on the register in this scope to count."))
    return stocktake


def _new_number(school_id: int) -> str:
    """The school's next PD-YYYY-NNNNNN."""
    return next_number(school_id, PREFIX)


def _lock_counting(stocktake_id: int) -> Stocktake:
    locked: Stocktake = Stocktake.objects.select_for_update().get(pk=stocktake_id)
    if locked.status != S.COUNTING:
        raise StocktakeError(
            _("%(stocktake)s is no longer counting (%(status)s).")
            % {"stocktake": locked.number, "status": locked.get_status_display()}
        )
    return locked


def _check_room(stocktake: Stocktake, room: Room | None) -> None:
    if room is not None and room.school_id != stocktake.school_id:
        raise StocktakeError(_("Choose a room of this school."))


@transaction.atomic
def stocktake_count(
    *,
    actor: Any,
    line: StocktakeLine,
    result: str,
    found_room: Room | None = None,
    note: str = "",
) -> StocktakeLine:
    """Record what the counter saw for one line (found, damaged, missing, elsewhere, or undo)."""
    stocktake = _lock_counting(line.stocktake_id)
    line = StocktakeLine.objects.select_for_update().get(pk=line.pk)
    if line.result == R.SURPLUS:
        raise StocktakeError(_("A surplus find is already on the register; it is not recounted."))
    if result not in COUNTABLE:
        raise StocktakeError(_("Choose found, damaged, missing or wrong room."))
    _check_room(stocktake, found_room)
    if result == R.WRONG_ROOM and found_room is None:
        raise StocktakeError(_("Choose the room the asset was found in."))
    if result in (R.FOUND, R.DAMAGED):
        found_room = found_room or line.expected_room
        if result == R.FOUND and found_room is not None and found_room.pk != line.expected_room_id:
            result = R.WRONG_ROOM
    if result == R.WRONG_ROOM and found_room is not None and found_room.pk == line.expected_room_id:
        result = R.FOUND
    if result in (R.PENDING, R.MISSING):
        found_room = None
    counted = result != R.PENDING
    line.result = result
    line.found_room = found_room
    line.note = note[:300]
    line.counted_by = actor if counted else None
    line.counted_at = _now() if counted else None
    line.repair_needed = result == R.DAMAGED and stocktake.is_holiday_campaign
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def stocktake_count_lines(
    *,
    actor: Any,
    stocktake: Stocktake,
    results: Iterable[tuple[int, str, int | None]],
) -> int:
    """Record many counts at once: (line id, result, room found in) — a whole room ticked off,
    or a batch from a handheld scanner. Written as one UPDATE per (result, room) group."""
    stocktake = _lock_counting(stocktake.pk)
    rows = list(results)
    expected = dict(
        StocktakeLine.objects.filter(stocktake=stocktake, pk__in=[r[0] for r in rows])
        .exclude(result=R.SURPLUS)
        .values_list("pk", "expected_room_id")
    )
    rooms = {r[2] for r in rows if r[2] is not None}
    if rooms and Room.objects.filter(pk__in=rooms).exclude(school_id=stocktake.school_id).exists():
        raise StocktakeError(_("Choose a room of this school."))
    groups: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for line_id, result, found_room_id in rows:
        if line_id not in expected:
            raise StocktakeError(_("A line does not belong to this stocktake."))
        if result not in COUNTABLE:
            raise StocktakeError(_("Choose found, damaged, missing or wrong room."))
        room_id = found_room_id
        if result in (R.FOUND, R.DAMAGED):
            room_id = room_id or expected[line_id]
        if result in (R.FOUND, R.WRONG_ROOM) and room_id is not None:
            result = R.FOUND if room_id == expected[line_id] else R.WRONG_ROOM
        if result == R.WRONG_ROOM and room_id is None:
            raise StocktakeError(_("Choose the room the asset was found in."))
        if result in (R.PENDING, R.MISSING):
            room_id = None
        groups[(result, room_id)].append(line_id)
    now = _now()
    for (result, room_id), ids in groups.items():
        counted = result != R.PENDING
        for chunk in _batches(ids):
            StocktakeLine.objects.filter(pk__in=chunk).update(
                result=result,
                found_room_id=room_id,
                counted_by=actor if counted else None,
                counted_at=now if counted else None,
                repair_needed=result == R.DAMAGED and stocktake.is_holiday_campaign,
            )
    return len(rows)


@transaction.atomic
def stocktake_count_room(
    *, actor: Any, stocktake: Stocktake, room: Room | None, result: str = R.FOUND
) -> int:
    """Every line of ``room`` nobody has counted yet gets ``result`` ("all the rest are here")."""
    pending = StocktakeLine.objects.filter(
        stocktake_id=stocktake.pk, expected_room=room, result=R.PENDING
    ).values_list("pk", flat=True)
    return stocktake_count_lines(
        actor=actor,
        stocktake=stocktake,
        results=[(pk, result, room.pk if room and result != R.MISSING else None) for pk in pending],
    )


def parse_code(text: str) -> str:
    """The code in what a scanner read: a label URL ``…/assets/a/<public code>/`` or a bare code."""
    text = (text or "").strip()
    match = _LABEL_URL.search(text)
    return match.group(1) if match else text


def find_asset(school_id: int, text: str) -> Asset:
    """An asset of this school by public code (label) or asset code; others are unknown."""
    code = parse_code(text)
    if not code:
        raise StocktakeError(_("Scan a label or type an asset code."))
    asset: Asset | None = (
        Asset.objects.filter(school_id=school_id)
        .filter(Q(public_code=code.upper()) | Q(code=code) | Q(code=code.upper()))
        .select_related("room__building")
        .first()
    )
    if asset is None:
        raise StocktakeError(
            _("No asset of this school has the code “%(code)s”.") % {"code": code[:40]}
        )
    return asset


@transaction.atomic
def stocktake_scan(*, actor: Any, stocktake: Stocktake, code: str, room: Room) -> StocktakeLine:
    """A label scanned (or a code typed) in ``room``: found there, or found in the wrong room.

    An asset of the school outside the scope gets a line of its own.
    """
    stocktake = _lock_counting(stocktake.pk)
    _check_room(stocktake, room)
    asset = find_asset(stocktake.school_id, code)
    line = (
        StocktakeLine.objects.select_for_update().filter(stocktake=stocktake, asset=asset).first()
    )
    if line is None:
        if asset.status in INACTIVE_STATUSES:
            raise StocktakeError(
                _("%(asset)s is recorded as %(status)s; it is not on the active register.")
                % {"asset": asset, "status": asset.get_status_display()}
            )
        line = StocktakeLine(stocktake=stocktake, asset=asset, expected_room_id=asset.room_id)
    elif line.result == R.SURPLUS:
        return line
    if line.result != R.DAMAGED:
        line.result = R.FOUND if line.expected_room_id == room.pk else R.WRONG_ROOM
    line.found_room = room
    line.counted_by = actor
    line.counted_at = _now()
    line.full_clean(validate_constraints=False)
    line.save()
    line.asset = asset
    return line


@transaction.atomic
def stocktake_add_surplus(
    *,
    actor: Any,
    stocktake: Stocktake,
    room: Room,
    name: str,
    category: AssetCategory,
    unit_price: Decimal,
    quantity: int = 1,
    purchase_date: datetime.date | None = None,
    specification: str = "",
    brand: str = "",
    unit: str = "",
    note: str = "",
) -> StocktakeLine:
    """Register an asset found that is not on the register (盘盈) and record it as surplus."""
    stocktake = _lock_counting(stocktake.pk)
    _check_room(stocktake, room)
    asset = Asset(
        school_id=stocktake.school_id,
        name=name,
        category=category,
        unit_price=unit_price,
        quantity=quantity,
        purchase_date=purchase_date or timezone.localdate(),
        specification=specification,
        brand=brand,
        acquisition=Acquisition.SURPLUS,
        room=room,
        status=AssetStatus.IN_USE,
        notes=note,
    )
    if unit:
        asset.unit = unit
    with acting_as(actor):
        asset_register(
            actor=actor,
            asset=asset,
            reference=stocktake.number,
            note=_("Surplus found in stocktake %(number)s") % {"number": stocktake.number},
        )
    line = StocktakeLine(
        stocktake=stocktake,
        asset=asset,
        result=R.SURPLUS,
        found_room=room,
        surplus_name=name[:200],
        counted_by=actor,
        counted_at=_now(),
        note=note[:300],
    )
    line.full_clean(validate_constraints=False)
    line.save()
    return line


@transaction.atomic
def stocktake_finish_counting(*, actor: Any, stocktake: Stocktake) -> Stocktake:
    """Counting is over: what nobody saw becomes missing; the result goes to reconciliation."""
    moved: Stocktake = transition(stocktake, S.RECONCILING, actor=actor)
    StocktakeLine.objects.filter(stocktake=moved, result=R.PENDING).update(result=R.MISSING)
    return moved


@transaction.atomic
def stocktake_reopen(*, actor: Any, stocktake: Stocktake, reason: str = "") -> Stocktake:
    """Back to counting: lines the finish made missing (nobody counted them) are pending again."""
    moved: Stocktake = transition(stocktake, S.COUNTING, actor=actor, reason=reason)
    StocktakeLine.objects.filter(stocktake=moved, result=R.MISSING, counted_at__isnull=True).update(
        result=R.PENDING
    )
    return moved


@transaction.atomic
def stocktake_cancel(*, actor: Any, stocktake: Stocktake, reason: str = "") -> Stocktake:
    """Abandon a count; the register is not touched (surplus finds stay registered)."""
    cancelled: Stocktake = transition(stocktake, S.CANCELLED, actor=actor, reason=reason)
    return cancelled


def _batches(items: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def stocktake_apply(*, actor: Any, stocktake: Stocktake) -> dict[str, int]:
    """Correct the register from a reconciled stocktake and close it, all or nothing.

    Wrong-room finds move to the room they were found in, missing assets become lost, damaged
    ones go under repair (a repair task each in a holiday campaign). Each changed card gets a
    ledger row (kind "stocktake correction", reference = the stocktake number) and an audit row.
    Returns how many cards were moved, lost and sent to repair.
    """
    locked: Stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if locked.status == S.CLOSED:
        raise StocktakeError(_("This stocktake has already been applied."))
    if locked.status != S.RECONCILING:
        raise StocktakeError(_("Finish counting before applying the result."))
    lines = list(
        StocktakeLine.objects.filter(
            stocktake=locked, applied=False, result__in=CORRECTIONS, asset__isnull=False
        ).values_list("pk", "asset_id", "result", "found_room_id")
    )
    done = {"moved": 0, "lost": 0, "repair": 0}
    now = _now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    reference_url = locked.get_absolute_url()
    note = _("Stocktake %(number)s") % {"number": locked.number}
    asset_type = ContentType.objects.get_for_model(Asset)
    room_names: dict[int, str] = {}
    for chunk in _batches(lines):
        assets = Asset.objects.select_for_update().in_bulk([row[1] for row in chunk])
        groups: dict[tuple[int | None, str], list[int]] = defaultdict(list)
        movements: list[AssetMovement] = []
        audits: list[AuditEntry] = []
        for _pk, asset_id, result, found_room_id in chunk:
            asset = assets[asset_id]
            if asset.status in INACTIVE_STATUSES:
                continue  # disposed of or lost since the count: nothing left to correct
            room_id, status = asset.room_id, asset.status
            if result in (R.WRONG_ROOM, R.DAMAGED) and found_room_id:
                room_id = found_room_id
            if result == R.MISSING:
                status = AssetStatus.LOST
            elif result == R.DAMAGED:
                status = AssetStatus.UNDER_REPAIR
            if (room_id, status) == (asset.room_id, asset.status):
                continue
            done["moved"] += room_id != asset.room_id
            done["lost"] += status == AssetStatus.LOST
            done["repair"] += status == AssetStatus.UNDER_REPAIR
            groups[(room_id, status)].append(asset_id)
            movements.append(
                AssetMovement(
                    school_id=asset.school_id,
                    asset_id=asset_id,
                    kind=MovementKind.COUNTED,
                    at=now,
                    actor=user,
                    from_room_id=asset.room_id,
                    to_room_id=room_id,
                    from_custodian_id=asset.custodian_id,
                    to_custodian_id=asset.custodian_id,
                    from_department_id=asset.department_id,
                    to_department_id=asset.department_id,
                    from_status=asset.status,
                    to_status=status,
                    reference=locked.number,
                    reference_url=reference_url,
                    note=note,
                )
            )
            changes: dict[str, list[Any]] = {}
            if room_id != asset.room_id:
                changes["room"] = [
                    _room_name(asset.room_id, room_names),
                    _room_name(room_id, room_names),
                ]
            if status != asset.status:
                changes["status"] = [asset.status, status]
            audits.append(
                AuditEntry(
                    actor=user,
                    actor_repr=(str(user) if user is not None else "system")[:150],
                    action=AuditEntry.Action.UPDATE,
                    content_type=asset_type,
                    object_id=str(asset_id),
                    object_repr=str(asset)[:255],
                    school_id=asset.school_id,
                    changes=changes,
                )
            )
        for (room_id, status), ids in groups.items():
            Asset.objects.filter(pk__in=ids).update(room_id=room_id, status=status, updated_at=now)
        AssetMovement.objects.bulk_create(movements)
        AuditEntry.objects.bulk_create(audits)
    applied = StocktakeLine.objects.filter(stocktake=locked, applied=False)
    applied.filter(result=R.DAMAGED).update(repair_needed=locked.is_holiday_campaign)
    applied.filter(result__in=(*CORRECTIONS, R.SURPLUS)).update(applied=True)
    transition(
        locked,
        S.CLOSED,
        actor=actor,
        update={"closed_at": now, "closed_by": user},
    )
    stocktake.status = S.CLOSED
    return done


def _room_name(room_id: int | None, cache: dict[int, str]) -> str | None:
    if room_id is None:
        return None
    if room_id not in cache:
        room = Room.objects.select_related("building").filter(pk=room_id).first()
        cache[room_id] = str(room) if room is not None else f"#{room_id}"
    return cache[room_id]


@transaction.atomic
def stocktake_mark_repaired(
    *, actor: Any, line: StocktakeLine, repaired: bool = True
) -> StocktakeLine:
    """Tick a repair task of a holiday campaign done (the asset is back in use) or undo it."""
    line = (
        StocktakeLine.objects.select_for_update(of=("self",))
        .select_related("asset")
        .get(pk=line.pk)
    )
    if not line.repair_needed or not line.applied or line.asset is None:
        raise StocktakeError(_("This line is not a repair task of an applied stocktake."))
    if repaired == (line.repaired_at is not None):
        return line
    line.repaired_at = _now() if repaired else None
    line.save(update_fields=["repaired_at"])
    number = Stocktake.objects.values_list("number", flat=True).get(pk=line.stocktake_id)
    target = AssetStatus.IN_USE if repaired else AssetStatus.UNDER_REPAIR
    source = AssetStatus.UNDER_REPAIR if repaired else AssetStatus.IN_USE
    if line.asset.status == source:
        with acting_as(actor):
            asset_set_status(
                actor=actor,
                asset=line.asset,
                status=target,
                reference=number,
                note=_("Repaired after stocktake %(number)s") % {"number": number}
                if repaired
                else _("Repair reopened"),
            )
    return line


def validation_message(exc: ValidationError) -> str:
    """One readable sentence from a model validation error."""
    return " ".join(str(m) for m in exc.messages)
