"""Forms of transfers and loans."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm

from .models import Asset, AssetLoan, AssetTransfer


class AssetChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        room = f" · {obj.room}" if obj.room_id else ""
        return f"{obj.code} {obj.name}{room}"


class TransferForm(StyledModelForm):
    """The assets to move (ticked), more asset codes, and where they go."""

    assets = AssetChoiceField(
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("assets"),
    )
    codes = forms.CharField(
        label=_("add asset codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Asset codes separated by spaces, commas or new lines."),
    )

    class Meta:
        model = AssetTransfer
        fields = ["to_room", "to_custodian", "to_department", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self,
        *args: Any,
        assets: QuerySet[Asset],
        code_scope: QuerySet[Asset],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assets"]
        assert isinstance(field, AssetChoiceField)
        field.queryset = assets.select_related("room__building")
        field.widget.attrs["class"] = "form-check-input"
        self.code_scope = code_scope
        self.fields["to_room"].queryset = self.fields["to_room"].queryset.select_related(  # type: ignore[attr-defined]
            "building"
        )

    def clean_codes(self) -> list[Asset]:
        raw = self.cleaned_data.get("codes", "")
        codes = [c for c in re.split(r"[\s,，、;；]+", raw) if c]
        if not codes:
            return []
        found = list(self.code_scope.filter(code__in=codes).select_related("room__building"))
        missing = sorted(set(codes) - {a.code for a in found})
        if missing:
            raise forms.ValidationError(
                _("No asset of yours has these codes: %(codes)s.") % {"codes": "、".join(missing)}
            )
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (
            cleaned.get("to_room") or cleaned.get("to_custodian") or cleaned.get("to_department")
        ):
            raise forms.ValidationError(
                _("Choose at least one of: the new room, custodian or department.")
            )
        return cleaned

    def chosen_assets(self) -> list[Asset]:
        chosen = {a.pk: a for a in self.cleaned_data.get("assets") or []}
        for asset in self.cleaned_data.get("codes") or []:
            chosen.setdefault(asset.pk, asset)
        return list(chosen.values())


class LoanForm(StyledModelForm):
    """Lend one asset, named by its code (filled in when lending from the asset's card)."""

    asset_code = forms.CharField(label=_("asset code"), max_length=30)

    class Meta:
        model = AssetLoan
        fields = ["borrower", "borrower_name", "department", "purpose", "due_date"]

    def __init__(self, *args: Any, code_scope: QuerySet[Asset], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code_scope = code_scope
        self.order_fields(["asset_code", *self.Meta.fields])
        self.fields["borrower"].help_text = _("A member of staff, or enter a name below.")
        self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_asset_code(self) -> Asset:
        code = self.cleaned_data["asset_code"].strip()
        asset = self.code_scope.filter(code=code).select_related("school").first()
        if asset is None:
            raise forms.ValidationError(_("No asset of yours has this code."))
        return asset

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("borrower") and not (cleaned.get("borrower_name") or "").strip():
            self.add_error("borrower", _("Choose the borrower or enter their name."))
        due = cleaned.get("due_date")
        if due and due < timezone.localdate():
            self.add_error("due_date", _("The due date cannot be in the past."))
        return cleaned


class LoanReturnForm(StyledFormMixin, forms.Form):
    condition = forms.CharField(
        label=_("condition on return"),
        max_length=200,
        required=False,
        help_text=_("For example: intact, scratched, missing charger."),
    )
