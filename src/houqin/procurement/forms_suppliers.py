"""Forms of suppliers, their qualifications and the purchasing settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledModelForm

from .models import ProcurementSettings, Supplier, SupplierQualification
from .services.suppliers import credit_code_problem


class SupplierForm(StyledModelForm):
    """A supplier of one school; the credit code is checked as it is typed and on saving."""

    class Meta:
        model = Supplier
        fields = [
            "name",
            "credit_code",
            "supplies",
            "contact_person",
            "phone",
            "email",
            "address",
            "bank_name",
            "bank_account",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, school_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school_id = school_id
        if self.instance.pk is None:
            self.instance.school_id = school_id
        check = reverse("procurement:supplier_check_code")
        if self.instance.pk:
            check = f"{check}?supplier={self.instance.pk}"
        self.fields["credit_code"].widget.attrs.update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "maxlength": "18",
                "class": f"{self.fields['credit_code'].widget.attrs.get('class', '')} hq-code",
                "hx-get": check,
                "hx-trigger": "input changed delay:400ms, blur",
                "hx-target": "#credit-code-check",
                "hx-swap": "innerHTML",
                "aria-describedby": "credit-code-check",
            }
        )

    def clean_credit_code(self) -> str:
        code = str(self.cleaned_data.get("credit_code") or "").strip().upper()
        problem = credit_code_problem(self.school_id, code, self.instance.pk)
        if problem:
            raise forms.ValidationError(problem)
        return code


class QualificationForm(StyledModelForm):
    class Meta:
        model = SupplierQualification
        fields = ["kind", "number", "issued_by", "valid_until", "notes"]

    def __init__(self, *args: Any, supplier: Supplier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.supplier = supplier
        self.instance.school_id = supplier.school_id
        self.fields["valid_until"].help_text = _(
            "Leave empty for a certificate without an expiry date."
        )


# Each setting with where its default comes from (shown beside the field).
SETTING_SOURCES: dict[str, Any] = {
    "quote_threshold": _("School practice: three quotes for larger purchases [practice]."),
    "min_quotes": _("三方比价: at least 3 suppliers [practice]."),
    "min_evaluators": _("At least 3 people compare the quotes and sign the record [practice]."),
    "intention_threshold": _(
        "Central units: 1,000,000 yuan for goods and services (国办发〔2019〕55号); "
        "provinces set their own limits [law]."
    ),
    "intention_days": _(
        "Publish purchase intentions at least 30 days before buying (财库〔2020〕10号) [law]."
    ),
    "bulk_acceptance_threshold": _(
        "Bulk deliveries are checked by two or more people (MOE canteen guideline 2024) [practice]."
    ),
    "qualification_warning_days": _("A month's notice to ask the supplier for a renewal."),
}


class ProcurementSettingsForm(StyledModelForm):
    class Meta:
        model = ProcurementSettings
        fields = list(SETTING_SOURCES)

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[name], SETTING_SOURCES[name]) for name in SETTING_SOURCES]
