from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from houqin.approvals.models import ApprovalChain, ApprovalChainStep
from houqin.finance import services as finance
from houqin.finance.models import Expense
from tests import factories as f


@pytest.fixture
def office(school: Any) -> SimpleNamespace:
    """A school with a three-step expense chain: department head, director, principal > 5,000."""
    department = f.DepartmentFactory(school=school, name="教务处")
    head = f.member(school, "depthead", department=department, username="head")
    department.head = head
    department.save()
    requester = f.member(school, "teacher", department=department, username="req")
    director = f.member(school, "director", username="dir")
    principal = f.member(school, "principal", username="boss")
    stranger = f.member(school, "teacher", username="stranger")
    chain = ApprovalChain.objects.create(school=school, request_type="expense", name="报销审批")
    ApprovalChainStep.objects.create(
        chain=chain, order=1, name="部门审核", approver_kind="department_head"
    )
    ApprovalChainStep.objects.create(
        chain=chain, order=2, name="总务审核", approver_kind="role", role=f.role("director")
    )
    ApprovalChainStep.objects.create(
        chain=chain,
        order=3,
        name="校长审批",
        approver_kind="role",
        role=f.role("principal"),
        min_amount=Decimal("5000"),
    )
    return SimpleNamespace(
        school=school,
        department=department,
        head=head,
        requester=requester,
        director=director,
        principal=principal,
        stranger=stranger,
        chain=chain,
    )


def new_expense(office: SimpleNamespace, amount: str = "800.00", **kw: Any) -> Expense:
    expense = Expense(
        department=office.department,
        title=kw.get("title", "购买打印纸"),
        category=kw.get("category", "office"),
        amount=Decimal(amount),
        description="A4 纸 20 箱",
    )
    return finance.expense_save(actor=office.requester, expense=expense)
