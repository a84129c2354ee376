"""Approval adapter of the movements part of the register (bound when the app is ready).

An asset transfer above the school's ``transfer_approval_above`` goes through the
``asset_transfer`` chain; when approved, the transfer is completed (assets moved) at once.
"""

from __future__ import annotations

from typing import Any

from houqin.approvals import registry
from houqin.approvals.services import ApprovalError
from houqin.core.workflow import transition

from .choices import RequestStatus
from .models import AssetTransfer
from .services.register import AssetError


def _move(status: str) -> registry.Hook:
    def hook(transfer: AssetTransfer, request: Any, actor: Any) -> None:
        transition(transfer, status, actor=actor, check_permission=False)

    return hook


def _approved(transfer: AssetTransfer, request: Any, actor: Any) -> None:
    from .services.movements import transfer_complete

    transition(transfer, RequestStatus.APPROVED, actor=actor, check_permission=False)
    try:
        transfer_complete(actor=actor, transfer=transfer)
    except AssetError as exc:  # e.g. an asset was lent meanwhile: nothing is approved
        raise ApprovalError(str(exc)) from exc


def _department(transfer: AssetTransfer) -> Any:
    if transfer.to_department_id:
        return transfer.to_department
    first = transfer.lines.select_related("asset__department").first()
    return first.asset.department if first is not None else None


ASSET_TRANSFER = registry.register(
    registry.RequestType(
        code="asset_transfer",
        label=registry.get("asset_transfer").label,
        title=lambda t: f"{t.number} {t.reason}"[:200],
        amount=lambda t: t.total_value,
        department=_department,
        requester=lambda t: t.requester,
        on_submitted=_move(RequestStatus.PENDING),
        on_approved=_approved,
        on_rejected=_move(RequestStatus.REJECTED),
        on_returned=_move(RequestStatus.RETURNED),
        on_withdrawn=_move(RequestStatus.WITHDRAWN),
    )
)
