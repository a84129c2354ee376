from houqin.core.forms import StyledModelForm

from .models import Expense


class ExpenseForm(StyledModelForm):
    class Meta:
        model = Expense
        fields = ["department", "title", "category", "amount", "description", "needed_by"]
