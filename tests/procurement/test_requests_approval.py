"""A purchase request through a department head + vice principal chain on the web, the
approval inbox refusing what the budget no longer covers, and (on PostgreSQL) two final
approvals at once that cannot both use the last of a budget line."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act
from houqin.finance.models import BudgetLine
from houqin.procurement.models import PurchaseRequest
from houqin.procurement.services import requests as services
from tests.conftest import login
from tests.core.test_workflow_numbers import needs_server_db, run_in_threads
from tests.procurement.test_requests_services import approve_all, draft, make_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(school: Any) -> SimpleNamespace:
    return make_office(school)


def test_head_then_vp_approve_on_the_web(office: SimpleNamespace) -> None:
    request = draft(office, ("投影仪", "2", "3000"))
    teacher = login(office.teacher)
    teacher.post(reverse("procurement:request_action", args=[request.pk, "submit"]))
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    assert approval.amount == Decimal("6000.00") and approval.department == office.department
    assert approval.title == f"{request.number} 期中考试用品"

    head = login(office.head)
    inbox = head.get(reverse("approvals:inbox")).content.decode()
    assert request.number in inbox
    head.post(reverse("approvals:request_act", args=[approval.pk, "approve"]))
    request.refresh_from_db()
    assert request.status == "pending"

    vp = login(office.vp)
    assert request.number in vp.get(reverse("approvals:inbox")).content.decode()
    # The vp sees the request's page too, with the approval panel.
    page = vp.get(request.get_absolute_url()).content.decode()
    assert 'data-testid="approve"' in page
    vp.post(reverse("approvals:request_act", args=[approval.pk, "approve"]))
    request.refresh_from_db()
    office.line.refresh_from_db()
    assert request.status == "approved"
    assert office.line.committed == Decimal("6000.00")
    assert office.line.available == Decimal("4000.00")


def test_return_and_resubmit(office: SimpleNamespace) -> None:
    request = draft(office)
    services.purchase_request_submit(actor=office.teacher, request=request)
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    approval_act(request=approval, actor=office.head, action="return", reason="请补充规格")
    request.refresh_from_db()
    assert request.status == "returned" and request.is_editable
    assert (
        login(office.teacher)
        .get(reverse("procurement:request_edit", args=[request.pk]))
        .status_code
        == 200
    )
    services.purchase_request_submit(actor=office.teacher, request=request)
    assert request.status == "pending"
    approve_all(request, office.head)
    request.refresh_from_db()
    assert request.status == "approved"


def test_rejection_commits_nothing(office: SimpleNamespace) -> None:
    request = draft(office)
    services.purchase_request_submit(actor=office.teacher, request=request)
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    approval_act(request=approval, actor=office.head, action="reject", reason="不需要")
    request.refresh_from_db()
    office.line.refresh_from_db()
    assert request.status == "rejected" and office.line.committed == 0


def test_the_inbox_refuses_an_approval_the_budget_no_longer_covers(
    office: SimpleNamespace,
) -> None:
    first = draft(office, ("电脑", "1", "6000"), title="电脑一")
    second = draft(office, ("电脑", "1", "6000"), title="电脑二")
    for request in (first, second):
        services.purchase_request_submit(actor=office.teacher, request=request)
        approve_all(request, office.head)
    vp = login(office.vp)
    ids = [
        ApprovalRequest.objects.get(object_id=r.pk, request_type="purchase_request")
        for r in (first, second)
    ]
    response = vp.post(
        reverse("approvals:inbox"),
        {"request": [f"{a.pk}:{a.steps.get(status='pending').pk}" for a in ids]},
        follow=True,
    )
    assert "alert-danger" in response.content.decode()
    statuses = sorted(PurchaseRequest.objects.values_list("status", flat=True))
    assert statuses == ["approved", "pending"]
    office.line.refresh_from_db()
    assert office.line.committed == Decimal("6000.00")


@needs_server_db
@pytest.mark.django_db(transaction=True)
def test_two_final_approvals_at_once_cannot_overspend(office: SimpleNamespace) -> None:
    requests = [draft(office, ("电脑", "1", "6000"), title=f"电脑{n}") for n in range(2)]
    approvals = []
    for request in requests:
        services.purchase_request_submit(actor=office.teacher, request=request)
        approvals.append(approve_all(request, office.head))

    def decide(index: int) -> str:
        approval_act(
            request=ApprovalRequest.objects.get(pk=approvals[index].pk),
            actor=office.vp,
            action="approve",
        )
        return "ok"

    results, errors = run_in_threads(2, decide)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ApprovalError)
    line = BudgetLine.objects.get(pk=office.line.pk)
    assert line.committed == Decimal("6000.00")
    assert sorted(PurchaseRequest.objects.values_list("status", flat=True)) == [
        "approved",
        "pending",
    ]
