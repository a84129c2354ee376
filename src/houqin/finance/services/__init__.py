from .expenses import PREFIX, expense_pay, expense_save, expense_submit

__all__ = ["PREFIX", "expense_pay", "expense_save", "expense_submit"]
