"""Budget money: commit on approval, spend on acceptance or payment, adjust on approval.

Every function locks the budget line, so two approvals at the same moment cannot both use
the last of a budget: the second sees what the first committed. ``available`` is always
``amount − committed − spent``; each change writes a ``BudgetEntry``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import BudgetEntry, BudgetEntryKind, BudgetLine, BudgetPolicy, FinanceSettings

CENT = Decimal("0.01")


class BudgetError(Exception):
    """A refused budget change; the message is meant for the user."""


def settings_for(school_id: int) -> FinanceSettings:
    found = FinanceSettings.objects.filter(school_id=school_id).first()
    return found or FinanceSettings(school_id=school_id)


def line_for(
    *, school_id: int, department_id: int, category: str, on: datetime.date
) -> BudgetLine | None:
    """The budget line of a department and category in the school year containing ``on``."""
    return (
        BudgetLine.objects.filter(
            school_id=school_id,
            department_id=department_id,
            category=category,
            school_year__start__lte=on,
            school_year__end__gte=on,
        )
        .select_related("school_year", "department")
        .first()
    )


def check(line: BudgetLine, amount: Decimal) -> tuple[bool, str]:
    """(allowed, message) for using ``amount`` of ``line`` now, under the school's policy.

    The message is empty when the budget suffices, a warning when the policy only warns.
    """
    if amount <= line.available:
        return True, ""
    message = _(
        "The budget “%(line)s” has %(available)s yuan available; this needs %(amount)s yuan."
    ) % {"line": line, "available": f"{line.available:,.2f}", "amount": f"{amount:,.2f}"}
    return settings_for(line.school_id).budget_policy == BudgetPolicy.WARN, message


def _locked(line: BudgetLine | int) -> BudgetLine:
    pk = line if isinstance(line, int) else line.pk
    found: BudgetLine | None = (
        BudgetLine.objects.select_for_update(of=("self",), no_key=True)
        .select_related("school_year", "department")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise BudgetError(_("This budget line does not exist."))
    return found


def _entry(
    line: BudgetLine,
    kind: str,
    amount: Decimal,
    *,
    actor: Any,
    source_type: str,
    source_id: int | None,
    reference: str,
    note: str,
) -> BudgetEntry:
    BudgetLine.objects.filter(pk=line.pk).update(
        amount=line.amount, committed=line.committed, spent=line.spent
    )
    return BudgetEntry.objects.create(
        school_id=line.school_id,
        line=line,
        kind=kind,
        amount=amount,
        committed_after=line.committed,
        spent_after=line.spent,
        budget_after=line.amount,
        source_type=source_type,
        source_id=source_id,
        reference=reference[:60],
        note=note[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _positive(amount: Decimal) -> Decimal:
    value = Decimal(amount).quantize(CENT)
    if value < 0:
        raise BudgetError(_("The amount cannot be negative."))
    return value


@transaction.atomic
def budget_commit(
    *,
    line: BudgetLine | int,
    amount: Decimal,
    actor: Any,
    source_type: str = "",
    source_id: int | None = None,
    reference: str = "",
    note: str = "",
) -> BudgetEntry | None:
    """Reserve ``amount`` of the line (an approval). Refused over budget when the school's
    policy blocks; let through (the caller shows the warning) when it warns."""
    value = _positive(amount)
    if value == 0:
        return None
    locked = _locked(line)
    allowed, message = check(locked, value)
    if not allowed:
        raise BudgetError(message)
    locked.committed += value
    return _entry(
        locked,
        BudgetEntryKind.COMMIT,
        value,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        reference=reference,
        note=note,
    )


@transaction.atomic
def budget_release(
    *,
    line: BudgetLine | int,
    amount: Decimal,
    actor: Any,
    source_type: str = "",
    source_id: int | None = None,
    reference: str = "",
    note: str = "",
) -> BudgetEntry | None:
    """Give back up to ``amount`` of what was committed (cancelled or cheaper than planned)."""
    locked = _locked(line)
    value = min(_positive(amount), locked.committed)
    if value == 0:
        return None
    locked.committed -= value
    return _entry(
        locked,
        BudgetEntryKind.RELEASE,
        value,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        reference=reference,
        note=note,
    )


@transaction.atomic
def budget_spend(
    *,
    line: BudgetLine | int,
    amount: Decimal,
    actor: Any,
    release: Decimal = Decimal("0"),
    source_type: str = "",
    source_id: int | None = None,
    reference: str = "",
    note: str = "",
) -> BudgetEntry | None:
    """Record ``amount`` as spent, turning up to ``release`` of the commitment into it.

    Spending is a fact (goods accepted, a bill paid): it is recorded even above the budget.
    """
    locked = _locked(line)
    value = _positive(amount)
    freed = min(_positive(release), locked.committed)
    if freed:
        locked.committed -= freed
        _entry(
            locked,
            BudgetEntryKind.RELEASE,
            freed,
            actor=actor,
            source_type=source_type,
            source_id=source_id,
            reference=reference,
            note=note,
        )
    if value == 0:
        return None
    locked.spent += value
    return _entry(
        locked,
        BudgetEntryKind.SPEND,
        value,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        reference=reference,
        note=note,
    )


@transaction.atomic
def budget_refund(
    *,
    line: BudgetLine | int,
    amount: Decimal,
    actor: Any,
    source_type: str = "",
    source_id: int | None = None,
    reference: str = "",
    note: str = "",
) -> BudgetEntry | None:
    """Take back spending (goods returned to the supplier after acceptance)."""
    locked = _locked(line)
    value = min(_positive(amount), locked.spent)
    if value == 0:
        return None
    locked.spent -= value
    return _entry(
        locked,
        BudgetEntryKind.REFUND,
        value,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        reference=reference,
        note=note,
    )


@transaction.atomic
def budget_change_amount(
    *,
    line: BudgetLine | int,
    delta: Decimal,
    actor: Any,
    source_type: str = "",
    source_id: int | None = None,
    reference: str = "",
    note: str = "",
) -> BudgetEntry:
    """Raise or lower the budget (an approved adjustment). It cannot go below what is
    already committed and spent."""
    locked = _locked(line)
    change = Decimal(delta).quantize(CENT)
    if change == 0:
        raise BudgetError(_("The change cannot be zero."))
    new_amount = locked.amount + change
    if new_amount < locked.committed + locked.spent:
        raise BudgetError(
            _("The budget cannot go below what is already committed and spent (%(used)s yuan).")
            % {"used": f"{locked.committed + locked.spent:,.2f}"}
        )
    locked.amount = new_amount
    return _entry(
        locked,
        BudgetEntryKind.ADJUST,
        change,
        actor=actor,
        source_type=source_type,
        source_id=source_id,
        reference=reference,
        note=note,
    )
