from __future__ import annotations

from types import SimpleNamespace

import pytest

from houqin.approvals.models import ApprovalRequest
from houqin.finance.models import Expense
from tests.conftest import login

from .conftest import new_expense

pytestmark = pytest.mark.django_db


def test_a_claim_goes_through_two_steps_with_a_return_in_the_middle(
    office: SimpleNamespace,
) -> None:
    from houqin.notifications.models import Notification

    requester = login(office.requester)
    response = requester.post(
        "/finance/expenses/add/",
        {
            "department": office.department.pk,
            "title": "复印纸",
            "category": "office",
            "amount": "420.50",
            "description": "A4 复印纸 10 箱",
        },
    )
    assert response.status_code == 302
    expense = Expense.objects.get(title="复印纸")
    assert expense.number.startswith("BX-")
    requester.post(f"/finance/expenses/{expense.pk}/submit/")
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    assert Notification.objects.filter(recipient=office.head, event="approval.pending").exists()

    head = login(office.head)
    assert head.get("/approvals/inbox/").context["page"].paginator.count == 1
    head.post(f"/approvals/requests/{request.pk}/approve/", {"reason": ""})
    director = login(office.director)
    director.post(f"/approvals/requests/{request.pk}/return/", {"reason": "请附发票"})
    expense.refresh_from_db()
    assert expense.status == "returned"
    assert Notification.objects.filter(
        recipient=office.requester, event="approval.returned"
    ).exists()

    requester.post(
        f"/finance/expenses/{expense.pk}/edit/",
        {
            "department": office.department.pk,
            "title": "复印纸（附发票）",
            "category": "office",
            "amount": "420.50",
            "description": "A4 复印纸 10 箱，发票已附",
        },
    )
    requester.post(f"/finance/expenses/{expense.pk}/submit/")
    head.post(f"/approvals/requests/{request.pk}/approve/", {"reason": "同意"})
    director.post(f"/approvals/requests/{request.pk}/approve/", {"reason": "同意"})
    expense.refresh_from_db()
    assert expense.status == "approved"
    assert Notification.objects.filter(
        recipient=office.requester, event="approval.approved"
    ).exists()
    page = requester.get(f"/finance/expenses/{expense.pk}/").content.decode()
    assert "请附发票" in page


