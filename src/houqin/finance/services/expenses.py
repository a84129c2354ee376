"""Rules for expense claims."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.approvals.services import ApprovalError, approval_submit
from houqin.core.numbers import next_number
from houqin.core.workflow import TransitionError, transition

from ..models import Expense, ExpenseStatus

PREFIX = "BX"


@transaction.atomic
def expense_save(*, actor: Any, expense: Expense) -> Expense:
    """Create (numbered BX-YYYY-NNNNNN) or change a claim while it may still be edited."""
    if expense.pk is None:
        expense.requester = actor
        expense.school_id = expense.department.school_id
        expense.number = next_number(expense.school_id, PREFIX)
    elif not expense.is_editable:
        raise TransitionError(_("This claim can no longer be changed."))
    expense.full_clean()
    expense.save()
    return expense


@transaction.atomic
def expense_submit(*, actor: Any, expense: Expense) -> Expense:
    if expense.requester_id != actor.pk:
        raise ApprovalError(_("Only the requester may submit this claim."))
    if expense.status not in Expense.EDITABLE:
        raise ApprovalError(_("This claim has already been submitted."))
    approval_submit(subject=expense, request_type="expense", actor=actor)
    expense.refresh_from_db()
    return expense


@transaction.atomic
def expense_pay(*, actor: Any, expense: Expense) -> Expense:
    paid: Expense = transition(
        expense, ExpenseStatus.PAID, actor=actor, update={"paid_at": timezone.now()}
    )
    return paid
