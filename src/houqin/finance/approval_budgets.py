"""The budget adjustment (预算调整) as an approval request type (bound when the app is ready).

The amount a chain sees is the size of the change (an increase or a reduction), so a school
can add steps for large changes; department and category are the line's.
"""

from __future__ import annotations

from typing import Any

from houqin.approvals import registry

from .models import BudgetAdjustment, BudgetAdjustmentStatus, ExpenseCategory
from .services import adjustments as services


def _move(status: str) -> registry.Hook:
    def hook(adjustment: BudgetAdjustment, request: Any, actor: Any) -> None:
        services.adjustment_moved(adjustment, status, actor)

    return hook


def _approved(adjustment: BudgetAdjustment, request: Any, actor: Any) -> None:
    services.adjustment_approved(adjustment, actor)


BUDGET_ADJUSTMENT = registry.register(
    registry.RequestType(
        code=services.REQUEST_TYPE,
        label=registry.get(services.REQUEST_TYPE).label,
        title=lambda a: f"{a.number} {a.line} {a.delta:+,.2f}",
        amount=lambda a: abs(a.delta),
        department=lambda a: a.line.department,
        category=lambda a: a.line.category,
        requester=lambda a: a.requester,
        on_submitted=_move(BudgetAdjustmentStatus.PENDING),
        on_approved=_approved,
        on_rejected=_move(BudgetAdjustmentStatus.REJECTED),
        on_returned=_move(BudgetAdjustmentStatus.RETURNED),
        on_withdrawn=_move(BudgetAdjustmentStatus.WITHDRAWN),
        categories=list(ExpenseCategory.choices),
    )
)
