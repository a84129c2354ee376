"""Forms of budgets: a budget line, an adjustment, the money policy."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledModelForm

from .models import BudgetAdjustment, BudgetLine, FinanceSettings
from .services.budget_lines import budget_line_has_entries

LOCKED_HELP = _(
    "Money has moved on this line, so its amount changes only through a budget adjustment."
)


class BudgetLineForm(StyledModelForm):
    class Meta:
        model = BudgetLine
        fields = ["school_year", "department", "category", "amount", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "amount": _(
                "Editable until money first moves on the line; after that, "
                "request a budget adjustment."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locked = bool(self.instance.pk) and budget_line_has_entries(self.instance)
        if self.locked:
            for name in ("school_year", "department", "category", "amount"):
                self.fields[name].disabled = True
            self.fields["amount"].help_text = LOCKED_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, department = data.get("school_year"), data.get("department")
        if year is not None and department is not None and year.school_id != department.school_id:
            self.add_error("school_year", _("Choose a school year of the department's school."))
        return data


class AdjustmentForm(StyledModelForm):
    class Meta:
        model = BudgetAdjustment
        fields = ["line", "delta", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["line"])  # type: ignore[type-arg]
        field.queryset = BudgetLine.objects.select_related("school_year", "department")
        field.label_from_instance = _line_label  # type: ignore[method-assign,assignment]

    def clean_delta(self) -> Any:
        delta = self.cleaned_data.get("delta")
        if delta == 0:
            raise forms.ValidationError(_("The change cannot be zero."))
        return delta


def _line_label(line: BudgetLine) -> str:
    return str(
        _("%(line)s (budget %(amount)s, available %(available)s)")
        % {"line": line, "amount": f"{line.amount:,.2f}", "available": f"{line.available:,.2f}"}
    )


class FinanceSettingsForm(StyledModelForm):
    class Meta:
        model = FinanceSettings
        fields = ["budget_policy", "require_budget_line"]
