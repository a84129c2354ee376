"""Forms of purchase orders: consolidation, the order's details and prices, a supplier's
quote, the choice among the quotes, and a reason for cancelling or closing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm

from .models import PurchaseOrder, PurchaseOrderLine, Quotation, Supplier

PRICE = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


def school_suppliers(school_id: Any) -> QuerySet[Supplier]:
    return Supplier.objects.filter(school_id=school_id, is_active=True).order_by("name")


def school_people(school_id: int) -> QuerySet[Any]:
    people: QuerySet[Any] = (
        get_user_model()
        .objects.filter(memberships__school_id=school_id, memberships__is_active=True)
        .distinct()
        .order_by("username")
    )
    return people


class Styled(StyledFormMixin, forms.Form):
    pass


class PriceFieldsMixin:
    """One unit price field (``price_<line pk>``) per order line."""

    fields: dict[str, forms.Field]

    def add_price_fields(
        self, lines: list[PurchaseOrderLine], initial: dict[int, Decimal], disabled: bool = False
    ) -> None:
        self.price_lines = lines
        for line in lines:
            self.fields[f"price_{line.pk}"] = forms.DecimalField(
                label=f"{line.item_name} {line.specification}".strip(),
                initial=initial.get(line.pk),
                disabled=disabled,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
                **PRICE,  # type: ignore[arg-type]
            )

    def prices(self) -> dict[int, Decimal]:
        data: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        return {
            line.pk: data[f"price_{line.pk}"]
            for line in self.price_lines
            if data.get(f"price_{line.pk}") is not None
        }

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("price_")]  # type: ignore[index]

    def price_rows(self) -> list[tuple[PurchaseOrderLine, Any]]:
        return [(line, self[f"price_{line.pk}"]) for line in self.price_lines]  # type: ignore[index]


class ConsolidateForm(Styled):
    title = forms.CharField(label=_("title"), max_length=200)
    supplier = forms.ModelChoiceField(
        label=_("supplier"),
        queryset=Supplier.objects.none(),
        required=False,
        help_text=_("Leave empty to collect quotes first."),
    )
    expected_on = forms.DateField(label=_("expected delivery"), required=False)

    def __init__(self, *args: Any, school_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = school_suppliers(school_id)  # type: ignore[attr-defined]


class OrderForm(PriceFieldsMixin, StyledModelForm):
    class Meta:
        model = PurchaseOrder
        fields = [
            "title",
            "supplier",
            "expected_on",
            "delivery_address",
            "intention_published_on",
            "intention_url",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, prices_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order: PurchaseOrder = self.instance
        self.fields["supplier"].queryset = school_suppliers(order.school_id)  # type: ignore[attr-defined]
        lines = list(order.lines.all())
        self.add_price_fields(lines, {line.pk: line.unit_price for line in lines}, prices_fixed)


class QuotationForm(PriceFieldsMixin, StyledModelForm):
    class Meta:
        model = Quotation
        fields = ["supplier", "quoted_on", "valid_until", "delivery_days", "notes"]

    def __init__(self, *args: Any, order: PurchaseOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = school_suppliers(order.school_id)  # type: ignore[attr-defined]
        initial: dict[int, Decimal] = {}
        if self.instance.pk:
            initial = dict(self.instance.lines.values_list("order_line_id", "unit_price"))
        self.add_price_fields(list(order.lines.all()), initial)
        for line in self.price_lines:
            self.fields[f"price_{line.pk}"].required = True

    def _post_clean(self) -> None:
        """The service validates the quote with its order; skip the model's own checks."""


class ChooseForm(Styled):
    quotation = forms.ModelChoiceField(label=_("chosen quote"), queryset=Quotation.objects.none())
    evaluators = forms.ModelMultipleChoiceField(
        label=_("quote evaluators"),
        queryset=get_user_model().objects.none(),
        help_text=_("The people who compared the quotes and sign the record."),
    )
    reason = forms.CharField(
        label=_("reason for the choice"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, order: PurchaseOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quotation"].queryset = order.quotations.select_related("supplier")  # type: ignore[attr-defined]
        self.fields["quotation"].label_from_instance = lambda q: f"{q.supplier} · {q.total:,.2f}"  # type: ignore[attr-defined]
        self.fields["evaluators"].queryset = school_people(order.school_id)  # type: ignore[attr-defined]
        self.fields["evaluators"].widget.attrs["size"] = 6


class ReasonForm(Styled):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
