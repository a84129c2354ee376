import django_filters
from django.utils.translation import gettext_lazy as _

from houqin.core.filters import ScopedFilterSet

from .models import Expense, ExpenseCategory, ExpenseStatus


class ExpenseFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=ExpenseStatus.choices, label=_("status"))
    category = django_filters.ChoiceFilter(choices=ExpenseCategory.choices, label=_("category"))

    class Meta:
        model = Expense
        fields = ["status", "category", "department"]
