"""Transfers (调拨) of assets between rooms, custodians and departments; loans (借用/归还).

A transfer is numbered DB-YYYY-NNNNNN. Submitting it completes it at once unless the total
original value of its assets is above the school's ``transfer_approval_above``: then it goes
through the ``asset_transfer`` approval chain and completes when approved. Completing moves
every asset and writes one ledger row per asset.

A loan is numbered JY-YYYY-NNNNNN; lending puts the asset ON_LOAN, returning puts it back
IN_USE, each with a ledger row. A daily job reminds borrowers before the due date and tells
borrowers and asset keepers about overdue loans.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.numbers import next_number
from houqin.core.workflow import transition

from ..choices import AssetStatus, LoanStatus, MovementKind, RequestStatus
from ..models import Asset, AssetLoan, AssetSettings, AssetTransfer, AssetTransferLine
from .register import AssetError, asset_set_status, record_movement, snapshot

TRANSFER_PREFIX = "DB"
LOAN_PREFIX = "JY"
TRANSFER_REQUEST_TYPE = "asset_transfer"
#: Statuses in which an asset cannot be transferred or lent.
NOT_MOVABLE = (
    AssetStatus.DISPOSED,
    AssetStatus.LOST,
    AssetStatus.ON_LOAN,
    AssetStatus.PENDING_DISPOSAL,
)
LENDABLE = (AssetStatus.IN_USE, AssetStatus.IDLE)
#: The most assets one transfer may move.
MAX_TRANSFER_LINES = 500
LOAN_DUE_EVENT = "assets.loan_due"
LOAN_OVERDUE_EVENT = "assets.loan_overdue"


def _message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _is_member(user_id: int, school_id: int) -> bool:
    from houqin.accounts.models import Membership

    return Membership.objects.filter(user_id=user_id, school_id=school_id, is_active=True).exists()


def _refuse_unmovable(assets: Iterable[Asset]) -> None:
    blocked = [a for a in assets if a.status in NOT_MOVABLE]
    if blocked:
        raise AssetError(
            _("These assets cannot be moved now: %(assets)s.")
            % {
                "assets": "、".join(
                    f"{a.code} {a.name} ({a.get_status_display()})" for a in blocked[:10]
                )
            }
        )


# Transfers ---------------------------------------------------------------------------------


def _check_targets(transfer: AssetTransfer) -> None:
    if not (transfer.to_room_id or transfer.to_custodian_id or transfer.to_department_id):
        raise AssetError(_("Choose at least one of: the new room, custodian or department."))
    school_id = transfer.school_id
    if transfer.to_room_id and transfer.to_room.school_id != school_id:  # type: ignore[union-attr]
        raise AssetError(_("Choose a room of this school."))
    if transfer.to_department_id and transfer.to_department.school_id != school_id:  # type: ignore[union-attr]
        raise AssetError(_("Choose a department of this school."))
    if transfer.to_custodian_id and not _is_member(transfer.to_custodian_id, school_id):
        raise AssetError(_("The new custodian is not a member of this school."))


@transaction.atomic
def transfer_save(*, actor: Any, transfer: AssetTransfer, assets: Sequence[Asset]) -> AssetTransfer:
    """Create (numbered DB-YYYY-NNNNNN) or change a transfer while it may still be edited.

    ``transfer.school`` must be set; every asset must belong to that school."""
    if not assets:
        raise AssetError(_("Choose at least one asset to transfer."))
    if len(assets) > MAX_TRANSFER_LINES:
        raise AssetError(
            _("One transfer moves at most %(count)d assets.") % {"count": MAX_TRANSFER_LINES}
        )
    if transfer.pk is None:
        transfer.requester = actor
        transfer.number = next_number(transfer.school_id, TRANSFER_PREFIX)
    else:
        current = AssetTransfer.objects.select_for_update().get(pk=transfer.pk)
        if not current.is_editable:
            raise AssetError(_("This transfer can no longer be changed."))
        if current.requester_id != actor.pk:
            raise AssetError(_("Only the requester may change this transfer."))
    if any(a.school_id != transfer.school_id for a in assets):
        raise AssetError(_("Every asset of a transfer must belong to the same school."))
    _refuse_unmovable(assets)
    _check_targets(transfer)
    transfer.total_value = sum((a.original_value for a in assets), Decimal("0.00"))
    try:
        transfer.full_clean()
    except ValidationError as exc:
        raise AssetError(_message(exc)) from exc
    with acting_as(actor):
        transfer.save()
    wanted = {a.pk: a for a in assets}
    transfer.lines.exclude(asset_id__in=wanted).delete()
    present = set(transfer.lines.values_list("asset_id", flat=True))
    AssetTransferLine.objects.bulk_create(
        [
            AssetTransferLine(
                transfer=transfer,
                asset=a,
                from_room_id=a.room_id,
                from_custodian_id=a.custodian_id,
                from_department_id=a.department_id,
            )
            for pk, a in wanted.items()
            if pk not in present
        ]
    )
    return transfer


def needs_approval(transfer: AssetTransfer) -> bool:
    policy = AssetSettings.for_school(transfer.school_id)
    return transfer.total_value > policy.transfer_approval_above


@transaction.atomic
def transfer_submit(*, actor: Any, transfer: AssetTransfer) -> AssetTransfer:
    """Send the transfer for approval when its value requires it, else complete it now."""
    from houqin.approvals.selectors import request_for
    from houqin.approvals.services import approval_submit

    locked = AssetTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.requester_id != actor.pk:
        raise AssetError(_("Only the requester may submit this transfer."))
    if not locked.is_editable:
        raise AssetError(_("This transfer has already been submitted."))
    assets = list(Asset.objects.filter(pk__in=locked.lines.values("asset_id")))
    if not assets:
        raise AssetError(_("Choose at least one asset to transfer."))
    _refuse_unmovable(assets)
    locked.total_value = sum((a.original_value for a in assets), Decimal("0.00"))
    locked.save(update_fields=["total_value", "updated_at"])
    in_approval = locked.status == RequestStatus.RETURNED or (
        locked.status == RequestStatus.WITHDRAWN and request_for(locked) is not None
    )
    if in_approval or needs_approval(locked):
        approval_submit(subject=locked, request_type=TRANSFER_REQUEST_TYPE, actor=actor)
    else:
        transfer_complete(actor=actor, transfer=locked)
    transfer.refresh_from_db()
    return transfer


@transaction.atomic
def transfer_complete(*, actor: Any, transfer: AssetTransfer) -> AssetTransfer:
    """Move every asset of the transfer (rows locked) and record the ledger; then COMPLETED."""
    lines = list(transfer.lines.order_by("asset_id"))
    assets = {
        a.pk: a
        for a in Asset.objects.select_for_update().filter(pk__in=[ln.asset_id for ln in lines])
    }
    _refuse_unmovable(assets.values())
    url = transfer.get_absolute_url()
    with acting_as(actor):
        for line in lines:
            asset = assets[line.asset_id]
            before = snapshot(asset)
            line.from_room_id = asset.room_id
            line.from_custodian_id = asset.custodian_id
            line.from_department_id = asset.department_id
            if transfer.to_room_id:
                asset.room_id = transfer.to_room_id
            if transfer.to_custodian_id:
                asset.custodian_id = transfer.to_custodian_id
            if transfer.to_department_id:
                asset.department_id = transfer.to_department_id
            asset.save(update_fields=["room", "custodian", "department", "updated_at"])
            record_movement(
                asset,
                MovementKind.TRANSFERRED,
                actor=actor,
                before=before,
                reference=transfer.number,
                reference_url=url,
                note=transfer.reason,
            )
    AssetTransferLine.objects.bulk_update(lines, ["from_room", "from_custodian", "from_department"])
    done: AssetTransfer = transition(
        transfer,
        RequestStatus.COMPLETED,
        actor=actor,
        check_permission=False,
        update={"completed_at": timezone.now()},
    )
    return done


@transaction.atomic
def transfer_withdraw(*, actor: Any, transfer: AssetTransfer, reason: str = "") -> AssetTransfer:
    """The requester takes back a transfer awaiting approval (or returned for revision)."""
    from houqin.approvals.selectors import request_for
    from houqin.approvals.services import approval_withdraw

    if transfer.requester_id != actor.pk:
        raise AssetError(_("Only the requester may withdraw this transfer."))
    if transfer.status not in (RequestStatus.PENDING, RequestStatus.RETURNED):
        raise AssetError(_("This transfer can no longer be withdrawn."))
    approval = request_for(transfer)
    if approval is None:  # pragma: no cover - a pending transfer always has a request
        raise AssetError(_("This transfer can no longer be withdrawn."))
    approval_withdraw(request=approval, actor=actor, reason=reason)
    transfer.refresh_from_db()
    return transfer


# Loans -------------------------------------------------------------------------------------


@transaction.atomic
def loan_lend(*, actor: Any, loan: AssetLoan) -> AssetLoan:
    """Lend ``loan.asset`` to ``loan.borrower`` (or a named outsider) until ``loan.due_date``."""
    asset = Asset.objects.select_for_update().get(pk=loan.asset_id)
    if asset.status not in LENDABLE:
        raise AssetError(
            _("%(asset)s cannot be lent: it is %(status)s.")
            % {"asset": asset, "status": asset.get_status_display()}
        )
    if AssetLoan.objects.filter(asset=asset, status=LoanStatus.OUT).exists():
        raise AssetError(_("%(asset)s is already on loan.") % {"asset": asset})
    loan.borrower_name = loan.borrower_name.strip()
    if not loan.borrower_id and not loan.borrower_name:
        raise AssetError(_("Choose the borrower or enter their name."))
    if loan.borrower_id and not _is_member(loan.borrower_id, asset.school_id):
        raise AssetError(_("The borrower is not a member of this school."))
    if loan.department_id and loan.department.school_id != asset.school_id:  # type: ignore[union-attr]
        raise AssetError(_("Choose a department of this school."))
    if loan.due_date and loan.due_date < timezone.localdate():
        raise AssetError(_("The due date cannot be in the past."))
    loan.school_id = asset.school_id
    loan.number = next_number(asset.school_id, LOAN_PREFIX)
    loan.lent_at = timezone.now()
    loan.lent_by = actor
    loan.status = LoanStatus.OUT
    try:
        loan.full_clean()
    except ValidationError as exc:
        raise AssetError(_message(exc)) from exc
    with acting_as(actor):
        loan.save()
    asset_set_status(
        actor=actor,
        asset=asset,
        status=AssetStatus.ON_LOAN,
        kind=MovementKind.LENT,
        reference=loan.number,
        reference_url=loan.get_absolute_url(),
        note=_("Lent to %(borrower)s until %(due)s")
        % {"borrower": loan.borrower_label, "due": loan.due_date.isoformat()},
    )
    return loan


@transaction.atomic
def loan_return(*, actor: Any, loan: AssetLoan, condition: str = "") -> AssetLoan:
    """Take the asset back: the loan is RETURNED and the asset IN_USE again."""
    locked = AssetLoan.objects.select_for_update().get(pk=loan.pk)
    if locked.status != LoanStatus.OUT:
        raise AssetError(_("This loan has already been returned."))
    locked.status = LoanStatus.RETURNED
    locked.returned_at = timezone.now()
    locked.received_by = actor
    locked.return_condition = condition.strip()[:200]
    locked.full_clean()
    with acting_as(actor):
        locked.save()
    asset = Asset.objects.select_for_update().get(pk=locked.asset_id)
    ledger = {
        "reference": locked.number,
        "reference_url": locked.get_absolute_url(),
        "note": locked.return_condition,
    }
    if asset.status == AssetStatus.ON_LOAN:
        asset_set_status(
            actor=actor,
            asset=asset,
            status=AssetStatus.IN_USE,
            kind=MovementKind.RETURNED,
            **ledger,
        )
    else:  # the card was changed meanwhile: keep its status, still record the return
        record_movement(asset, MovementKind.RETURNED, actor=actor, **ledger)
    loan.refresh_from_db()
    return loan


def open_loans(queryset: QuerySet[AssetLoan] | None = None) -> QuerySet[AssetLoan]:
    base = queryset if queryset is not None else AssetLoan.objects.all()
    return base.filter(status=LoanStatus.OUT)


def overdue_loans(
    queryset: QuerySet[AssetLoan] | None = None, today: datetime.date | None = None
) -> QuerySet[AssetLoan]:
    return open_loans(queryset).filter(due_date__lt=today or timezone.localdate())


def _keepers_by_school(school_ids: Iterable[int]) -> dict[int, list[Any]]:
    """school id -> active members whose role may handle loans there (the asset keepers)."""
    from houqin.accounts.models import Membership

    rows = (
        Membership.objects.filter(
            school_id__in=list(school_ids),
            is_active=True,
            user__is_active=True,
            role__permissions__content_type__app_label="assets",
            role__permissions__codename="change_assetloan",
        )
        .select_related("user")
        .distinct()
    )
    result: dict[int, list[Any]] = {}
    for membership in rows:
        assert membership.school_id is not None
        result.setdefault(membership.school_id, []).append(membership.user)
    return result


def loan_send_reminders(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Remind borrowers of loans due within the school's ``loan_reminder_days`` and tell
    borrowers and asset keepers about overdue loans; each loan at most once a day.

    Returns (reminders before the due date, overdue notices)."""
    from houqin.notifications.services import notify

    today = today or timezone.localdate()
    now = timezone.now()
    horizon = {
        s.school_id: s.loan_reminder_days
        for s in AssetSettings.objects.all().only("school_id", "loan_reminder_days")
    }
    longest = max([1, *horizon.values()])
    candidates = list(
        open_loans()
        .filter(due_date__lte=today + datetime.timedelta(days=longest))
        .exclude(Q(reminded_at__isnull=False) & Q(reminded_at__gte=_start_of(today)))
        .select_related("asset", "borrower", "school")
        .order_by("school_id", "due_date", "pk")
    )
    keepers = _keepers_by_school({loan.school_id for loan in candidates if loan.due_date < today})
    due_count = overdue_count = 0
    for loan in candidates:
        days = horizon.get(loan.school_id, 1)
        if loan.due_date < today:
            recipients = [loan.borrower, *keepers.get(loan.school_id, [])]
            title = _("Overdue loan %(number)s: %(asset)s was due on %(due)s") % {
                "number": loan.number,
                "asset": loan.asset,
                "due": loan.due_date.isoformat(),
            }
            event = LOAN_OVERDUE_EVENT
            overdue_count += 1
        elif (loan.due_date - today).days <= days:
            recipients = [loan.borrower]
            title = _("Please return %(asset)s by %(due)s (loan %(number)s)") % {
                "number": loan.number,
                "asset": loan.asset,
                "due": loan.due_date.isoformat(),
            }
            event = LOAN_DUE_EVENT
            due_count += 1
        else:
            continue
        with transaction.atomic():
            notify(
                recipients=[r for r in recipients if r is not None],
                event=event,
                title=title,
                body=_("Borrower: %(borrower)s. Purpose: %(purpose)s.")
                % {"borrower": loan.borrower_label, "purpose": loan.purpose},
                url=loan.get_absolute_url(),
                obj=loan,
                school=loan.school,
            )
            AssetLoan.objects.filter(pk=loan.pk).update(reminded_at=now)
    return due_count, overdue_count


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
