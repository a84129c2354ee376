"""Budget lines (预算) and the school's money policy.

A line's amount is planned freely until money first moves on it (a commitment, a spending or
an adjustment): until then an edit of the amount also sets ``initial_amount``, the budget as
first approved. From the first entry on the amount changes only through an approved budget
adjustment (``services.adjustments``), so ``amount = initial_amount + Σ adjustments`` always.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import BudgetEntry, BudgetLine, FinanceSettings
from .budgets import BudgetError


def budget_line_has_entries(line: BudgetLine) -> bool:
    """Whether money has moved on the line (its amount is then changed by adjustments only)."""
    return bool(line.pk) and BudgetEntry.objects.filter(line_id=line.pk).exists()


@transaction.atomic
def budget_line_save(*, actor: Any, line: BudgetLine) -> BudgetLine:
    """Create a line, or change one. The school follows the department; the amount may change
    only while no money has moved on the line (else: a budget adjustment)."""
    if line.department_id is None:
        raise ValidationError({"department": _("Choose a department.")})
    line.school_id = line.department.school_id
    if line.pk is None:
        line.initial_amount = line.amount
    else:
        stored = BudgetLine.objects.select_for_update(of=("self",)).filter(pk=line.pk).first()
        if stored is None:
            raise BudgetError(_("This budget line does not exist."))
        # Money fields belong to the ledger: never taken from the edited instance.
        line.committed, line.spent = stored.committed, stored.spent
        if line.amount != stored.amount and budget_line_has_entries(line):
            raise BudgetError(
                _(
                    "Money has already been committed, spent or adjusted on this line: "
                    "change its amount with a budget adjustment."
                )
            )
        if line.school_id != stored.school_id:
            raise BudgetError(_("A budget line cannot move to another school."))
        if not budget_line_has_entries(line):
            line.initial_amount = line.amount
        else:
            line.initial_amount = stored.initial_amount
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def finance_settings_save(*, actor: Any, settings: FinanceSettings) -> FinanceSettings:
    """Save a school's money policy (created on first save)."""
    existing = FinanceSettings.objects.filter(school_id=settings.school_id).first()
    if existing is not None and settings.pk is None:
        settings.pk = existing.pk
        settings._state.adding = False
    settings.full_clean()
    settings.save()
    return settings
