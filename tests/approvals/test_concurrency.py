"""Two approvers acting on the same step at the same moment: exactly one succeeds."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from houqin.approvals import services
from houqin.approvals.models import ApprovalAction, ApprovalRequest
from houqin.finance import services as finance
from tests import factories as f
from tests.core.test_workflow_numbers import needs_server_db, run_in_threads

from .conftest import new_expense

pytestmark = [needs_server_db, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("second_action", ["approve", "reject"])
def test_one_of_two_simultaneous_decisions_wins(
    office: SimpleNamespace, second_action: str
) -> None:
    other_director = f.member(office.school, "director")
    expense = new_expense(office)
    finance.expense_submit(actor=office.requester, expense=expense)
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    services.approval_act(request=request, actor=office.head, action="approve")
    actors = [(office.director, "approve"), (other_director, second_action)]

    def decide(index: int) -> str:
        actor, action = actors[index]
        services.approval_act(
            request=ApprovalRequest.objects.get(pk=request.pk),
            actor=actor,
            action=action,
            reason="并发",
        )
        return action

    results, errors = run_in_threads(2, decide)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.ApprovalError)
    assert "already been handled" in str(errors[0]) or "已" in str(errors[0])
    decisions = ApprovalAction.objects.filter(request=request, step__order=2)
    assert decisions.count() == 1
    request.refresh_from_db()
    assert request.status == ("approved" if results[0] == "approve" else "rejected")
