"""Two approvals racing for the last money of a budget line: exactly one commits it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.finance.models import BudgetEntry, BudgetLine
from houqin.finance.services.budgets import BudgetError, budget_commit
from tests import factories as f
from tests import supplies
from tests.core.test_workflow_numbers import needs_server_db, run_in_threads

pytestmark = [needs_server_db, pytest.mark.django_db(transaction=True)]


def test_two_approvals_cannot_overspend_a_budget_line(school: Any) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    budget_commit(line=line, amount=Decimal("400"), actor=None)

    def approve(index: int) -> int:
        budget_commit(
            line=line.pk,
            amount=Decimal("600"),
            actor=None,
            source_type="purchase_request",
            source_id=index + 1,
        )
        return index

    results, errors = run_in_threads(2, approve)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], BudgetError)
    assert "可用 0.00 元" in str(errors[0])  # raised in a thread: the site language
    line = BudgetLine.objects.get(pk=line.pk)
    assert line.committed == Decimal("1000") and line.available == 0
    assert BudgetEntry.objects.filter(line=line, kind="commit").count() == 2


def test_many_small_approvals_stop_exactly_at_the_budget(school: Any) -> None:
    line = supplies.budget_line(school, f.DepartmentFactory(school=school), "office", "1000")
    results, errors = run_in_threads(
        16, lambda i: budget_commit(line=line.pk, amount=Decimal("100"), actor=None)
    )
    assert len(results) == 10 and len(errors) == 6
    assert all(isinstance(e, BudgetError) for e in errors)
    assert BudgetLine.objects.get(pk=line.pk).committed == Decimal("1000")
