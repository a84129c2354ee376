"""The print job as an approval request type: the policy sends some jobs through the
``print_job`` chain; on approval they join the print room queue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from houqin.approvals import registry
from houqin.core.workflow import transition

from .models import PrintJob, PrintStatus, Purpose
from .services.policy import estimated_cost, settings_for


def _move(status: str) -> registry.Hook:
    def hook(job: PrintJob, request: Any, actor: Any) -> None:
        transition(job, status, actor=actor, check_permission=False)

    return hook


def _amount(job: PrintJob) -> Decimal:
    """The estimated paper cost, so that a chain can add a step above an amount."""
    return estimated_cost(job.estimate_sheets(), settings_for(job.school_id))


PRINT_JOB = registry.register(
    registry.RequestType(
        code="print_job",
        label=registry.get("print_job").label,
        title=lambda job: f"{job.number} {job.title}",
        amount=_amount,
        department=lambda job: job.department,
        category=lambda job: job.purpose,
        requester=lambda job: job.requester,
        on_submitted=_move(PrintStatus.PENDING),
        on_approved=_move(PrintStatus.QUEUED),
        on_rejected=_move(PrintStatus.REJECTED),
        on_returned=_move(PrintStatus.RETURNED),
        on_withdrawn=_move(PrintStatus.WITHDRAWN),
        categories=list(Purpose.choices),
    )
)
