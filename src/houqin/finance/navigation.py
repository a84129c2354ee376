from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuGroup, MenuItem

from .urlconf import budgets

MENU = (
    MenuGroup(
        _("Finance"),
        "cash-coin",
        weight=40,
        items=(
            MenuItem(
                _("Expense claims"), "finance:expense_list", "finance.view_expense", "receipt"
            ),
            *budgets.MENU_ITEMS,
        ),
    ),
)
