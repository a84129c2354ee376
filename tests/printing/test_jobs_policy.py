"""Sheet arithmetic and the approval decision table of the printing policy."""

from __future__ import annotations

import pytest

from houqin.printing.models import ApprovalRule, PrintJob, PrintSettings
from houqin.printing.services.policy import approval_decision, estimated_cost, sheets_for


@pytest.mark.parametrize(
    ("pages", "copies", "duplex", "sheets"),
    [
        (1, 1, True, 1),
        (1, 1, False, 1),
        (2, 1, True, 1),
        (3, 1, True, 2),
        (5, 10, True, 30),
        (5, 10, False, 50),
        (40, 2, True, 40),
        (41, 2, True, 42),
        (40, 2, False, 80),
    ],
)
def test_it_counts_sheets_with_the_blank_back_of_odd_duplex_pages(
    pages: int, copies: int, duplex: bool, sheets: int
) -> None:
    assert sheets_for(pages=pages, copies=copies, duplex=duplex) == sheets
    job = PrintJob(pages=pages, copies=copies, duplex=duplex)
    assert job.estimate_sheets() == sheets


def test_it_costs_the_sheets_at_the_school_rate() -> None:
    from decimal import Decimal

    assert estimated_cost(40, PrintSettings(sheet_cost=Decimal("0.050"))) == Decimal("2.00")
    assert estimated_cost(3, PrintSettings(sheet_cost=Decimal("0.125"))) == Decimal("0.38")


N, ABOVE, NON_EXAM, EITHER, ALWAYS = (
    ApprovalRule.NEVER,
    ApprovalRule.ABOVE_SHEETS,
    ApprovalRule.NON_EXAM,
    ApprovalRule.NON_EXAM_OR_ABOVE,
    ApprovalRule.ALWAYS,
)


# rule, purpose, sheets (pages single-sided × 1 copy), colour, colour rule → needs approval
@pytest.mark.parametrize(
    ("rule", "purpose", "sheets", "colour", "colour_rule", "needed"),
    [
        (N, "exam", 10, False, True, False),
        (N, "other", 10_000, False, True, False),
        (N, "exam", 10, True, True, True),
        (N, "exam", 10, True, False, False),
        (ALWAYS, "exam", 1, False, False, True),
        (ABOVE, "other", 499, False, True, False),
        (ABOVE, "other", 500, False, True, True),
        (ABOVE, "exam", 500, False, True, True),
        (NON_EXAM, "exam", 5000, False, True, False),
        (NON_EXAM, "lesson", 1, False, True, True),
        (NON_EXAM, "notice", 1, False, True, True),
        (EITHER, "exam", 499, False, True, False),
        (EITHER, "exam", 500, False, True, True),
        (EITHER, "other", 1, False, True, True),
        (EITHER, "exam", 1, True, True, True),
    ],
)
def test_the_approval_decision_table(
    rule: str, purpose: str, sheets: int, colour: bool, colour_rule: bool, needed: bool
) -> None:
    config = PrintSettings(
        approval_rule=rule, approval_sheets=500, colour_needs_approval=colour_rule
    )
    job = PrintJob(pages=sheets, copies=1, duplex=False, purpose=purpose, colour=colour)
    decision = approval_decision(job, config)
    assert decision.needed is needed
    assert decision.reason


def test_the_reason_says_why() -> None:
    config = PrintSettings(approval_rule=EITHER, approval_sheets=500)
    big = PrintJob(pages=600, copies=1, duplex=False, purpose="exam")
    assert "600" in approval_decision(big, config).reason
    assert "500" in approval_decision(big, config).reason
    small = PrintJob(pages=2, copies=1, duplex=False, purpose="exam")
    assert "no approval" in approval_decision(small, config).reason
    lesson = PrintJob(pages=2, copies=1, duplex=False, purpose="lesson")
    assert "other than exam" in approval_decision(lesson, config).reason
