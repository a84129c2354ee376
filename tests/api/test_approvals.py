from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from houqin.approvals.models import ApprovalRequest
from tests import factories as f

from .conftest import expense_claim, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(school: Any) -> SimpleNamespace:
    return expense_claim(school)


def test_the_inbox_lists_what_waits_for_the_caller(claim: SimpleNamespace) -> None:
    body = token_client(claim.head).get("/api/v1/approvals/inbox/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == claim.approval.pk
    assert row["subject"] == {"type": "finance.expense", "id": claim.expense.pk}
    assert token_client(claim.director).get("/api/v1/approvals/inbox/").json()["count"] == 0
    mine = token_client(claim.requester).get("/api/v1/approvals/mine/").json()
    assert [r["id"] for r in mine["results"]] == [claim.approval.pk]


def test_a_request_goes_through_its_steps(claim: SimpleNamespace) -> None:
    url = f"/api/v1/approvals/{claim.approval.pk}/"
    head = token_client(claim.head)
    detail = head.get(url).json()
    assert [s["name"] for s in detail["steps"]] == ["部门审核", "总务审核"]
    assert detail["can_act"] is True and detail["can_withdraw"] is False
    approved = head.post(url + "approve/", {}).json()
    assert [s["status"] for s in approved["steps"]] == ["approved", "pending"]
    director = token_client(claim.director)
    returned = director.post(url + "return/", {"reason": "请附发票"})
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "returned"
    assert [h["action"] for h in returned.json()["history"]] == ["submit", "approve", "return"]
    claim.expense.refresh_from_db()
    assert claim.expense.status == "returned"


def test_refusals_come_back_in_the_error_format(claim: SimpleNamespace) -> None:
    url = f"/api/v1/approvals/{claim.approval.pk}/"
    head = token_client(claim.head)
    refused = head.post(url + "reject/", {"reason": ""})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "approval_refused"
    # The director's step is not open yet.
    # The director may see the request (approvals.view_approvalrequest) but their step
    # is not open yet.
    early = token_client(claim.director).post(url + "approve/", {})
    assert early.status_code == 400
    assert early.json()["error"]["message"] == "This step is not yours to decide."
    assert ApprovalRequest.objects.get(pk=claim.approval.pk).status == "pending"


def test_the_requester_withdraws(claim: SimpleNamespace) -> None:
    url = f"/api/v1/approvals/{claim.approval.pk}/withdraw/"
    assert token_client(claim.head).post(url, {}).json()["error"]["code"] == "approval_refused"
    response = token_client(claim.requester).post(url, {"reason": "不买了"})
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_people_not_taking_part_get_404(claim: SimpleNamespace, other_school: Any) -> None:
    url = f"/api/v1/approvals/{claim.approval.pk}/"
    assert token_client(claim.stranger).get(url).status_code == 404
    assert token_client(claim.stranger).post(url + "approve/", {}).status_code == 404
    outsider = f.member(other_school, "director")
    assert token_client(outsider).get(url).status_code == 404


def test_inbox_queries_do_not_grow_with_rows(claim: SimpleNamespace) -> None:
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from houqin.finance import services as finance
    from houqin.finance.models import Expense

    client = token_client(claim.head)
    client.get("/api/v1/approvals/inbox/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/approvals/inbox/")
        return len(queries) if response.status_code == 200 else -1

    def more(n: int) -> None:
        for i in range(n):
            expense = finance.expense_save(
                actor=claim.requester,
                expense=Expense(
                    department=claim.expense.department,
                    title=f"报销{i}",
                    category="office",
                    amount=Decimal("10.00"),
                    description="纸",
                ),
            )
            finance.expense_submit(actor=claim.requester, expense=expense)

    more(4)
    few = count()
    more(20)
    assert client.get("/api/v1/approvals/inbox/").json()["count"] == 25
    assert count() == few
