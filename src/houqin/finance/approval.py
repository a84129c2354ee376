"""The expense claim as an approval request type."""

from __future__ import annotations

from typing import Any

from houqin.approvals import registry
from houqin.core.workflow import transition

from .models import Expense, ExpenseCategory


def _move(status: str) -> registry.Hook:
    def hook(expense: Expense, request: Any, actor: Any) -> None:
        transition(expense, status, actor=actor, check_permission=False)

    return hook


EXPENSE = registry.register(
    registry.RequestType(
        code="expense",
        label=registry.get("expense").label,
        title=lambda e: f"{e.number} {e.title}",
        amount=lambda e: e.amount,
        department=lambda e: e.department,
        category=lambda e: e.category,
        requester=lambda e: e.requester,
        on_submitted=_move("pending"),
        on_approved=_move("approved"),
        on_rejected=_move("rejected"),
        on_returned=_move("returned"),
        on_withdrawn=_move("withdrawn"),
        categories=list(ExpenseCategory.choices),
    )
)
