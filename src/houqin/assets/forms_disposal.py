"""Forms of the disposal pages: the request (with the asset codes) and its completion."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm

from .choices import DisposalMethod
from .models import Asset, AssetDisposal

MAX_ASSETS = 500
SEPARATORS = re.compile(r"[\s,，;；、]+")


def parse_codes(text: str) -> list[str]:
    """Codes typed or pasted one a line, or separated by commas, spaces or 、 (kept in order)."""
    return list(dict.fromkeys(code for code in SEPARATORS.split(text or "") if code))


class DisposalForm(StyledModelForm):
    field_order = ("school", "codes", "department", "reason", "condition", "appraisal")
    codes = forms.CharField(
        label=_("Asset codes"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text=_(
            "One asset code a line (or separated by commas or spaces), e.g. ZC-2024-000123."
        ),
    )

    class Meta:
        model = AssetDisposal
        fields = [
            "school",
            "department",
            "reason",
            "condition",
            "appraisal",
            "appraiser",
            "method",
            "proceeds",
        ]
        labels = {"proceeds": _("expected proceeds (yuan)")}
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 2}),
            "condition": forms.Textarea(attrs={"rows": 2}),
            "appraisal": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assets: list[Asset] = []
        if self.instance.pk is not None:
            del self.fields["school"]
            self.fields["codes"].initial = "\n".join(
                self.instance.lines.order_by("asset__code").values_list("asset__code", flat=True)
            )

    def hide_school_if_single(self) -> None:
        """With one school to choose from, the school is not asked for."""
        field = self.fields.get("school")
        if field is None:
            return
        schools = list(field.queryset[:2])  # type: ignore[attr-defined]
        if len(schools) == 1:
            field.widget = forms.HiddenInput()
            field.initial = schools[0].pk
            if not self.is_bound:
                self.initial["school"] = schools[0].pk

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        school = cleaned.get("school") or (
            self.instance.school if self.instance.school_id else None
        )
        department = cleaned.get("department")
        if school is not None and department is not None and department.school_id != school.pk:
            self.add_error("department", _("Choose a department of this school."))
        codes = parse_codes(cleaned.get("codes", ""))
        if len(codes) > MAX_ASSETS:
            self.add_error(
                "codes", _("At most %(max)s assets in one disposal.") % {"max": MAX_ASSETS}
            )
        elif school is not None and codes:
            found = {
                a.code: a
                for a in Asset.objects.filter(school=school, code__in=codes).select_related(
                    "category"
                )
            }
            missing = [code for code in codes if code not in found]
            if missing:
                self.add_error(
                    "codes",
                    ValidationError(
                        _("No asset of this school has the code %(codes)s."),
                        params={"codes": "、".join(missing)},
                    ),
                )
            self.assets = [found[code] for code in codes if code in found]
        return cleaned


class CompleteForm(StyledFormMixin, forms.Form):
    method = forms.ChoiceField(label=_("actual disposal method"), choices=DisposalMethod.choices)
    proceeds = forms.DecimalField(
        label=_("actual proceeds (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    disposed_on = forms.DateField(label=_("disposed of on"))

    def __init__(self, *args: Any, disposal: AssetDisposal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if disposal is not None and not self.is_bound:
            self.initial.update(
                {
                    "method": disposal.method,
                    "proceeds": disposal.proceeds,
                    "disposed_on": timezone.localdate(),
                }
            )
