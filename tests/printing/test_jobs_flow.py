"""The life of a print job through its services: submit (queue or approval), print, paper
deduction, collect, cancel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act
from houqin.core.models import StatusChange
from houqin.core.workflow import TransitionError
from houqin.inventory.models import StockItem, StockMovement
from houqin.inventory.services.stock import StockError
from houqin.notifications.models import Notification
from houqin.printing.models import PrintJob, PrintSettings
from houqin.printing.services import jobs as services
from tests import factories as f
from tests import supplies

from .conftest import make_job

pytestmark = pytest.mark.django_db


def queued(requester: Any, department: Any, **kw: Any) -> PrintJob:
    job = make_job(requester, department, **kw)
    return services.print_job_submit(actor=requester, job=job)


def test_it_numbers_a_new_job_and_estimates_its_sheets(requester: Any, department: Any) -> None:
    job = make_job(requester, department, pages=41, copies=3)
    assert job.number.startswith("WY-")
    assert job.status == "draft"
    assert job.sheets_estimated == 63
    assert job.requester == requester
    assert job.school_id == department.school_id


def test_an_exam_paper_goes_straight_to_the_queue(requester: Any, department: Any) -> None:
    job = queued(requester, department)
    assert job.status == "queued"
    assert job.needs_approval is False
    assert job.submitted_at is not None
    assert not ApprovalRequest.objects.filter(object_id=job.pk).exists()


def test_a_lesson_handout_goes_through_the_chain(
    school: Any, requester: Any, department: Any, head: Any
) -> None:
    supplies.chain(school, "print_job", ("department_head", None))
    job = queued(requester, department, purpose="lesson")
    assert job.status == "pending"
    assert job.needs_approval is True
    approval = ApprovalRequest.objects.get(request_type="print_job", object_id=job.pk)
    assert approval.category == "lesson"
    assert approval.amount == Decimal("2.00")  # 40 sheets at 0.05
    approval_act(request=approval, actor=head, action="approve")
    job.refresh_from_db()
    assert job.status == "queued"


def test_a_returned_job_is_edited_and_resubmitted(
    school: Any, requester: Any, department: Any, head: Any
) -> None:
    supplies.chain(school, "print_job", ("department_head", None))
    job = queued(requester, department, purpose="notice")
    approval = ApprovalRequest.objects.get(object_id=job.pk, request_type="print_job")
    approval_act(request=approval, actor=head, action="return", reason="份数太多")
    job.refresh_from_db()
    assert job.status == "returned"
    job.copies = 1
    services.print_job_save(actor=requester, job=job)
    services.print_job_submit(actor=requester, job=job)
    assert job.status == "pending"
    approval.refresh_from_db()
    approval_act(request=approval, actor=head, action="reject", reason="不需要")
    job.refresh_from_db()
    assert job.status == "rejected"


def test_a_returned_job_changed_to_an_exam_paper_skips_approval(
    school: Any, requester: Any, department: Any, head: Any
) -> None:
    supplies.chain(school, "print_job", ("department_head", None))
    job = queued(requester, department, purpose="other")
    approval = ApprovalRequest.objects.get(object_id=job.pk, request_type="print_job")
    approval_act(request=approval, actor=head, action="return", reason="是试卷吗")
    job.refresh_from_db()
    job.purpose = "exam"
    services.print_job_save(actor=requester, job=job)
    services.print_job_submit(actor=requester, job=job)
    assert job.status == "queued"


def test_without_a_chain_a_job_needing_approval_is_refused_and_stays_a_draft(
    requester: Any, department: Any
) -> None:
    job = make_job(requester, department, purpose="other")
    with pytest.raises(ApprovalError):
        services.print_job_submit(actor=requester, job=job)
    job.refresh_from_db()
    assert job.status == "draft"
    assert job.submitted_at is None


def test_only_the_requester_submits_or_edits(school: Any, requester: Any, department: Any) -> None:
    job = make_job(requester, department)
    other = f.member(school, "teacher")
    with pytest.raises(services.PrintingError):
        services.print_job_submit(actor=other, job=job)
    with pytest.raises(services.PrintingError):
        services.print_job_save(actor=other, job=job)
    services.print_job_submit(actor=requester, job=job)
    with pytest.raises(services.PrintingError):
        services.print_job_save(actor=requester, job=job)


def test_done_takes_the_sheets_from_the_paper_stock_in_fractional_reams(
    requester: Any, department: Any, operator: Any, paper: StockItem
) -> None:
    job = queued(requester, department)
    services.print_job_start(actor=operator, job=job)
    assert job.status == "printing"
    services.print_job_done(actor=operator, job=job, sheets_used=None, spoiled_sheets=3)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.sheets_used == 40
    assert job.spoiled_sheets == 3
    assert job.paper_item == paper
    assert job.operator == operator
    assert job.done_at is not None
    paper.refresh_from_db()
    assert paper.quantity == Decimal("9.914")  # 10 − 43/500
    movement = StockMovement.objects.get(source_type="print_job", source_id=job.pk)
    assert movement.kind == "print"
    assert movement.quantity == Decimal("-0.086")
    assert movement.department == department
    assert movement.person == requester
    assert movement.reference == job.number
    assert movement.amount == Decimal("-2.15")  # 0.086 × 25


def test_the_requester_is_told_when_it_is_printed(
    requester: Any,
    department: Any,
    operator: Any,
    paper: StockItem,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = queued(requester, department)
    with django_capture_on_commit_callbacks(execute=True):
        services.print_job_done(actor=operator, job=job, sheets_used=40)
    notice = Notification.objects.get(recipient=requester, event="printing.done")
    assert job.number in notice.title


def test_not_enough_paper_refuses_and_leaves_the_job_unchanged(
    school: Any, requester: Any, department: Any, operator: Any
) -> None:
    item = supplies.stock_item(
        school, name="A3纸", unit="包", category="paper", paper_size="A3", sheets_per_unit=500
    )
    supplies.receive(item, "0.01", "30")  # 5 sheets
    job = queued(requester, department, paper_size="A3")
    services.print_job_start(actor=operator, job=job)
    with pytest.raises(StockError, match="Not enough"):
        services.print_job_done(actor=operator, job=job, sheets_used=40)
    job.refresh_from_db()
    assert job.status == "printing"
    assert job.sheets_used is None
    assert job.paper_item is None
    item.refresh_from_db()
    assert item.quantity == Decimal("0.010")
    assert not StatusChange.objects.filter(object_id=str(job.pk), to_status="done").exists()


def test_without_paper_of_the_size_the_job_is_done_without_deduction(
    requester: Any, department: Any, operator: Any, paper: StockItem
) -> None:
    job = queued(requester, department, paper_size="B5")
    services.print_job_done(actor=operator, job=job, sheets_used=40)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.paper_item is None
    paper.refresh_from_db()
    assert paper.quantity == Decimal("10.000")


def test_it_takes_paper_from_the_item_with_the_most_stock(
    school: Any, requester: Any, department: Any, operator: Any, paper: StockItem
) -> None:
    bigger = supplies.stock_item(
        school, name="A4纸（另一品牌）", category="paper", paper_size="A4", sheets_per_unit=500
    )
    supplies.receive(bigger, 20, "24")
    idle = supplies.stock_item(
        school,
        name="停用A4",
        category="paper",
        paper_size="A4",
        sheets_per_unit=500,
        is_active=False,
    )
    supplies.receive(idle, 100, "1")
    job = queued(requester, department)
    services.print_job_done(actor=operator, job=job, sheets_used=500)
    job.refresh_from_db()
    assert job.paper_item == bigger


def test_only_the_print_room_starts_and_finishes(
    requester: Any, department: Any, paper: StockItem
) -> None:
    job = queued(requester, department)
    with pytest.raises(TransitionError):
        services.print_job_start(actor=requester, job=job)
    with pytest.raises(services.PrintingError):
        services.print_job_done(actor=requester, job=job, sheets_used=40)


def test_done_refuses_nonsense_sheets_and_a_job_not_in_the_queue(
    requester: Any, department: Any, operator: Any
) -> None:
    job = queued(requester, department)
    for bad in ("-1", "abc", 0, 10_000_001):
        with pytest.raises(services.PrintingError):
            services.print_job_done(actor=operator, job=job, sheets_used=bad)
    draft = make_job(requester, department)
    with pytest.raises(services.PrintingError):
        services.print_job_done(actor=operator, job=draft)


def test_collect_and_cancel(school: Any, requester: Any, department: Any, operator: Any) -> None:
    job = queued(requester, department)
    with pytest.raises(TransitionError):
        services.print_job_collect(actor=requester, job=job)
    services.print_job_done(actor=operator, job=job, sheets_used=40)
    services.print_job_collect(actor=requester, job=job)
    assert job.status == "collected"

    other = queued(requester, department)
    stranger = f.member(school, "teacher")
    with pytest.raises(services.PrintingError):
        services.print_job_cancel(actor=stranger, job=other)
    with pytest.raises(services.PrintingError, match="why"):
        services.print_job_cancel(actor=operator, job=other)
    services.print_job_cancel(actor=operator, job=other, reason="原稿不清")
    assert other.status == "cancelled"

    mine = make_job(requester, department)
    services.print_job_cancel(actor=requester, job=mine)
    assert mine.status == "cancelled"


def test_a_requeued_job_can_be_started_again(
    requester: Any, department: Any, operator: Any
) -> None:
    job = queued(requester, department)
    services.print_job_start(actor=operator, job=job)
    services.print_job_requeue(actor=operator, job=job, reason="卡纸")
    assert job.status == "queued"
    services.print_job_start(actor=operator, job=job)
    assert job.status == "printing"


def test_the_school_settings_decide(school: Any, requester: Any, department: Any) -> None:
    PrintSettings.objects.create(school=school, approval_rule="never")
    job = queued(requester, department, purpose="other")
    assert job.status == "queued"
