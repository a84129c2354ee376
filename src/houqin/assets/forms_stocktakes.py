"""Forms of stocktakes: starting one, a surplus find, the fallback code field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm
from houqin.org.models import Building, Department, School

from .choices import StocktakeScope
from .models import AssetCategory, Stocktake


class StocktakeStartForm(StyledModelForm):
    """Name, scope and the field matching the scope (building, department or category)."""

    class Meta:
        model = Stocktake
        fields = [
            "school",
            "name",
            "scope",
            "building",
            "department",
            "category",
            "is_holiday_campaign",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["school"].queryset = School.objects.all()  # type: ignore[attr-defined]
        fields["building"].queryset = Building.objects.select_related(  # type: ignore[attr-defined]
            "campus"
        ).order_by("name")
        fields["department"].queryset = Department.objects.order_by(  # type: ignore[attr-defined]
            "sort_order", "name"
        )
        fields["category"].queryset = AssetCategory.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("sort_order", "code", "name")
        for name in ("building", "department", "category"):
            fields[name].widget.attrs["data-scope"] = name
        fields["scope"].widget.attrs["data-scope-choice"] = "1"
        fields["scope"].initial = StocktakeScope.BUILDING

    def narrow_school(self, school_ids: list[int]) -> None:
        """With one school the school field goes; choices are narrowed to that school."""
        fields = self.fields
        if len(school_ids) == 1:
            self.fields.pop("school")
            self.instance.school_id = school_ids[0]
            for name in ("building", "department"):
                field = fields[name]
                field.queryset = field.queryset.filter(  # type: ignore[attr-defined]
                    school_id=school_ids[0]
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        needed: dict[str, str] = {
            StocktakeScope.BUILDING: "building",
            StocktakeScope.DEPARTMENT: "department",
            StocktakeScope.CATEGORY: "category",
        }
        field = needed.get(str(scope or ""))
        if field and not data.get(field):
            self.add_error(field, _("Choose what to count for this scope."))
        return data

    def _post_clean(self) -> None:
        # The service numbers and saves the stocktake; the model's own checks run there.
        pass


class SurplusForm(StyledFormMixin, forms.Form):
    """An item found in the room that is not on the register (盘盈)."""

    name = forms.CharField(label=_("name"), max_length=200)
    category = forms.ModelChoiceField(label=_("category"), queryset=AssetCategory.objects.none())
    unit_price = forms.DecimalField(
        label=_("unit price (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, initial=1)
    specification = forms.CharField(
        label=_("specification / model"), max_length=200, required=False
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = AssetCategory.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("sort_order", "code", "name")
        self.fields["category"].empty_label = _("- Select an option -")  # type: ignore[attr-defined]
