"""Requisition rules: the submit decision, approval, partial and full issue, refusals that
write nothing, receipt, cancel, close, and goods brought back."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act, approval_withdraw
from houqin.core.models import StatusChange
from houqin.inventory.models import DepartmentQuota, Requisition, StockItem, StockMovement
from houqin.inventory.services import requisitions as services
from houqin.inventory.services.stock import StockError
from houqin.notifications.models import Notification
from tests import factories as f
from tests import supplies

from .objects_requisitions import make_requisition

pytestmark = pytest.mark.django_db
S = Requisition.S


@pytest.fixture
def store(school: Any) -> SimpleNamespace:
    today = timezone.localdate()
    year = supplies.school_year(school)
    term = f.TermFactory(
        school_year=year,
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=60),
    )
    head = f.member(school, "depthead")
    department = f.DepartmentFactory(school=school, name="教务处", head=head)
    teacher = f.member(school, "teacher", department=department)
    keeper = f.member(school, "storekeeper")
    pens = supplies.stock_item(school, name="签字笔", unit="支")
    paper = supplies.stock_item(school, name="复印纸", unit="包")
    toner = supplies.stock_item(school, name="硒鼓", unit="个", is_restricted=True)
    supplies.receive(pens, 100, "2")
    supplies.receive(paper, 10, "25")
    supplies.receive(toner, 3, "300")
    supplies.chain(school, "requisition", ("department_head", None))
    return SimpleNamespace(
        school=school,
        term=term,
        head=head,
        department=department,
        teacher=teacher,
        keeper=keeper,
        pens=pens,
        paper=paper,
        toner=toner,
    )


def quota(store: SimpleNamespace, amount: str) -> DepartmentQuota:
    return DepartmentQuota.objects.create(
        school=store.school, term=store.term, department=store.department, amount=Decimal(amount)
    )


def submit(store: SimpleNamespace, lines: list[tuple[Any, Any]]) -> Requisition:
    return make_requisition(store.teacher, store.department, lines, submit=True)


def test_it_numbers_a_draft_and_merges_the_same_item(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.pens, 2), (store.pens, 3)])
    assert made.number.startswith("LY-")
    assert made.status == S.DRAFT
    assert [(line.item_id, line.quantity) for line in made.lines.all()] == [
        (store.pens.pk, Decimal("5.000"))
    ]
    assert made.estimated_amount == Decimal("10.00")


@pytest.mark.parametrize(
    ("quota_amount", "lines", "needs", "reason"),
    [
        (None, [("pens", 10)], False, ""),
        ("100", [("pens", 10)], False, ""),
        ("100", [("paper", 4), ("pens", 1)], True, "quota"),
        ("100", [("paper", 4)], False, ""),
        (None, [("toner", 1)], True, "restricted"),
        ("1", [("toner", 1), ("paper", 1)], True, "both"),
    ],
)
def test_the_submit_decision(
    store: SimpleNamespace, quota_amount: Any, lines: Any, needs: bool, reason: str
) -> None:
    if quota_amount is not None:
        quota(store, quota_amount)
    made = submit(store, [(getattr(store, name), qty) for name, qty in lines])
    assert made.needs_approval is needs
    assert made.status == (S.PENDING if needs else S.APPROVED)
    if reason in ("quota", "both"):
        assert "quota" in made.approval_reason
    if reason in ("restricted", "both"):
        assert "硒鼓" in made.approval_reason
    if not needs:
        assert made.approval_reason == ""
        assert not ApprovalRequest.objects.filter(object_id=made.pk).exists()


def test_the_quota_counts_what_was_issued_this_term(store: SimpleNamespace) -> None:
    quota(store, "100")
    first = submit(store, [(store.paper, 3)])  # 75 yuan, within the quota
    assert first.status == S.APPROVED
    services.requisition_issue(
        actor=store.keeper, requisition=first, quantities={first.lines.get().pk: 3}
    )
    second = submit(store, [(store.pens, 13)])  # 75 + 26 > 100
    assert second.needs_approval
    third = submit(store, [(store.pens, 12)])  # 75 + 24 = 99
    assert not third.needs_approval


def test_an_approved_requisition_goes_to_the_store(store: SimpleNamespace) -> None:
    made = submit(store, [(store.toner, 1)])
    request = ApprovalRequest.objects.get(object_id=made.pk, request_type="requisition")
    assert request.requester_id == store.teacher.pk
    approval_act(request=request, actor=store.head, action="approve")
    made.refresh_from_db()
    assert made.status == S.APPROVED
    assert Notification.objects.filter(
        recipient=store.keeper, event=services.TO_ISSUE_EVENT
    ).exists()


@pytest.mark.parametrize(("action", "status"), [("reject", S.REJECTED), ("return", S.RETURNED)])
def test_a_refused_requisition_follows_the_decision(
    store: SimpleNamespace, action: str, status: str
) -> None:
    made = submit(store, [(store.toner, 1)])
    request = ApprovalRequest.objects.get(object_id=made.pk, request_type="requisition")
    approval_act(request=request, actor=store.head, action=action, reason="太多")
    made.refresh_from_db()
    assert made.status == status


def test_a_returned_requisition_within_the_rules_goes_straight_to_the_store(
    store: SimpleNamespace,
) -> None:
    made = submit(store, [(store.toner, 1), (store.pens, 1)])
    request = ApprovalRequest.objects.get(object_id=made.pk, request_type="requisition")
    approval_act(request=request, actor=store.head, action="return", reason="不要硒鼓")
    made.refresh_from_db()
    changed = services.requisition_save(
        actor=store.teacher,
        requisition=made,
        lines=[services.LineInput(store.pens, Decimal("1"))],
        submit=True,
    )
    assert changed.status == S.APPROVED
    request.refresh_from_db()
    assert request.status == "withdrawn"


def test_withdrawing_puts_it_back_in_the_requesters_hands(store: SimpleNamespace) -> None:
    made = submit(store, [(store.toner, 1)])
    request = ApprovalRequest.objects.get(object_id=made.pk)
    approval_withdraw(request=request, actor=store.teacher)
    made.refresh_from_db()
    assert made.status == S.WITHDRAWN and made.is_editable
    again = services.requisition_submit(actor=store.teacher, requisition=made)
    assert again.status == S.PENDING


def test_without_a_chain_nothing_is_submitted(school: Any) -> None:
    department = f.DepartmentFactory(school=school)
    teacher = f.member(school, "teacher", department=department)
    item = supplies.stock_item(school, is_restricted=True)
    made = make_requisition(teacher, department, [(item, 1)])
    with pytest.raises(ApprovalError):
        services.requisition_submit(actor=teacher, requisition=made)
    made.refresh_from_db()
    assert made.status == S.DRAFT and made.submitted_at is None


def test_only_the_requester_submits(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.pens, 1)])
    with pytest.raises(services.RequisitionError):
        services.requisition_submit(actor=store.keeper, requisition=made)


def test_partial_then_full_issue(store: SimpleNamespace) -> None:
    made = submit(store, [(store.pens, 30), (store.paper, 4)])
    pens = made.lines.get(item=store.pens)
    paper = made.lines.get(item=store.paper)
    first = services.requisition_issue(
        actor=store.keeper, requisition=made, quantities={pens.pk: "30", paper.pk: "1"}
    )
    assert first.status == S.PARTIAL
    store.pens.refresh_from_db()
    assert store.pens.quantity == Decimal("70")
    movement = StockMovement.objects.get(item=store.pens, kind="issue")
    assert movement.department_id == store.department.pk
    assert movement.person_id == store.teacher.pk
    assert (movement.source_type, movement.source_id) == ("requisition", made.pk)
    assert movement.amount == Decimal("-60.00")
    assert Notification.objects.filter(recipient=store.teacher, event=services.ISSUED_EVENT)
    second = services.requisition_issue(
        actor=store.keeper, requisition=made, quantities={paper.pk: "3"}
    )
    assert second.status == S.ISSUED and second.issued_at is not None
    with pytest.raises(services.RequisitionError):
        services.requisition_issue(actor=store.keeper, requisition=made, quantities={paper.pk: 1})
    done = services.requisition_confirm(actor=store.teacher, requisition=made)
    assert done.status == S.RECEIVED and done.received_at is not None
    moves = StatusChange.objects.filter(object_id=str(made.pk)).values_list("to_status", flat=True)
    assert list(moves) == ["approved", "partial", "issued", "received"]


def test_more_than_outstanding_is_refused(store: SimpleNamespace) -> None:
    made = submit(store, [(store.pens, 5)])
    line = made.lines.get()
    with pytest.raises(services.RequisitionError, match="remain"):
        services.requisition_issue(actor=store.keeper, requisition=made, quantities={line.pk: 6})


def test_a_refused_issue_writes_nothing(store: SimpleNamespace) -> None:
    made = submit(store, [(store.pens, 5), (store.paper, 20)])  # only 10 paper in stock
    assert services.stock_warnings(made)  # a warning at submit, not a refusal
    quantities = {line.pk: line.quantity for line in made.lines.all()}
    with pytest.raises(StockError, match="Not enough"):
        services.requisition_issue(actor=store.keeper, requisition=made, quantities=quantities)
    made.refresh_from_db()
    assert made.status == S.APPROVED
    assert not StockMovement.objects.filter(kind="issue").exists()
    assert StockItem.objects.get(pk=store.pens.pk).quantity == Decimal("100")
    assert sum(line.issued for line in made.lines.all()) == 0


def test_only_the_store_issues(store: SimpleNamespace) -> None:
    made = submit(store, [(store.pens, 5)])
    with pytest.raises(services.RequisitionError):
        services.requisition_issue(
            actor=store.teacher, requisition=made, quantities={made.lines.get().pk: 5}
        )


def test_cancel_only_while_nothing_is_issued(store: SimpleNamespace) -> None:
    made = submit(store, [(store.pens, 5)])
    line = made.lines.get()
    services.requisition_issue(actor=store.keeper, requisition=made, quantities={line.pk: 1})
    with pytest.raises(services.RequisitionError):
        services.requisition_cancel(actor=store.teacher, requisition=made)
    other = submit(store, [(store.pens, 5)])
    cancelled = services.requisition_cancel(actor=store.keeper, requisition=other, reason="重复")
    assert cancelled.status == S.CANCELLED


def test_close_a_partial_issue(store: SimpleNamespace) -> None:
    made = submit(store, [(store.pens, 5)])
    line = made.lines.get()
    services.requisition_issue(actor=store.keeper, requisition=made, quantities={line.pk: 2})
    with pytest.raises(services.RequisitionError):
        services.requisition_close(actor=store.keeper, requisition=made, reason=" ")
    closed = services.requisition_close(actor=store.keeper, requisition=made, reason="缺货")
    assert closed.status == S.ISSUED


def test_goods_brought_back_return_to_the_store(store: SimpleNamespace) -> None:
    made = submit(store, [(store.paper, 4)])
    line = made.lines.get()
    services.requisition_issue(actor=store.keeper, requisition=made, quantities={line.pk: 4})
    supplies.receive(store.paper, 10, "35")  # the average changes: 6×25 + 10×35
    with pytest.raises(services.RequisitionError, match="at most"):
        services.requisition_return(
            actor=store.keeper, requisition=made, quantities={line.pk: 5}, reason="多领"
        )
    services.requisition_return(
        actor=store.keeper, requisition=made, quantities={line.pk: 1}, reason="多领"
    )
    back = StockMovement.objects.get(kind="return")
    assert back.quantity == Decimal("1") and back.amount == Decimal("25.00")
    assert back.department_id == store.department.pk
    assert services.returnable(made) == {store.paper.pk: Decimal("3")}
    store.paper.refresh_from_db()
    assert store.paper.quantity == Decimal("17")
