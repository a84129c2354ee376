"""Forms of the asset register: the card, its status, categories and the school's policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from houqin.accounts.models import User
from houqin.core.forms import StyledFormMixin, StyledModelForm
from houqin.org.models import Department, Room

from .choices import AssetStatus
from .models import Asset, AssetCategory, AssetSettings

#: Statuses the keeper sets by hand; loans, disposals and repairs by others set the rest.
MANUAL_STATUSES = (
    AssetStatus.IN_USE,
    AssetStatus.IDLE,
    AssetStatus.UNDER_REPAIR,
    AssetStatus.LOST,
)


class AssetForm(StyledModelForm):
    """The card. Rooms, departments and custodians are those of the card's school."""

    code = forms.CharField(
        label=_("asset code"),
        max_length=30,
        required=False,
        help_text=_(
            "Leave empty to number the card automatically; fill in to keep a code "
            "from an earlier ledger."
        ),
    )

    class Meta:
        model = Asset
        fields = [
            "name",
            "category",
            "specification",
            "brand",
            "serial_number",
            "unit",
            "unit_price",
            "quantity",
            "purchase_date",
            "supplier_name",
            "funding_source",
            "acquisition",
            "room",
            "department",
            "custodian",
            "warranty_end",
            "life_months",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.school_id = school_id
        if self.instance.pk is not None:
            del self.fields["code"]
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
        fields["unit_price"].widget.attrs.update({"min": 0, "step": "0.01"})
        fields["quantity"].widget.attrs.update({"min": 1})


class AssetStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("new status"),
        choices=[(s.value, s.label) for s in MANUAL_STATUSES],
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class CategoryForm(StyledModelForm):
    depreciable = forms.NullBooleanField(
        label=_("depreciated"),
        required=False,
        widget=forms.NullBooleanSelect(),
        help_text=_("Empty: as the parent category."),
    )

    class Meta:
        model = AssetCategory
        fields = [
            "parent",
            "code",
            "code_source",
            "name",
            "name_en",
            "depreciable",
            "life_years",
            "life_source",
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = AssetCategory.objects.filter(level__lt=3).order_by("sort_order", "code", "name")
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        widget = self.fields["depreciable"].widget
        widget.choices = [  # type: ignore[attr-defined]
            ("unknown", _("As the parent category")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class AssetSettingsForm(StyledModelForm):
    class Meta:
        model = AssetSettings
        fields = [
            "capitalisation_threshold",
            "transfer_approval_above",
            "loan_reminder_days",
            "deliberate_multiplier",
            "residual_rate",
            "equipment_method",
            "age_rate_1y",
            "age_rate_5y",
            "age_rate_older",
        ]
