"""Disposal (报废) of assets: request, approval by value tiers, completion.

A disposal lists asset cards with their original and net value at the time. Submitting it
opens an approval (amount = total original value, so chains can add steps above a tier) and
holds the cards as "awaiting disposal"; a rejection, return or withdrawal gives every card its
previous status back. Once approved, the asset keeper records what was actually done (method,
proceeds, date) and the cards leave the active register.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.approvals.selectors import request_for
from houqin.approvals.services import ApprovalError, approval_submit, approval_withdraw
from houqin.core.audit import acting_as, current_actor
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import transition

from ..choices import AssetStatus, DisposalMethod, MovementKind, RequestStatus
from ..models import Asset, AssetDisposal, AssetDisposalLine
from .register import AssetError, record_movement, snapshot

PREFIX = "BF"
REQUEST_TYPE = "asset_disposal"
COMPLETE_PERMISSION = "assets.change_assetdisposal"
#: Cards that may be put into a disposal.
DISPOSABLE = (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.UNDER_REPAIR)
#: Disposals that still hold (or may again hold) their cards.
OPEN = (
    RequestStatus.DRAFT,
    RequestStatus.PENDING,
    RequestStatus.RETURNED,
    RequestStatus.WITHDRAWN,
    RequestStatus.APPROVED,
)


@contextmanager
def _acting(actor: Any) -> Iterator[None]:
    """Attribute audit rows to ``actor`` when no request did already (demo, API, tests)."""
    if current_actor() is not None:
        yield
        return
    with acting_as(actor):
        yield


def _locked_assets(asset_ids: Sequence[int]) -> list[Asset]:
    """The cards, row-locked in a fixed order so that two requests never deadlock."""
    return list(
        Asset.objects.select_for_update(of=("self",))
        .filter(pk__in=list(asset_ids))
        .select_related("category")
        .order_by("pk")
    )


def _refusals(assets: Sequence[Asset], disposal: AssetDisposal) -> list[str]:
    """Why each card cannot be disposed of in ``disposal`` (empty: all can)."""
    elsewhere = dict(
        AssetDisposalLine.objects.filter(
            asset_id__in=[a.pk for a in assets], disposal__status__in=OPEN
        )
        .exclude(disposal_id=disposal.pk)
        .values_list("asset_id", "disposal__number")
    )
    refused = []
    for asset in assets:
        if asset.pk in elsewhere:
            refused.append(
                _("%(asset)s is already in disposal %(number)s.")
                % {"asset": asset, "number": elsewhere[asset.pk]}
            )
        elif asset.status in (AssetStatus.DISPOSED, AssetStatus.LOST):
            refused.append(
                _("%(asset)s is %(status)s.")
                % {"asset": asset, "status": asset.get_status_display().lower()}
            )
        elif asset.status == AssetStatus.ON_LOAN:
            refused.append(_("%(asset)s is on loan; take it back first.") % {"asset": asset})
        elif asset.status not in DISPOSABLE:
            refused.append(
                _("%(asset)s is %(status)s.")
                % {"asset": asset, "status": asset.get_status_display().lower()}
            )
    return refused


def _check(assets: Sequence[Asset], disposal: AssetDisposal) -> None:
    if not assets:
        raise AssetError(_("Choose at least one asset to dispose of."))
    if any(a.school_id != disposal.school_id for a in assets):
        raise AssetError(_("Every asset must belong to the school of the disposal."))
    refused = _refusals(assets, disposal)
    if refused:
        raise AssetError(" ".join(refused))


def _snapshot_lines(disposal: AssetDisposal, assets: Sequence[Asset]) -> None:
    """Lines hold exactly ``assets`` with today's values; totals are summed in SQL."""
    wanted = {a.pk: a for a in assets}
    AssetDisposalLine.objects.filter(disposal=disposal).exclude(asset_id__in=wanted).delete()
    existing = {line.asset_id: line for line in AssetDisposalLine.objects.filter(disposal=disposal)}
    new: list[AssetDisposalLine] = []
    changed: list[AssetDisposalLine] = []
    for pk, asset in wanted.items():
        line = existing.get(pk) or AssetDisposalLine(disposal=disposal, asset=asset)
        line.original_value = asset.original_value
        line.net_value = asset.net_value
        (changed if line.pk else new).append(line)
    AssetDisposalLine.objects.bulk_create(new)
    AssetDisposalLine.objects.bulk_update(changed, ["original_value", "net_value"])
    totals = AssetDisposalLine.objects.filter(disposal=disposal).aggregate(
        original=Sum("original_value"), net=Sum("net_value")
    )
    disposal.total_value = totals["original"] or Decimal(0)
    disposal.net_value = totals["net"] or Decimal(0)


