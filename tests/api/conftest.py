from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from rest_framework.test import APIClient

from houqin.api.services import token_create
from tests import factories as f


def token_client(user: Any, language: str = "en") -> APIClient:
    """An API client sending ``Authorization: Token …`` for ``user``."""
    _token, raw = token_create(user=user, name="tests")
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


@pytest.fixture
def api_director(director: Any) -> APIClient:
    return token_client(director)


@pytest.fixture
def api_teacher(teacher: Any) -> APIClient:
    return token_client(teacher)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def expense_claim(school: Any) -> SimpleNamespace:
    """An expense claim waiting for the department head, then the logistics director."""
    from houqin.approvals.models import ApprovalChain, ApprovalChainStep, ApprovalRequest
    from houqin.finance import services as finance
    from houqin.finance.models import Expense

    department = f.DepartmentFactory(school=school)
    head = f.member(school, "depthead", department=department)
    department.head = head
    department.save()
    requester = f.member(school, "teacher", department=department)
    director = f.member(school, "director")
    stranger = f.member(school, "teacher")
    chain = ApprovalChain.objects.create(school=school, request_type="expense", name="报销审批")
    ApprovalChainStep.objects.create(
        chain=chain, order=1, name="部门审核", approver_kind="department_head"
    )
    ApprovalChainStep.objects.create(
        chain=chain, order=2, name="总务审核", approver_kind="role", role=f.role("director")
    )
    expense = finance.expense_save(
        actor=requester,
        expense=Expense(
            department=department,
            title="购买打印纸",
            category="office",
            amount=Decimal("800.00"),
            description="A4 纸 20 箱",
        ),
    )
    finance.expense_submit(actor=requester, expense=expense)
    return SimpleNamespace(
        head=head,
        requester=requester,
        director=director,
        stranger=stranger,
        expense=expense,
        approval=ApprovalRequest.objects.get(object_id=expense.pk),
    )
