"""Objects of finance (budgets) for the URL meta-tests, keyed by model name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from houqin.finance.models import BudgetAdjustment
from houqin.finance.services.adjustments import adjustment_save
from tests import supplies


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    line = supplies.budget_line(school, department, "office", "5000")
    adjustment = adjustment_save(
        actor=person,
        adjustment=BudgetAdjustment(line=line, delta=Decimal("100"), reason="追加"),
    )
    return {"budgetline": line, "budgetadjustment": adjustment}