def _line_asset_ids(disposal: AssetDisposal) -> list[int]:
    return list(
        AssetDisposalLine.objects.filter(disposal=disposal)
        .order_by("asset_id")
        .values_list("asset_id", flat=True)
    )


@transaction.atomic
def disposal_save(*, actor: Any, disposal: AssetDisposal, assets: Sequence[Asset]) -> AssetDisposal:
    """Create (numbered BF-YYYY-NNNNNN) or change a disposal while it may still be edited."""
    if disposal.pk is None:
        if not disposal.school_id and assets:
            disposal.school_id = assets[0].school_id
        disposal.requester = actor
        disposal.number = next_number(disposal.school_id, PREFIX)
    else:
        current: AssetDisposal = AssetDisposal.objects.select_for_update().get(pk=disposal.pk)
        if not current.is_editable:
            raise AssetError(_("This disposal can no longer be changed."))
        disposal.status = current.status
    locked = _locked_assets([a.pk for a in assets])
    _check(locked, disposal)
    disposal.full_clean()
    with _acting(actor):
        disposal.save()
    _snapshot_lines(disposal, locked)
    with _acting(actor):
        disposal.save(update_fields=["total_value", "net_value", "updated_at"])
    return disposal


@transaction.atomic
def disposal_submit(*, actor: Any, disposal: AssetDisposal) -> AssetDisposal:
    """Submit (or resubmit) for approval; the amount is the total original value."""
    if disposal.requester_id != actor.pk:
        raise ApprovalError(_("Only the requester may submit this disposal."))
    current: AssetDisposal = AssetDisposal.objects.select_for_update().get(pk=disposal.pk)
    if not current.is_editable:
        raise ApprovalError(_("This disposal has already been submitted."))
    locked = _locked_assets(_line_asset_ids(current))
    _check(locked, current)
    _snapshot_lines(current, locked)
    current.save(update_fields=["total_value", "net_value", "updated_at"])
    approval_submit(subject=current, request_type=REQUEST_TYPE, actor=actor)
    current.refresh_from_db()
    return current


@transaction.atomic
def disposal_withdraw(*, actor: Any, disposal: AssetDisposal, reason: str = "") -> AssetDisposal:
    """The requester takes a pending disposal back; its cards return to their status."""
    approval = request_for(disposal)
    if approval is None:
        raise ApprovalError(_("This disposal has not been submitted."))
    approval_withdraw(request=approval, actor=actor, reason=reason)
    withdrawn: AssetDisposal = AssetDisposal.objects.get(pk=disposal.pk)
    return withdrawn


def disposal_hold(*, actor: Any, disposal: AssetDisposal) -> None:
    """On submission: the cards await disposal; each line remembers the status it had."""
    lines = list(
        AssetDisposalLine.objects.filter(disposal=disposal)
        .select_related("asset")
        .order_by("asset_id")
    )
    locked = {a.pk: a for a in _locked_assets([line.asset_id for line in lines])}
    for line in lines:
        asset = locked[line.asset_id]
        if asset.status == AssetStatus.PENDING_DISPOSAL:
            continue
        line.previous_status = asset.status
        _set_status(asset, AssetStatus.PENDING_DISPOSAL, actor=actor, disposal=disposal)
    AssetDisposalLine.objects.bulk_update(lines, ["previous_status"])


