from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm

from . import registry
from .models import ApprovalChain, ApprovalChainStep


class ChainForm(StyledModelForm):
    request_type = forms.ChoiceField(label=_("request type"))

    class Meta:
        model = ApprovalChain
        fields = ["school", "request_type", "name", "is_active", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request_type"].choices = registry.choices()


class StepForm(StyledModelForm):
    categories = forms.CharField(
        label=_("only for categories"),
        required=False,
        help_text=_("Category codes separated by commas; empty for every category."),
    )

    class Meta:
        model = ApprovalChainStep
        fields = ["order", "name", "approver_kind", "role", "user", "min_amount", "categories"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["categories"] = ", ".join(self.instance.categories or [])

    def clean_categories(self) -> list[str]:
        raw = self.cleaned_data.get("categories") or ""
        return [c.strip() for c in raw.replace("，", ",").split(",") if c.strip()]


StepFormSet = inlineformset_factory(
    ApprovalChain,
    ApprovalChainStep,
    form=StepForm,
    extra=1,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class DecisionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting or returning for revision."),
    )
