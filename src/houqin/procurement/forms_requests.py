"""Forms of purchase requests (the request and its lines), the purchasing office's cancel
reason, and placing an accepted asset (待建卡)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from houqin.accounts.models import User
from houqin.assets.choices import FundingSource
from houqin.assets.models import AssetCategory
from houqin.core.forms import EMPTY_CHOICE, StyledFormMixin, StyledModelForm
from houqin.finance.models import BudgetLine
from houqin.org.models import Department, Room

from .models import PurchaseRequest
from .services.requests import unit_problem


class OptionDataSelect(forms.Select):
    """A select whose options carry ``data-*`` attributes (value -> attrs), for the page's
    script: the budget line's department and available money, a store item's unit and price."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_data: dict[str, dict[str, str]] = {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(name, value, *args, **kwargs)
        key = str(getattr(value, "value", value))
        option["attrs"].update(self.option_data.get(key, {}))
        return option


def budget_line_label(line: BudgetLine) -> str:
    return _("%(department)s · %(category)s · %(available)s yuan available") % {
        "department": line.department,
        "category": line.get_category_display(),
        "available": f"{line.available:,.2f}",
    }


class RequestForm(StyledModelForm):
    """The request itself; the view narrows departments and budget lines to the user's
    schools and the current school year."""

    class Meta:
        model = PurchaseRequest
        fields = ["department", "title", "category", "budget_line", "reason", "needed_by"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "budget_line": OptionDataSelect(),
        }
        help_texts = {
            "budget_line": _("The department's budget this year; the available money is shown."),
        }

    def set_budget_lines(self, lines: list[BudgetLine]) -> None:
        field = self.fields["budget_line"]
        field.queryset = BudgetLine.objects.filter(  # type: ignore[attr-defined]
            pk__in=[line.pk for line in lines]
        )
        field.choices = [("", EMPTY_CHOICE)] + [  # type: ignore[attr-defined]
            (line.pk, budget_line_label(line)) for line in lines
        ]
        widget = field.widget
        if isinstance(widget, OptionDataSelect):
            widget.option_data = {
                str(line.pk): {
                    "data-department": str(line.department_id),
                    "data-category": line.category,
                    "data-available": f"{line.available:.2f}",
                }
                for line in lines
            }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        line, department = data.get("budget_line"), data.get("department")
        if line is not None and department is not None and line.department_id != department.pk:
            self.add_error("budget_line", _("Choose a budget line of the request's department."))
        if line is not None and data.get("category") and line.category != data["category"]:
            self.add_error("category", _("The category must be the budget line's category."))
        return data


class LineForm(StyledFormMixin, forms.Form):
    """One line; an empty line is skipped. The store item fills what is left empty."""

    stock_item = forms.ChoiceField(label=_("store item"), required=False)
    item_name = forms.CharField(label=_("item"), max_length=100, required=False)
    specification = forms.CharField(label=_("specification"), max_length=200, required=False)
    quantity = forms.DecimalField(
        label=_("quantity"),
        max_digits=14,
        decimal_places=3,
        required=False,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = forms.CharField(label=_("unit"), max_length=20, required=False)
    estimated_price = forms.DecimalField(
        label=_("estimated unit price (yuan)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        validators=[MinValueValidator(0)],
    )

    def __init__(self, *args: Any, items: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.items = items or {}
        super().__init__(*args, **kwargs)
        field = self.fields["stock_item"]
        field.widget = OptionDataSelect(attrs={"class": "form-select form-select-sm"})
        field.choices = [("", _("— not a store item —"))] + [  # type: ignore[attr-defined]
            (key, str(item)) for key, item in self.items.items()
        ]
        field.widget.option_data = {
            key: {
                "data-name": item.name,
                "data-spec": item.specification,
                "data-unit": item.unit,
                "data-price": f"{item.average_cost:.2f}",
            }
            for key, item in self.items.items()
        }
        for name in ("item_name", "specification", "quantity", "unit", "estimated_price"):
            widget = self.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} form-control-sm".strip()
            widget.attrs["data-line"] = name
        self.fields["stock_item"].widget.attrs["data-line"] = "stock_item"
        self.fields["quantity"].widget.attrs.update(inputmode="decimal", step="any")
        self.fields["estimated_price"].widget.attrs.update(inputmode="decimal", step="0.01")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        item = self.items.get(data.get("stock_item") or "")
        data["stock_item"] = item
        if item is not None:
            data["item_name"] = data.get("item_name") or item.name
            data["specification"] = data.get("specification") or item.specification
            problem = unit_problem(item, data.get("unit") or "")
            if problem:
                self.add_error("unit", problem)
            else:
                data["unit"] = item.unit
            if data.get("estimated_price") is None:
                data["estimated_price"] = item.average_cost.quantize(Decimal("0.01"))
        if self.is_blank(data):
            return data
        for name in ("item_name", "quantity", "unit", "estimated_price"):
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return data

    @staticmethod
    def is_blank(data: dict[str, Any]) -> bool:
        keys = ("stock_item", "item_name", "specification", "quantity", "unit", "estimated_price")
        return all(data.get(key) in (None, "") for key in keys)


class BaseLineFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, items: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.items = items or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs(index)
        kwargs["items"] = self.items
        return kwargs

    def filled(self) -> list[dict[str, Any]]:
        """The cleaned lines that are neither deleted nor blank."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and not LineForm.is_blank(form.cleaned_data)
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.filled():
            raise forms.ValidationError(_("Add at least one line."))


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=0, can_delete=True, max_num=100, validate_max=True
)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlaceForm(StyledFormMixin, forms.Form):
    """Where a new asset goes and who looks after it."""

    category = forms.ModelChoiceField(
        label=_("asset category"), queryset=AssetCategory.objects.none()
    )
    room = forms.ModelChoiceField(label=_("room"), queryset=Room.objects.none(), required=False)
    department = forms.ModelChoiceField(
        label=_("using department"), queryset=Department.objects.none(), required=False
    )
    custodian = forms.ModelChoiceField(
        label=_("custodian"), queryset=User.objects.none(), required=False
    )
    funding_source = forms.ChoiceField(
        label=_("funding source"), choices=FundingSource.choices, initial=FundingSource.FISCAL
    )
    purchase_date = forms.DateField(label=_("purchase date"), required=False)
    life_months = forms.IntegerField(
        label=_("depreciation life (months)"),
        min_value=1,
        max_value=1200,
        required=False,
        help_text=_("Empty: the category's life."),
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["category"].queryset = AssetCategory.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("sort_order", "code", "name")
        fields["room"].queryset = (  # type: ignore[attr-defined]
            Room.objects.filter(school_id=school_id, is_active=True)
            .select_related("building")
            .order_by("building__name", "floor", "number")
        )
        fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            school_id=school_id
        ).order_by("sort_order", "name")
        fields["custodian"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__school_id=school_id, memberships__is_active=True)
            .distinct()
            .order_by("real_name", "username")
        )
        for name in ("room", "department", "custodian"):
            fields[name].empty_label = EMPTY_CHOICE  # type: ignore[attr-defined]