def disposal_release(*, actor: Any, disposal: AssetDisposal) -> None:
    """On rejection, return or withdrawal: every held card gets its previous status back."""
    lines = list(AssetDisposalLine.objects.filter(disposal=disposal).order_by("asset_id"))
    locked = {a.pk: a for a in _locked_assets([line.asset_id for line in lines])}
    for line in lines:
        asset = locked[line.asset_id]
        if asset.status != AssetStatus.PENDING_DISPOSAL:
            continue  # changed meanwhile by someone else: leave it as it is
        _set_status(
            asset, line.previous_status or AssetStatus.IN_USE, actor=actor, disposal=disposal
        )


def _set_status(asset: Asset, status: str, *, actor: Any, disposal: AssetDisposal) -> None:
    before = snapshot(asset)
    asset.status = status
    with _acting(actor):
        asset.save(update_fields=["status", "updated_at"])
    record_movement(
        asset,
        MovementKind.STATUS,
        actor=actor,
        before=before,
        reference=disposal.number,
        reference_url=disposal.get_absolute_url(),
    )


def _completion_time(day: datetime.date) -> datetime.datetime:
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@transaction.atomic
def disposal_complete(
    *,
    actor: Any,
    disposal: AssetDisposal,
    method: str,
    proceeds: Decimal,
    disposed_on: datetime.date | None = None,
) -> AssetDisposal:
    """The asset keeper records what was done; every card is disposed of and leaves the
    active register with a DISPOSED movement referring to the disposal."""
    current: AssetDisposal = AssetDisposal.objects.select_for_update().get(pk=disposal.pk)
    if not has_perm_in_school(actor, COMPLETE_PERMISSION, current.school_id):
        raise AssetError(_("Only the asset keeper may complete a disposal."))
    if current.status == RequestStatus.COMPLETED:
        raise AssetError(_("This disposal has already been completed."))
    if current.status != RequestStatus.APPROVED:
        raise AssetError(_("Only an approved disposal can be completed."))
    if method not in DisposalMethod.values:
        raise AssetError(_("Choose a disposal method."))
    if proceeds is None or proceeds < 0:
        raise AssetError(_("The proceeds cannot be negative."))
    day = disposed_on or timezone.localdate()
    if day > timezone.localdate():
        raise AssetError(_("The disposal date cannot be in the future."))
    if day < timezone.localtime(current.created_at).date():
        raise AssetError(_("The disposal date cannot be before the request."))
    locked = _locked_assets(_line_asset_ids(current))
    wrong = [a for a in locked if a.status != AssetStatus.PENDING_DISPOSAL]
    if wrong:
        raise AssetError(
            _("These assets are no longer awaiting disposal: %(assets)s.")
            % {"assets": "、".join(str(a) for a in wrong)}
        )
    _snapshot_lines(current, locked)
    note = _("Disposed of by %(method)s.") % {"method": DisposalMethod(method).label}
    for asset in locked:
        before = snapshot(asset)
        asset.status = AssetStatus.DISPOSED
        asset.disposed_at = day
        with _acting(actor):
            asset.save(update_fields=["status", "disposed_at", "updated_at"])
        record_movement(
            asset,
            MovementKind.DISPOSED,
            actor=actor,
            before=before,
            reference=current.number,
            reference_url=current.get_absolute_url(),
            note=note,
        )
    current.method = method
    current.proceeds = proceeds
    current.full_clean()
    done: AssetDisposal = transition(
        current,
        RequestStatus.COMPLETED,
        actor=actor,
        check_permission=False,
        update={
            "method": method,
            "proceeds": proceeds,
            "completed_at": _completion_time(day),
            "total_value": current.total_value,
            "net_value": current.net_value,
        },
    )
    return done
