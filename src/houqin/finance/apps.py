from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "houqin.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from . import (
            approval,  # noqa: F401 - binds the expense request type
            approval_budgets,  # noqa: F401 - binds the budget adjustment type
        )
