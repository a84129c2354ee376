"""The purchase request as an approval request type (bound when the app is ready).

The amount is the estimated total, so a school's chain adds steps above its limits (the
vice principal above 5,000 yuan, the principal above 50,000…). The final approval commits
the money on the request's budget line; when the school's policy blocks and the money is
no longer there, the approval is refused and nothing of it is kept.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from houqin.approvals import registry
from houqin.approvals.services import ApprovalError
from houqin.core.workflow import transition
from houqin.finance.models import ExpenseCategory
from houqin.finance.services.budgets import BudgetError, budget_commit

from .choices import LineStatus, RequestStatus
from .models import PurchaseRequest
from .services import notices
from .services.requests import REQUEST_TYPE, SOURCE


def _move(status: str, **update: Any) -> registry.Hook:
    def hook(request: PurchaseRequest, approval: Any, actor: Any) -> None:
        values = {key: make() for key, make in update.items()}
        transition(request, status, actor=actor, check_permission=False, update=values)

    return hook


def _approved(request: PurchaseRequest, approval: Any, actor: Any) -> None:
    moved: PurchaseRequest = transition(
        request,
        RequestStatus.APPROVED,
        actor=actor,
        check_permission=False,
        update={"approved_at": timezone.now()},
    )
    moved.lines.update(status=LineStatus.OPEN)
    notices.request_approved(moved, actor)
    if moved.budget_line_id is None or moved.estimated_total <= 0:
        return
    try:
        budget_commit(
            line=moved.budget_line_id,
            amount=moved.estimated_total,
            actor=actor,
            source_type=SOURCE,
            source_id=moved.pk,
            reference=moved.number,
        )
    except BudgetError as exc:
        raise ApprovalError(str(exc)) from exc
    PurchaseRequest.objects.filter(pk=moved.pk).update(committed=moved.estimated_total)
    request.committed = moved.estimated_total


PURCHASE_REQUEST = registry.register(
    registry.RequestType(
        code=REQUEST_TYPE,
        label=registry.get(REQUEST_TYPE).label,
        title=lambda r: f"{r.number} {r.title}",
        amount=lambda r: r.estimated_total,
        department=lambda r: r.department,
        category=lambda r: r.category,
        requester=lambda r: r.requester,
        on_submitted=_move(RequestStatus.PENDING, submitted_at=timezone.now),
        on_approved=_approved,
        on_rejected=_move(RequestStatus.REJECTED),
        on_returned=_move(RequestStatus.RETURNED),
        on_withdrawn=_move(RequestStatus.WITHDRAWN),
        categories=list(ExpenseCategory.choices),
    )
)
