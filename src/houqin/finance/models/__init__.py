from .budgets import (
    BudgetAdjustment,
    BudgetAdjustmentStatus,
    BudgetEntry,
    BudgetEntryKind,
    BudgetLine,
    BudgetPolicy,
    FinanceSettings,
)
from .expenses import Expense, ExpenseCategory, ExpenseQuerySet, ExpenseStatus

__all__ = [
    "BudgetAdjustment",
    "BudgetAdjustmentStatus",
    "BudgetEntry",
    "BudgetEntryKind",
    "BudgetLine",
    "BudgetPolicy",
    "Expense",
    "ExpenseCategory",
    "ExpenseQuerySet",
    "ExpenseStatus",
    "FinanceSettings",
]
