"""Registering and changing asset cards; the movement ledger."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.numbers import next_number

from ..choices import AssetStatus, MovementKind
from ..models import Asset, AssetMovement, AssetSettings, period_of
from .depreciation_math import accumulated, months_elapsed

PREFIX = "ZC"
TRACKED = ("room_id", "custodian_id", "department_id", "status")


class AssetError(Exception):
    """A rule of the register was broken; the message is for the user."""


def last_closed_period() -> int:
    """The last month that has ended: cards show depreciation through that month."""
    return period_of(timezone.localdate()) - 1


def prepare(asset: Asset, policy: AssetSettings | None = None) -> None:
    """Derive the value, the low-value flag and the depreciation of a card from its fields."""
    policy = policy or AssetSettings.for_school(asset.school_id)
    asset.original_value = asset.unit_price * asset.quantity
    asset.is_low_value = asset.unit_price < policy.capitalisation_threshold
    depreciable, life_years = asset.category.resolved()
    asset.depreciable = depreciable and not asset.is_low_value
    if not asset.depreciable:
        asset.life_months = None
        asset.start_period = None
        asset.accumulated_depreciation = asset.original_value * 0
        asset.depreciated_through = None
        return
    if not asset.life_months:
        if not life_years:
            raise AssetError(
                _("The category %(category)s has no depreciation life; enter the life in months.")
                % {"category": asset.category}
            )
        asset.life_months = life_years * 12
    asset.start_period = period_of(asset.purchase_date)
    through = last_closed_period()
    asset.accumulated_depreciation = accumulated(
        asset.original_value, asset.life_months, months_elapsed(asset.start_period, through)
    )
    asset.depreciated_through = through


def record_movement(
    asset: Asset,
    kind: str,
    *,
    actor: Any,
    before: dict[str, Any] | None = None,
    reference: str = "",
    reference_url: str = "",
    note: str = "",
) -> AssetMovement:
    """Write one ledger row; ``before`` holds room/custodian/department/status before the move."""
    before = before or {}
    return AssetMovement.objects.create(
        school_id=asset.school_id,
        asset=asset,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_room_id=before.get("room_id"),
        to_room_id=asset.room_id,
        from_custodian_id=before.get("custodian_id"),
        to_custodian_id=asset.custodian_id,
        from_department_id=before.get("department_id"),
        to_department_id=asset.department_id,
        from_status=before.get("status", ""),
        to_status=asset.status,
        reference=reference,
        reference_url=reference_url,
        note=note[:500],
    )


def snapshot(asset: Asset) -> dict[str, Any]:
    return {field: getattr(asset, field) for field in TRACKED}


@transaction.atomic
def asset_register(
    *,
    actor: Any,
    asset: Asset,
    kind: str = MovementKind.REGISTERED,
    code: str = "",
    reference: str = "",
    note: str = "",
) -> Asset:
    """Create a card (numbered ZC-YYYY-NNNNNN unless an existing ledger code is kept)."""
    if asset.pk is not None:
        raise AssetError(_("This asset is already registered."))
    if code:
        if Asset.objects.filter(school_id=asset.school_id, code=code).exists():
            raise AssetError(_("The asset code %(code)s is already used.") % {"code": code})
        asset.code = code
    else:
        asset.code = next_number(asset.school_id, PREFIX)
    prepare(asset)
    asset.full_clean()
    asset.save()
    record_movement(asset, kind, actor=actor, reference=reference, note=note)
    return asset


@transaction.atomic
def asset_update(*, actor: Any, asset: Asset, note: str = "") -> Asset:
    """Save changes to a card; a change of place, custodian, department or status is a movement."""
    if asset.pk is None:
        raise AssetError(_("Register the asset first."))
    previous: Asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if not previous.is_active:
        raise AssetError(_("A disposed or lost asset can no longer be changed."))
    value_changed = (
        previous.unit_price != asset.unit_price
        or previous.quantity != asset.quantity
        or previous.category_id != asset.category_id
        or previous.purchase_date != asset.purchase_date
        or previous.life_months != asset.life_months
    )
    if value_changed:
        prepare(asset)
    asset.full_clean()
    asset.save()
    before = snapshot(previous)
    if before != snapshot(asset):
        kind = MovementKind.TRANSFERRED if before["status"] == asset.status else MovementKind.STATUS
        record_movement(asset, kind, actor=actor, before=before, note=note)
    return asset


@transaction.atomic
def asset_set_status(
    *, actor: Any, asset: Asset, status: str, kind: str = MovementKind.STATUS, **ledger: Any
) -> Asset:
    """Change only the status of a card (under repair, lent, awaiting disposal…)."""
    locked: Asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if locked.status == status:
        return locked
    if not locked.is_active and status != AssetStatus.IN_USE:
        raise AssetError(_("A disposed or lost asset can no longer be changed."))
    before = snapshot(locked)
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    record_movement(locked, kind, actor=actor, before=before, **ledger)
    return locked
