"""Forms of damage reports, their assessment, reduction and payment, and the price list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm

from .models import CompensationPriceItem, DamageReport


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DamageReportForm(StyledModelForm):
    """Phone-friendly: what, where, when, who; the item from the price list or by name."""

    mark_under_repair = forms.BooleanField(
        label=_("Put the asset under repair"),
        required=False,
        initial=True,
        help_text=_("The asset card's status becomes “Under repair”."),
    )
    photos = forms.FileField(
        label=_("Photos"),
        required=False,
        widget=PhotosInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    class Meta:
        model = DamageReport
        fields = [
            "asset",
            "price_item",
            "item_name",
            "quantity",
            "room",
            "occurred_at",
            "description",
            "responsible_kind",
            "responsible_user",
            "responsible_name",
            "student_class",
            "deliberate",
        ]
        widgets = {
            "asset": forms.HiddenInput,
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
            "item_name": forms.TextInput(attrs={"placeholder": _("e.g. 窗户玻璃")}),
            "student_class": forms.TextInput(attrs={"placeholder": _("e.g. 初二(3)班")}),
        }

    def __init__(self, *args: Any, school_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if school_id is not None:
            prices = CompensationPriceItem.objects.filter(school_id=school_id, is_active=True)
            self.fields["price_item"].queryset = prices  # type: ignore[attr-defined]
            room = self.fields["room"]
            room.queryset = room.queryset.filter(school_id=school_id).select_related("building")  # type: ignore[attr-defined]
            people = self.fields["responsible_user"]
            people.queryset = people.queryset.filter(  # type: ignore[attr-defined]
                memberships__school_id=school_id, memberships__is_active=True
            ).distinct()
            asset = self.fields["asset"]
            asset.queryset = asset.queryset.filter(school_id=school_id)  # type: ignore[attr-defined]
        self.fields["price_item"].help_text = _(
            "Choose an item of the school's price list, or name the item below."
        )
        self.fields["responsible_kind"].help_text = _(
            "Unknown: the class using the room is responsible. Natural wear: the school repairs."
        )
        if not (self.initial.get("asset") or self.data.get("asset")):
            del self.fields["mark_under_repair"]


class AssessForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Leave empty to use the amount by the rule."),
    )
    reason = forms.CharField(
        label=_("Reason for a different amount"), required=False, max_length=300
    )


class WaiverForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Reduced amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("0 waives the compensation."),
    )
    reason = forms.CharField(label=_("Reason for the reduction"), max_length=300)


class PaymentForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount paid (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=50)
    paid_on = forms.DateField(label=_("Paid on"), initial=timezone.localdate)


class PriceItemForm(StyledModelForm):
    class Meta:
        model = CompensationPriceItem
        fields = ["school", "name", "unit", "price", "notes", "is_active"]