def test_a_reject_without_a_reason_is_refused_with_a_message(office: SimpleNamespace) -> None:
    expense = new_expense(office)
    login(office.requester).post(f"/finance/expenses/{expense.pk}/submit/")
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    response = login(office.head).post(
        f"/approvals/requests/{request.pk}/reject/",
        {"reason": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "give a reason" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_inbox_badge_and_batch_approval(office: SimpleNamespace) -> None:
    for _ in range(3):
        expense = new_expense(office)
        login(office.requester).post(f"/finance/expenses/{expense.pk}/submit/")
    head = login(office.head)
    page = head.get("/").content.decode()
    assert 'data-testid="badge">3<' in page
    shown = head.get("/approvals/inbox/").context["page"].object_list
    head.post("/approvals/inbox/", {"request": [f"{r.pk}:{r.waiting_step}" for r in shown]})
    assert head.get("/approvals/inbox/").context["page"].paginator.count == 0


def test_others_cannot_see_a_claim_or_its_request(office: SimpleNamespace) -> None:
    expense = new_expense(office)
    login(office.requester).post(f"/finance/expenses/{expense.pk}/submit/")
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    stranger = login(office.stranger)
    assert stranger.get(f"/finance/expenses/{expense.pk}/").status_code == 404
    assert stranger.get(f"/approvals/requests/{request.pk}/").status_code == 404
    assert login(office.principal).get(f"/approvals/requests/{request.pk}/").status_code == 200
    # the approver opens the claim and its receipts
    assert login(office.head).get(f"/finance/expenses/{expense.pk}/").status_code == 200
    assert login(office.head).get(f"/approvals/requests/{request.pk}/").status_code == 200


def test_director_configures_a_chain(office: SimpleNamespace) -> None:
    from houqin.approvals.models import ApprovalChain

    office.chain.delete()
    response = login(office.director).post(
        "/approvals/chains/add/",
        {
            "school": office.school.pk,
            "request_type": "expense",
            "name": "新报销流程",
            "is_active": "on",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "1",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-order": "1",
            "steps-0-name": "部门",
            "steps-0-approver_kind": "department_head",
            "steps-1-order": "2",
            "steps-1-name": "校长",
            "steps-1-approver_kind": "role",
            "steps-1-role": "",
            "steps-1-min_amount": "5000",
        },
    )
    assert response.status_code == 422  # a role step needs its role
    assert not ApprovalChain.objects.exists()


def test_a_second_click_does_not_decide_the_next_step(office: SimpleNamespace) -> None:
    """The head also holds the director role: a repeated POST must not approve step 2."""
    from houqin.accounts.models import Membership
    from tests import factories as f

    Membership.objects.create(user=office.head, school=office.school, role=f.role("director"))
    expense = new_expense(office)
    login(office.requester).post(f"/finance/expenses/{expense.pk}/submit/")
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    step = request.steps.get(status="pending").pk
    head = login(office.head)
    for _ in range(2):
        head.post(f"/approvals/requests/{request.pk}/approve/", {"step": step})
    request.refresh_from_db()
    assert request.status == "pending"
    assert request.steps.get(status="pending").order == 2


def test_a_resubmitted_larger_claim_needs_the_principal(office: SimpleNamespace) -> None:
    from decimal import Decimal

    from houqin.approvals import services
    from houqin.finance import services as finance

    expense = new_expense(office, "800.00")
    finance.expense_submit(actor=office.requester, expense=expense)
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    services.approval_withdraw(request=request, actor=office.requester)
    expense.refresh_from_db()
    expense.amount = Decimal("90000")
    finance.expense_save(actor=office.requester, expense=expense)
    finance.expense_submit(actor=office.requester, expense=expense)
    request.refresh_from_db()
    names = list(request.steps.filter(round=2).values_list("name", flat=True))
    assert names == ["部门审核", "总务审核", "校长审批"]
    assert request.steps.filter(round=1).count() == 2  # the first round stays in the history


def test_a_claim_cannot_move_to_another_schools_department(
    office: SimpleNamespace, other_school: object
) -> None:
    from houqin.accounts.models import Membership
    from houqin.finance.models import Expense
    from tests import factories as f

    foreign = f.DepartmentFactory(school=other_school)
    Membership.objects.create(user=office.requester, school=other_school, role=f.role("teacher"))
    expense = new_expense(office)
    response = login(office.requester).post(
        f"/finance/expenses/{expense.pk}/edit/",
        {
            "department": foreign.pk,
            "title": "x",
            "category": "office",
            "amount": "1",
            "description": "x",
        },
    )
    assert response.status_code == 422
    assert Expense.objects.get(pk=expense.pk).department == office.department


def test_decisions_never_redirect_off_site(office: SimpleNamespace) -> None:
    expense = new_expense(office)
    login(office.requester).post(f"/finance/expenses/{expense.pk}/submit/")
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    response = login(office.head).post(
        f"/approvals/requests/{request.pk}/approve/", {"next": "//evil.example/x"}
    )
    assert response["Location"] == request.get_absolute_url()


def test_director_edits_a_chain_with_its_steps(office: SimpleNamespace) -> None:
    chain = office.chain
    steps = list(chain.steps.order_by("order"))
    data = {
        "school": office.school.pk,
        "request_type": "expense",
        "name": "报销审批（修订）",
        "is_active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, step in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": step.pk,
                f"steps-{i}-chain": chain.pk,
                f"steps-{i}-order": step.order,
                f"steps-{i}-name": step.name,
                f"steps-{i}-approver_kind": step.approver_kind,
                f"steps-{i}-role": step.role_id or "",
                f"steps-{i}-min_amount": step.min_amount or "",
            }
        )
    data["steps-2-DELETE"] = "on"
    response = login(office.director).post(f"/approvals/chains/{chain.pk}/edit/", data)
    assert response.status_code == 302
    chain.refresh_from_db()
    assert chain.name == "报销审批（修订）"
    assert chain.steps.count() == 2


def test_receipts_of_a_paid_claim_are_frozen(office: SimpleNamespace) -> None:
    from houqin.core.attachments.access import can_upload
    from houqin.finance.models import Expense

    expense = new_expense(office)
    assert can_upload(office.requester, expense)
    Expense.objects.filter(pk=expense.pk).update(status="paid")
    expense.refresh_from_db()
    assert not can_upload(office.requester, expense)
