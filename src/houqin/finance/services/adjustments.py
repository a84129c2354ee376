"""Budget adjustments (预算调整, TZ-…): a change of a line's amount that applies only when the
``budget_adjustment`` approval chain approves it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.selectors import request_for
from houqin.approvals.services import ApprovalError, approval_submit, approval_withdraw
from houqin.core.workflow import TransitionError, transition

from ..models import BudgetAdjustment, BudgetAdjustmentStatus, BudgetLine
from .budgets import BudgetError, budget_change_amount

PREFIX = "TZ"
REQUEST_TYPE = "budget_adjustment"


def _below_used(line: BudgetLine, delta: Any) -> str:
    """The refusal when the change would take the budget below what is committed and spent."""
    used = line.committed + line.spent
    if line.amount + delta >= used:
        return ""
    return _("The budget cannot go below what is already committed and spent (%(used)s yuan).") % {
        "used": f"{used:,.2f}"
    }


@transaction.atomic
def adjustment_save(*, actor: Any, adjustment: BudgetAdjustment) -> BudgetAdjustment:
    """Create (numbered TZ-YYYY-NNNNNN) or change a draft adjustment of its requester."""
    from houqin.core.numbers import next_number

    if adjustment.pk is None:
        adjustment.requester = actor
        adjustment.school_id = adjustment.line.school_id
        adjustment.number = next_number(adjustment.school_id, PREFIX)
    else:
        stored = BudgetAdjustment.objects.select_for_update().get(pk=adjustment.pk)
        if stored.requester_id != actor.pk:
            raise TransitionError(_("Only the requester may change this adjustment."))
        if not stored.is_editable:
            raise TransitionError(_("This adjustment can no longer be changed."))
        if adjustment.line.school_id != stored.school_id:
            raise TransitionError(_("Choose a budget line of the same school."))
        adjustment.status = stored.status
    adjustment.full_clean()
    adjustment.save()
    return adjustment


@transaction.atomic
def adjustment_submit(*, actor: Any, adjustment: BudgetAdjustment) -> BudgetAdjustment:
    """Send the adjustment to its approval chain (or again after a return or withdrawal).

    A reduction that would already take the budget below what is used is refused here; the
    check is made again, under the line's lock, when the last approver approves."""
    if adjustment.requester_id != actor.pk:
        raise ApprovalError(_("Only the requester may submit this adjustment."))
    if adjustment.status not in BudgetAdjustment.EDITABLE:
        raise ApprovalError(_("This adjustment has already been submitted."))
    refusal = _below_used(BudgetLine.objects.get(pk=adjustment.line_id), adjustment.delta)
    if refusal:
        raise ApprovalError(refusal)
    approval_submit(subject=adjustment, request_type=REQUEST_TYPE, actor=actor)
    adjustment.refresh_from_db()
    return adjustment


@transaction.atomic
def adjustment_withdraw(
    *, actor: Any, adjustment: BudgetAdjustment, reason: str = ""
) -> BudgetAdjustment:
    """The requester takes a pending (or returned) adjustment back."""
    request: ApprovalRequest | None = request_for(adjustment)
    if request is None:
        raise ApprovalError(_("This adjustment has not been submitted."))
    approval_withdraw(request=request, actor=actor, reason=reason)
    adjustment.refresh_from_db()
    return adjustment


# Approval hooks (bound by ``finance.approval_budgets``) --------------------------------------


def adjustment_moved(adjustment: BudgetAdjustment, status: str, actor: Any) -> BudgetAdjustment:
    """Follow the approval request: pending, returned, withdrawn, rejected."""
    update: dict[str, Any] = {}
    if status == BudgetAdjustmentStatus.REJECTED:
        update["decided_at"] = timezone.now()
    moved: BudgetAdjustment = transition(
        adjustment, status, actor=actor, check_permission=False, update=update
    )
    return moved


def adjustment_approved(adjustment: BudgetAdjustment, actor: Any) -> BudgetAdjustment:
    """The last approver approved: the line's amount changes now (under its lock). A change
    that is no longer possible refuses the whole approval with the reason."""
    moved: BudgetAdjustment = transition(
        adjustment,
        BudgetAdjustmentStatus.APPROVED,
        actor=actor,
        check_permission=False,
        update={"decided_at": timezone.now()},
    )
    try:
        budget_change_amount(
            line=moved.line_id,
            delta=moved.delta,
            actor=actor,
            source_type=REQUEST_TYPE,
            source_id=moved.pk,
            reference=moved.number,
            note=moved.reason,
        )
    except BudgetError as exc:
        raise ApprovalError(str(exc)) from exc
    return moved
