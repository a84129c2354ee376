"""The approval state machine, table-driven: every action from every state, every actor."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from houqin.approvals import services
from houqin.approvals.models import ApprovalAction, ApprovalChainStep, ApprovalRequest
from houqin.approvals.selectors import inbox, inbox_count
from houqin.finance import services as finance

from .conftest import new_expense

pytestmark = pytest.mark.django_db

ACTIONS = ("approve", "reject", "return", "withdraw", "resubmit")


def submitted(office: SimpleNamespace, amount: str = "800.00") -> ApprovalRequest:
    expense = new_expense(office, amount)
    finance.expense_submit(actor=office.requester, expense=expense)
    return ApprovalRequest.objects.get(object_id=expense.pk)


def do(office: SimpleNamespace, request: ApprovalRequest, action: str, who: str) -> Any:
    actor = getattr(office, who)
    if action == "withdraw":
        return services.approval_withdraw(request=request, actor=actor)
    if action == "resubmit":
        return finance.expense_submit(actor=actor, expense=request.subject)
    return services.approval_act(request=request, actor=actor, action=action, reason="理由")


def to_state(office: SimpleNamespace, state: str) -> ApprovalRequest:
    request = submitted(office)
    if state == "returned":
        do(office, request, "return", "head")
    elif state == "withdrawn":
        do(office, request, "withdraw", "requester")
    elif state == "rejected":
        do(office, request, "reject", "head")
    elif state == "approved":
        do(office, request, "approve", "head")
        do(office, request, "approve", "director")
    request.refresh_from_db()
    assert request.status == state
    return request


# (state, action, actor) -> resulting request status; anything not listed must be refused.
ALLOWED = {
    ("pending", "approve", "head"): "pending",
    ("pending", "reject", "head"): "rejected",
    ("pending", "return", "head"): "returned",
    ("pending", "withdraw", "requester"): "withdrawn",
    ("returned", "withdraw", "requester"): "withdrawn",
    ("returned", "resubmit", "requester"): "pending",
    ("withdrawn", "resubmit", "requester"): "pending",
}


@pytest.mark.parametrize("state", ["pending", "returned", "withdrawn", "approved", "rejected"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["requester", "head", "director", "principal", "stranger"])
def test_every_action_from_every_state(
    office: SimpleNamespace, state: str, action: str, who: str
) -> None:
    request = to_state(office, state)
    history = ApprovalAction.objects.filter(request=request).count()
    expected = ALLOWED.get((state, action, who))
    if expected is None:
        with pytest.raises(services.ApprovalError):
            do(office, request, action, who)
        request.refresh_from_db()
        assert request.status == state
        assert ApprovalAction.objects.filter(request=request).count() == history
    else:
        do(office, request, action, who)
        request.refresh_from_db()
        assert request.status == expected
        assert ApprovalAction.objects.filter(request=request).count() > history


def test_a_small_claim_needs_two_steps_and_a_large_one_three(office: SimpleNamespace) -> None:
    small = submitted(office, "800.00")
    assert [s.name for s in small.steps.all()] == ["部门审核", "总务审核"]
    large = submitted(office, "6800.00")
    assert [s.name for s in large.steps.all()] == ["部门审核", "总务审核", "校长审批"]
    do(office, large, "approve", "head")
    do(office, large, "approve", "director")
    large.refresh_from_db()
    assert large.status == "pending"
    do(office, large, "approve", "principal")
    large.refresh_from_db()
    assert large.status == "approved"
    assert large.subject.status == "approved"


def test_the_chain_is_fixed_at_submission(office: SimpleNamespace) -> None:
    request = submitted(office)
    ApprovalChainStep.objects.filter(chain=office.chain, order=2).delete()
    do(office, request, "approve", "head")
    request.refresh_from_db()
    assert request.status == "pending"
    assert request.steps.get(status="pending").name == "总务审核"


def test_return_then_resubmit_starts_again_and_keeps_the_history(office: SimpleNamespace) -> None:
    request = submitted(office)
    do(office, request, "approve", "head")
    do(office, request, "return", "director")
    request.refresh_from_db()
    assert request.subject.status == "returned"
    expense = request.subject
    expense.amount = expense.amount - 100
    finance.expense_save(actor=office.requester, expense=expense)
    do(office, request, "resubmit", "requester")
    request.refresh_from_db()
    assert request.round == 2
    assert request.steps.get(status="pending").name == "部门审核"
    actions = list(request.actions.values_list("action", flat=True))
    assert actions == ["submit", "approve", "return", "resubmit"]


def test_reasons_are_required_to_reject_or_return(office: SimpleNamespace) -> None:
    request = submitted(office)
    for action in ("reject", "return"):
        with pytest.raises(services.ApprovalError):
            services.approval_act(request=request, actor=office.head, action=action, reason=" ")


def test_a_head_requesting_skips_their_own_step(office: SimpleNamespace) -> None:
    from decimal import Decimal

    from houqin.finance.models import Expense

    expense = finance.expense_save(
        actor=office.head,
        expense=Expense(
            department=office.department,
            title="差旅",
            category="travel",
            amount=Decimal("300"),
            description="培训",
        ),
    )
    finance.expense_submit(actor=office.head, expense=expense)
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    statuses = list(request.steps.values_list("status", flat=True))
    assert statuses == ["skipped", "pending"]
    assert not inbox(office.head).filter(pk=request.pk).exists()


def test_the_inbox_shows_only_what_the_user_may_decide(office: SimpleNamespace) -> None:
    request = submitted(office)
    assert list(inbox(office.head)) == [request]
    assert inbox_count(office.director) == 0
    do(office, request, "approve", "head")
    assert inbox_count(office.head) == 0
    assert list(inbox(office.director)) == [request]
    assert inbox_count(office.requester) == 0


def test_batch_approval_reports_what_failed(office: SimpleNamespace) -> None:
    first, second = submitted(office), submitted(office)
    do(office, second, "withdraw", "requester")
    done, errors = services.approval_batch_approve(requests=[first, second], actor=office.head)
    assert done == 1
    assert len(errors) == 1


def test_no_chain_means_a_clear_refusal(office: SimpleNamespace) -> None:
    office.chain.is_active = False
    office.chain.save()
    expense = new_expense(office)
    with pytest.raises(services.ApprovalError, match=r"No approval chain|未配置"):
        finance.expense_submit(actor=office.requester, expense=expense)
    expense.refresh_from_db()
    assert expense.status == "draft"
    assert not ApprovalRequest.objects.exists()
