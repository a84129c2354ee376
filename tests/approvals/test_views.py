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
    ids = list(ApprovalRequest.objects.values_list("pk", flat=True))
    head.post("/approvals/inbox/", {"request": [str(i) for i in ids]})
    assert head.get("/approvals/inbox/").context["page"].paginator.count == 0


def test_others_cannot_see_a_claim_or_its_request(office: SimpleNamespace) -> None:
    expense = new_expense(office)
    login(office.requester).post(f"/finance/expenses/{expense.pk}/submit/")
    request = ApprovalRequest.objects.get(object_id=expense.pk)
    stranger = login(office.stranger)
    assert stranger.get(f"/finance/expenses/{expense.pk}/").status_code == 404
    assert stranger.get(f"/approvals/requests/{request.pk}/").status_code == 404
    assert login(office.principal).get(f"/approvals/requests/{request.pk}/").status_code == 200
    assert login(office.head).get(f"/finance/expenses/{expense.pk}/").status_code == 404
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
