"""Purchase request services: totals, the budget check under both policies, the commitment
on approval (and its refusal when the money is gone), cancel, settle and reorder."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act
from houqin.finance.models import BudgetEntry, FinanceSettings
from houqin.finance.services.budgets import budget_commit
from houqin.procurement.choices import LineStatus, RequestStatus
from houqin.procurement.models import PurchaseRequest
from houqin.procurement.services import requests as services
from houqin.procurement.services.requests import LineInput, RequestError
from tests import factories as f
from tests import supplies

pytestmark = pytest.mark.django_db
S = RequestStatus


@pytest.fixture
def office(school: Any) -> SimpleNamespace:
    return make_office(school)


def make_office(school: Any) -> SimpleNamespace:
    """教务处 with its head, a teacher, the vice principal, a purchaser, an office-supplies
    budget of 10,000 yuan and a chain: department head, then the vp from 5,000 yuan."""
    department = f.DepartmentFactory(school=school, name="教务处")
    head = f.member(school, "depthead", department=department, username="head")
    department.head = head
    department.save()
    teacher = f.member(school, "teacher", department=department, username="req")
    vp = f.member(school, "vp", username="vp")
    purchaser = f.member(school, "purchaser", username="buyer")
    line = supplies.budget_line(school, department, "office", "10000")
    chain = supplies.chain(school, "purchase_request", ("department_head", None), ("role", "vp"))
    vp_step = chain.steps.get(order=2)
    vp_step.min_amount = Decimal("5000")
    vp_step.save()
    return SimpleNamespace(
        school=school,
        department=department,
        head=head,
        teacher=teacher,
        vp=vp,
        purchaser=purchaser,
        line=line,
        chain=chain,
    )


def lines(*rows: tuple[str, str, str]) -> list[LineInput]:
    return [
        LineInput(item_name=name, quantity=Decimal(qty), unit="个", estimated_price=Decimal(price))
        for name, qty, price in rows
    ]


def draft(office: SimpleNamespace, *rows: tuple[str, str, str], **kw: Any) -> PurchaseRequest:
    request = PurchaseRequest(
        department=office.department,
        title=kw.get("title", "期中考试用品"),
        category=kw.get("category", "office"),
        budget_line=kw.get("budget_line", office.line),
        reason="期中考试",
    )
    return services.purchase_request_save(
        actor=kw.get("actor", office.teacher),
        request=request,
        lines=lines(*(rows or (("红笔", "300", "1.2"),))),
    )


def approve_all(request: PurchaseRequest, *people: Any) -> ApprovalRequest:
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    for person in people:
        approval = approval_act(request=approval, actor=person, action="approve")
    return approval


def test_it_numbers_the_request_and_computes_the_total(office: SimpleNamespace) -> None:
    request = draft(office, ("红笔", "300", "1.2"), ("A4纸", "3", "25.555"), ("订书机", "1.5", "9"))
    assert request.number.startswith("CG-")
    assert request.requester == office.teacher
    assert request.school == office.school
    assert request.estimated_total == Decimal("360.00") + Decimal("76.68") + Decimal("13.50")
    assert request.lines.count() == 3
    # Saving again replaces the lines.
    services.purchase_request_save(
        actor=office.teacher, request=request, lines=lines(("红笔", "10", "1"))
    )
    request.refresh_from_db()
    assert request.estimated_total == Decimal("10.00")
    assert request.lines.count() == 1


def test_it_refuses_an_empty_request_and_a_foreign_budget_line(
    office: SimpleNamespace, other_school: Any
) -> None:
    with pytest.raises(RequestError):
        services.purchase_request_save(
            actor=office.teacher,
            request=PurchaseRequest(
                department=office.department, title="x", category="office", reason="x"
            ),
            lines=[],
        )
    other = supplies.budget_line(office.school, f.DepartmentFactory(school=office.school))
    with pytest.raises(RequestError, match="department"):
        draft(office, budget_line=other)
    with pytest.raises(RequestError, match="budget line is for"):
        draft(office, category="teaching")
    assert not PurchaseRequest.objects.exists()


def test_only_the_requester_changes_an_editable_request(office: SimpleNamespace) -> None:
    request = draft(office)
    with pytest.raises(RequestError):
        services.purchase_request_save(actor=office.head, request=request, lines=lines())
    services.purchase_request_submit(actor=office.teacher, request=request)
    with pytest.raises(RequestError, match="no longer"):
        services.purchase_request_save(
            actor=office.teacher, request=request, lines=lines(("x", "1", "1"))
        )


def test_submit_goes_to_the_department_head_and_approval_commits(
    office: SimpleNamespace,
) -> None:
    request = draft(office)
    request, warning = services.purchase_request_submit(actor=office.teacher, request=request)
    assert warning == ""
    assert request.status == S.PENDING and request.submitted_at is not None
    approve_all(request, office.head)  # 360 yuan: the vp step does not apply
    request.refresh_from_db()
    office.line.refresh_from_db()
    assert request.status == S.APPROVED
    assert request.committed == Decimal("360.00")
    assert office.line.committed == Decimal("360.00")
    entry = BudgetEntry.objects.get(source_type="purchase_request", source_id=request.pk)
    assert entry.kind == "commit" and entry.reference == request.number
    assert set(request.lines.values_list("status", flat=True)) == {LineStatus.OPEN}


def test_a_large_request_also_needs_the_vice_principal(office: SimpleNamespace) -> None:
    request = draft(office, ("投影仪", "2", "3000"))
    services.purchase_request_submit(actor=office.teacher, request=request)
    approve_all(request, office.head)
    request.refresh_from_db()
    assert request.status == S.PENDING
    assert request.committed == 0
    approve_all(request, office.vp)
    request.refresh_from_db()
    assert request.status == S.APPROVED and request.committed == Decimal("6000.00")


def test_block_policy_refuses_over_budget_at_submit(office: SimpleNamespace) -> None:
    request = draft(office, ("电脑", "3", "4000"))
    with pytest.raises(ApprovalError, match="available"):
        services.purchase_request_submit(actor=office.teacher, request=request)
    request.refresh_from_db()
    assert request.status == S.DRAFT
    assert not ApprovalRequest.objects.exists()


def test_warn_policy_submits_with_a_warning_and_commits_over_budget(
    office: SimpleNamespace,
) -> None:
    FinanceSettings.objects.create(school=office.school, budget_policy="warn")
    request = draft(office, ("电脑", "3", "4000"))
    request, warning = services.purchase_request_submit(actor=office.teacher, request=request)
    assert "available" in warning
    approve_all(request, office.head, office.vp)
    office.line.refresh_from_db()
    assert office.line.committed == Decimal("12000.00")
    assert office.line.available == Decimal("-2000.00")


def test_approval_is_refused_when_the_budget_is_gone_by_then(office: SimpleNamespace) -> None:
    request = draft(office, ("投影仪", "2", "3000"))
    services.purchase_request_submit(actor=office.teacher, request=request)
    approve_all(request, office.head)
    # Meanwhile another request used most of the budget.
    budget_commit(line=office.line, amount=Decimal("5000"), actor=office.vp)
    with pytest.raises(ApprovalError, match="available"):
        approve_all(request, office.vp)
    request.refresh_from_db()
    office.line.refresh_from_db()
    assert request.status == S.PENDING and request.committed == 0
    assert office.line.committed == Decimal("5000.00")
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    assert approval.status == "pending"  # the whole approval was rolled back


def test_a_missing_budget_line_is_refused_when_required(office: SimpleNamespace) -> None:
    request = draft(office, budget_line=None)
    with pytest.raises(ApprovalError, match="budget line"):
        services.purchase_request_submit(actor=office.teacher, request=request)
    FinanceSettings.objects.create(school=office.school, require_budget_line=False)
    request, _warning = services.purchase_request_submit(actor=office.teacher, request=request)
    approve_all(request, office.head)
    request.refresh_from_db()
    assert request.status == S.APPROVED and request.committed == 0


def test_withdraw_then_cancel_by_the_requester(office: SimpleNamespace) -> None:
    request = draft(office)
    services.purchase_request_submit(actor=office.teacher, request=request)
    with pytest.raises(RequestError, match="Withdraw"):
        services.purchase_request_cancel(actor=office.teacher, request=request)
    services.purchase_request_withdraw(actor=office.teacher, request=request)
    request.refresh_from_db()
    assert request.status == S.WITHDRAWN
    with pytest.raises(RequestError):
        services.purchase_request_cancel(actor=office.head, request=request)
    services.purchase_request_cancel(actor=office.teacher, request=request)
    assert request.status == S.CANCELLED
    assert set(request.lines.values_list("status", flat=True)) == {LineStatus.CANCELLED}


def test_the_purchaser_cancels_an_approved_request_and_the_budget_comes_back(
    office: SimpleNamespace,
) -> None:
    request = draft(office)
    services.purchase_request_submit(actor=office.teacher, request=request)
    approve_all(request, office.head)
    request.refresh_from_db()
    with pytest.raises(RequestError, match="purchasing office"):
        services.purchase_request_cancel(actor=office.teacher, request=request, reason="x")
    with pytest.raises(RequestError, match="reason"):
        services.purchase_request_cancel(actor=office.purchaser, request=request)
    services.purchase_request_cancel(actor=office.purchaser, request=request, reason="已有库存")
    request.refresh_from_db()
    office.line.refresh_from_db()
    assert request.status == S.CANCELLED and request.committed == 0
    assert office.line.committed == 0


def approved(office: SimpleNamespace, *rows: tuple[str, str, str]) -> PurchaseRequest:
    request = draft(office, *rows)
    services.purchase_request_submit(actor=office.teacher, request=request)
    approve_all(request, office.head)
    request.refresh_from_db()
    return request


def test_settle_follows_the_lines_and_releases_what_is_left(office: SimpleNamespace) -> None:
    request = approved(office, ("红笔", "100", "1"), ("A4纸", "10", "20"))
    first, second = request.lines.all()
    first.status = LineStatus.ORDERED
    first.save()
    services.purchase_request_settle(request=request, actor=office.purchaser)
    assert request.status == S.ORDERING
    second.status = LineStatus.ORDERED
    second.save()
    services.purchase_request_settle(request=request, actor=office.purchaser)
    assert request.status == S.ORDERED
    # The pens came (90 yuan spent, the orders' module released 100); the paper was cancelled.
    request.committed = Decimal("200.00")
    PurchaseRequest.objects.filter(pk=request.pk).update(committed=Decimal("200.00"))
    office.line.committed = Decimal("200.00")
    type(office.line).objects.filter(pk=office.line.pk).update(committed=Decimal("200.00"))
    first.status, first.received = LineStatus.RECEIVED, Decimal("100")
    first.save()
    second.status = LineStatus.CANCELLED
    second.save()
    settled = services.purchase_request_settle(request=request, actor=office.purchaser)
    office.line.refresh_from_db()
    assert settled.status == S.RECEIVED and settled.committed == 0
    assert office.line.committed == 0
    # Settling again changes nothing.
    assert services.purchase_request_settle(request=request, actor=office.purchaser).status == (
        S.RECEIVED
    )


def test_settle_cancels_when_nothing_was_received(office: SimpleNamespace) -> None:
    request = approved(office)
    request.lines.update(status=LineStatus.ORDERED)
    services.purchase_request_settle(request=request, actor=office.purchaser)
    assert request.status == S.ORDERED
    request.lines.update(status=LineStatus.CANCELLED)
    services.purchase_request_settle(request=request, actor=office.purchaser)
    office.line.refresh_from_db()
    assert request.status == S.CANCELLED
    assert office.line.committed == 0
    # Lines put back to OPEN after an order was cancelled: back to approved.
    other = approved(office, ("订书机", "2", "10"))
    other.lines.update(status=LineStatus.ORDERED)
    services.purchase_request_settle(request=other, actor=office.purchaser)
    other.lines.update(status=LineStatus.OPEN)
    services.purchase_request_settle(request=other, actor=office.purchaser)
    assert other.status == S.APPROVED


def test_settle_leaves_requests_not_yet_approved_alone(office: SimpleNamespace) -> None:
    request = draft(office)
    request.lines.update(status=LineStatus.CANCELLED)
    assert services.purchase_request_settle(request=request, actor=office.teacher).status == (
        S.DRAFT
    )


def test_reorder_makes_a_draft_for_the_low_items(office: SimpleNamespace) -> None:
    storekeeper = f.member(office.school, "storekeeper", username="keeper")
    pens = supplies.stock_item(
        office.school, name="红笔", unit="支", min_stock=Decimal("50"), max_stock=Decimal("500")
    )
    supplies.receive(pens, "20", "1.25")
    paper = supplies.stock_item(office.school, name="A4纸", unit="包", min_stock=Decimal("10"))
    supplies.receive(paper, "4", "21.333")
    full = supplies.stock_item(office.school, name="胶水")
    request = services.purchase_request_from_reorder(
        actor=storekeeper, department=office.department, items=[pens, paper, full]
    )
    assert request.status == S.DRAFT and request.requester == storekeeper
    assert request.category == "office" and request.budget_line == office.line
    got = {
        line.stock_item_id: (line.quantity, line.estimated_price, line.unit)
        for line in request.lines.all()
    }
    assert got == {
        pens.pk: (Decimal("480.000"), Decimal("1.25"), "支"),
        paper.pk: (Decimal("16.000"), Decimal("21.33"), "包"),
    }
    assert "红笔" in request.title
    assert request.estimated_total == Decimal("600.00") + Decimal("341.28")


def test_reorder_refuses_other_schools_items_and_nothing_to_order(
    office: SimpleNamespace, other_school: Any
) -> None:
    foreign = supplies.stock_item(other_school, min_stock=Decimal("5"))
    with pytest.raises(RequestError):
        services.purchase_request_from_reorder(
            actor=office.teacher, department=office.department, items=[foreign]
        )
    full = supplies.stock_item(office.school)
    with pytest.raises(RequestError, match="None"):
        services.purchase_request_from_reorder(
            actor=office.teacher, department=office.department, items=[full]
        )
