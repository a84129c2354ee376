"""Budget adjustments (预算调整): created by the accountant, approved through the chain, and
only then applied to the line; refusals surface with their reason."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act
from houqin.finance.models import BudgetAdjustment, BudgetEntry, BudgetLine
from houqin.finance.services import adjustments as services
from houqin.finance.services import budgets as money
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def office(school: Any) -> SimpleNamespace:
    department = f.DepartmentFactory(school=school, name="教务处")
    supplies.chain(school, "budget_adjustment", ("role", "principal"))
    return SimpleNamespace(
        school=school,
        line=supplies.budget_line(school, department, "office", "1000"),
        accountant=f.member(school, "accountant"),
        principal=f.member(school, "principal"),
    )


def new(office: SimpleNamespace, delta: str = "500") -> BudgetAdjustment:
    return services.adjustment_save(
        actor=office.accountant,
        adjustment=BudgetAdjustment(line=office.line, delta=D(delta), reason="新增实验课"),
    )


def request_of(adjustment: BudgetAdjustment) -> ApprovalRequest:
    return ApprovalRequest.objects.get(request_type="budget_adjustment", object_id=adjustment.pk)


def test_it_numbers_a_draft_and_changes_nothing_yet(office: SimpleNamespace) -> None:
    adjustment = new(office)
    assert adjustment.number.startswith("TZ-") and adjustment.status == "draft"
    assert adjustment.school_id == office.school.pk
    assert BudgetLine.objects.get(pk=office.line.pk).amount == D("1000")


def test_approval_applies_the_change_to_the_line(office: SimpleNamespace) -> None:
    adjustment = services.adjustment_submit(actor=office.accountant, adjustment=new(office))
    assert adjustment.status == "pending"
    request = request_of(adjustment)
    assert request.amount == D("500") and request.department == office.line.department
    approval_act(request=request, actor=office.principal, action="approve")
    adjustment.refresh_from_db()
    line = BudgetLine.objects.get(pk=office.line.pk)
    assert adjustment.status == "approved" and adjustment.decided_at is not None
    assert line.amount == D("1500") and line.initial_amount == D("1000")
    entry = BudgetEntry.objects.get(line=line, kind="adjust")
    assert (entry.source_type, entry.source_id, entry.reference) == (
        "budget_adjustment",
        adjustment.pk,
        adjustment.number,
    )


def test_a_reduction_below_what_is_used_is_refused_at_submission(
    office: SimpleNamespace,
) -> None:
    money.budget_commit(line=office.line, amount=D("700"), actor=None)
    adjustment = new(office, "-400")
    with pytest.raises(ApprovalError, match="below what is already committed"):
        services.adjustment_submit(actor=office.accountant, adjustment=adjustment)
    assert not ApprovalRequest.objects.filter(object_id=adjustment.pk).exists()


def test_money_committed_meanwhile_refuses_the_approval_and_rolls_it_back(
    office: SimpleNamespace,
) -> None:
    adjustment = services.adjustment_submit(actor=office.accountant, adjustment=new(office, "-400"))
    money.budget_commit(line=office.line, amount=D("700"), actor=None)
    request = request_of(adjustment)
    with pytest.raises(ApprovalError, match="below what is already committed"):
        approval_act(request=request, actor=office.principal, action="approve")
    adjustment.refresh_from_db()
    request.refresh_from_db()
    assert adjustment.status == "pending" and request.status == "pending"
    assert BudgetLine.objects.get(pk=office.line.pk).amount == D("1000")


def test_a_returned_adjustment_is_edited_and_resubmitted(office: SimpleNamespace) -> None:
    adjustment = services.adjustment_submit(actor=office.accountant, adjustment=new(office))
    approval_act(
        request=request_of(adjustment), actor=office.principal, action="return", reason="写明用途"
    )
    adjustment.refresh_from_db()
    assert adjustment.status == "returned"
    adjustment.delta = D("300")
    services.adjustment_save(actor=office.accountant, adjustment=adjustment)
    services.adjustment_submit(actor=office.accountant, adjustment=adjustment)
    approval_act(request=request_of(adjustment), actor=office.principal, action="approve")
    assert BudgetLine.objects.get(pk=office.line.pk).amount == D("1300")


def test_rejection_and_withdrawal_leave_the_budget_alone(office: SimpleNamespace) -> None:
    rejected = services.adjustment_submit(actor=office.accountant, adjustment=new(office))
    approval_act(
        request=request_of(rejected), actor=office.principal, action="reject", reason="无预算"
    )
    rejected.refresh_from_db()
    assert rejected.status == "rejected" and rejected.decided_at is not None
    withdrawn = services.adjustment_submit(actor=office.accountant, adjustment=new(office))
    services.adjustment_withdraw(actor=office.accountant, adjustment=withdrawn)
    withdrawn.refresh_from_db()
    assert withdrawn.status == "withdrawn"
    assert BudgetLine.objects.get(pk=office.line.pk).amount == D("1000")
    with pytest.raises(ApprovalError):
        services.adjustment_withdraw(actor=office.accountant, adjustment=new(office))


def test_only_the_requester_submits_or_changes_it(office: SimpleNamespace) -> None:
    adjustment = new(office)
    other = f.member(office.school, "accountant")
    with pytest.raises(ApprovalError):
        services.adjustment_submit(actor=other, adjustment=adjustment)
    adjustment.delta = D("1")
    from houqin.core.workflow import TransitionError

    with pytest.raises(TransitionError):
        services.adjustment_save(actor=other, adjustment=adjustment)


def test_the_pages_from_request_to_approval(office: SimpleNamespace) -> None:
    client = login(office.accountant)
    form = client.get(reverse("finance:adjustment_add") + f"?line={office.line.pk}")
    assert form.status_code == 200 and "1,000.00" in form.content.decode()
    zero = client.post(
        reverse("finance:adjustment_add"), {"line": office.line.pk, "delta": "0", "reason": "x"}
    )
    assert zero.status_code == 422
    response = client.post(
        reverse("finance:adjustment_add"),
        {"line": office.line.pk, "delta": "250.50", "reason": "增加班级"},
    )
    adjustment = BudgetAdjustment.objects.get()
    assert response["Location"] == reverse("finance:adjustment_detail", args=[adjustment.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="submit"' in page and "1,250.50" in page
    client.post(reverse("finance:adjustment_action", args=[adjustment.pk, "submit"]))
    adjustment.refresh_from_db()
    assert adjustment.status == "pending"
    boss = login(office.principal)
    page = boss.get(reverse("finance:adjustment_detail", args=[adjustment.pk])).content.decode()
    assert 'data-testid="approve"' in page
    request = request_of(adjustment)
    boss.post(reverse("approvals:request_act", args=[request.pk, "approve"]), {"step": ""})
    assert BudgetLine.objects.get(pk=office.line.pk).amount == D("1250.50")
    listing = client.get(reverse("finance:adjustment_list")).content.decode()
    assert adjustment.number in listing


def test_a_refused_submission_shows_its_reason(office: SimpleNamespace) -> None:
    money.budget_commit(line=office.line, amount=D("900"), actor=None)
    adjustment = new(office, "-200")
    client = login(office.accountant)
    page = client.get(reverse("finance:adjustment_detail", args=[adjustment.pk])).content.decode()
    assert 'data-testid="too-low"' in page
    response = client.post(
        reverse("finance:adjustment_action", args=[adjustment.pk, "submit"]), follow=True
    )
    assert "below what is already committed" in response.content.decode() or "低于" in (
        response.content.decode()
    )


def test_others_may_not_edit_and_other_schools_get_404(
    office: SimpleNamespace, other_school: Any
) -> None:
    adjustment = new(office)
    other = login(f.member(office.school, "director"))
    assert other.get(reverse("finance:adjustment_edit", args=[adjustment.pk])).status_code == 403
    outsider = login(f.member(other_school, "accountant"))
    for name in ("finance:adjustment_detail", "finance:adjustment_edit"):
        assert outsider.get(reverse(name, args=[adjustment.pk])).status_code == 404
    assert (
        login(f.member(office.school, "teacher"))
        .get(reverse("finance:adjustment_list"))
        .status_code
        == 403
    )


def test_the_list_runs_a_constant_number_of_queries(office: SimpleNamespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(office.accountant)
    url = reverse("finance:adjustment_list")
    new(office)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _n in range(8):
        line = supplies.budget_line(
            office.school, f.DepartmentFactory(school=office.school), "repair", "10"
        )
        services.adjustment_save(
            actor=f.member(office.school, "director"),
            adjustment=BudgetAdjustment(line=line, delta=D("5"), reason="x"),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)
