"""Approval adapters of the store: stock count adjustments (and requisitions)."""

from __future__ import annotations

from typing import Any

from houqin.approvals import registry
from houqin.approvals.services import ApprovalError
from houqin.core.workflow import transition

from . import approval_requisitions  # noqa: F401 - binds the requisition request type
from .choices import CountStatus
from .models import StockCount


def _move(status: str) -> registry.Hook:
    def hook(count: StockCount, request: Any, actor: Any) -> None:
        transition(count, status, actor=actor, check_permission=False)

    return hook


def _post(count: StockCount, request: Any, actor: Any) -> None:
    """Approved: the differences become stock movements; a refusal undoes the approval."""
    from .services.counts import CountError, count_post

    try:
        count_post(actor=actor, count=count)
    except CountError as exc:
        raise ApprovalError(str(exc)) from exc


def _amount(count: StockCount) -> Any:
    from .services.counts import adjustment_amount

    return adjustment_amount(count)


STOCK_COUNT = registry.register(
    registry.RequestType(
        code="stock_count",
        label=registry.get("stock_count").label,
        title=lambda c: f"{c.number} {c.title}",
        amount=_amount,
        department=lambda c: None,
        category=lambda c: "",
        # Whoever submits the count asks for its approval (the storekeeper on duty).
        requester=lambda c: getattr(c, "submitter", None) or c.started_by,
        on_submitted=_move(CountStatus.PENDING),
        on_approved=_post,
        on_rejected=_move(CountStatus.REJECTED),
        on_returned=_move(CountStatus.RETURNED),
        # A withdrawn count goes back to counting, to be corrected and submitted again.
        on_withdrawn=_move(CountStatus.RETURNED),
    )
)
