"""Forms of store items and of the storekeeper's manual movements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.forms import StyledFormMixin, StyledModelForm
from houqin.org.models import Department

from .choices import MovementKind
from .models import StockItem
from .services.items import MANUAL_KINDS


def hide_school_if_single(form: forms.BaseForm) -> None:
    """With one school to choose from, the school is not asked for."""
    field = form.fields.get("school")
    if field is None:
        return
    schools = list(field.queryset[:2])  # type: ignore[attr-defined]
    if len(schools) == 1:
        field.widget = forms.HiddenInput()
        field.initial = schools[0].pk
        if not form.is_bound:
            form.initial["school"] = schools[0].pk


class StockItemForm(StyledModelForm):
    class Meta:
        model = StockItem
        fields = [
            "school",
            "code",
            "name",
            "specification",
            "unit",
            "category",
            "min_stock",
            "max_stock",
            "shelf",
            "is_restricted",
            "paper_size",
            "sheets_per_unit",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"code": gettext_lazy("Leave empty to get the next code (HC-00001…).")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        if self.instance.pk is not None:
            del self.fields["school"]
        for name in ("min_stock", "max_stock"):
            self.fields[name].widget.attrs.update(inputmode="decimal", min="0")

    def clean_code(self) -> str:
        return str(self.cleaned_data.get("code") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        school = cleaned.get("school") or (
            self.instance.school if self.instance.school_id else None
        )
        code = cleaned.get("code")
        if school is not None and code:
            taken = StockItem.objects.filter(school=school, code=code).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("code", _("Another item of this school has this code."))
        return cleaned

    def validate_unique(self) -> None:
        """The code may be empty here (it is generated); the check above covers it."""


class MovementForm(StyledFormMixin, forms.Form):
    """A receipt without an order, a direct issue, a return to the store or a scrap."""

    item = forms.ModelChoiceField(
        queryset=StockItem.objects.filter(is_active=True).order_by("category", "name"),
        label=gettext_lazy("item"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("kind"))
    quantity = forms.DecimalField(
        label=gettext_lazy("quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )
    unit_cost = forms.DecimalField(
        label=gettext_lazy("unit cost (yuan)"),
        required=False,
        max_digits=14,
        decimal_places=4,
        min_value=Decimal("0"),
        help_text=gettext_lazy("For a receipt: the price paid for one unit."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )
    supplier_note = forms.CharField(
        label=gettext_lazy("supplier and invoice"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("For a receipt: where it came from (supplier, invoice number)."),
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("school_id", "sort_order", "name"),
        label=gettext_lazy("department"),
        required=False,
    )
    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("real_name"),
        label=gettext_lazy("for"),
        required=False,
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, label) for code, label in MANUAL_KINDS.items()]  # type: ignore[attr-defined]
        self.fields["person"].label_from_instance = _person_label  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == MovementKind.RECEIPT and cleaned.get("unit_cost") is None:
            self.add_error("unit_cost", _("Give the unit cost of the goods received."))
        if kind == MovementKind.ISSUE and not (cleaned.get("department") or cleaned.get("person")):
            self.add_error("department", _("Say which department or person takes it."))
        return cleaned


def _person_label(user: Any) -> str:
    return str(getattr(user, "real_name", "") or user.get_username())
