"""Forms of acceptance: the delivery with what was delivered and accepted of each line, and
a return of accepted goods to the supplier."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from houqin.core.forms import StyledFormMixin, StyledModelForm

from .forms_orders import school_people
from .models import Acceptance, AcceptanceLine, PurchaseOrder, PurchaseOrderLine
from .services.acceptance import LineInput

QTY = {"max_digits": 14, "decimal_places": 3, "min_value": Decimal("0")}


class AcceptanceForm(StyledModelForm):
    acceptors = forms.ModelMultipleChoiceField(
        label=_("acceptors"),
        queryset=get_user_model().objects.none(),
        help_text=_("Everyone who checked the goods; bulk deliveries need at least two."),
    )

    class Meta:
        model = Acceptance
        fields = ["delivered_on", "delivery_note", "quality_score", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, order: PurchaseOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["acceptors"].queryset = school_people(order.school_id)  # type: ignore[attr-defined]
        self.fields["acceptors"].widget.attrs["size"] = 5
        given: dict[int, AcceptanceLine] = {}
        if self.instance.pk:
            self.fields["acceptors"].initial = list(self.instance.acceptors.all())
            given = {line.order_line_id: line for line in self.instance.lines.all()}
        self.order_lines: list[PurchaseOrderLine] = [
            line for line in order.lines.all() if line.outstanding > 0
        ]
        for line in self.order_lines:
            found = given.get(line.pk)
            self.fields[f"delivered_{line.pk}"] = forms.DecimalField(
                label=_("delivered"),
                required=False,
                initial=found.delivered if found else None,
                **QTY,  # type: ignore[arg-type]
            )
            self.fields[f"accepted_{line.pk}"] = forms.DecimalField(
                label=_("accepted"),
                required=False,
                initial=found.accepted if found else None,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "any"}),
                **QTY,  # type: ignore[arg-type]
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=_("quality note"),
                required=False,
                max_length=200,
                initial=found.note if found else "",
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def _post_clean(self) -> None:
        """The service validates the acceptance with its order."""

    def main_fields(self) -> list[Any]:
        names = ["delivered_on", "delivery_note", "acceptors", "quality_score", "notes"]
        return [self[name] for name in names]

    def line_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "line": line,
                "delivered": self[f"delivered_{line.pk}"],
                "accepted": self[f"accepted_{line.pk}"],
                "note": self[f"note_{line.pk}"],
            }
            for line in self.order_lines
        ]

    def line_inputs(self) -> list[LineInput]:
        data = self.cleaned_data
        found = []
        for line in self.order_lines:
            delivered = data.get(f"delivered_{line.pk}") or Decimal("0")
            accepted = data.get(f"accepted_{line.pk}")
            if accepted is None:
                accepted = delivered
            found.append(LineInput(line.pk, delivered, accepted, data.get(f"note_{line.pk}", "")))
        return found


class ReturnForm(StyledFormMixin, forms.Form):
    line = forms.ModelChoiceField(label=_("line"), queryset=AcceptanceLine.objects.none())
    quantity = forms.DecimalField(label=_("quantity"), **QTY)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args: Any, acceptance: Acceptance, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each line gives back at most what it accepted, less what already went back.
        self.fields["line"].queryset = acceptance.lines.filter(  # type: ignore[attr-defined]
            accepted__gt=F("returned_later")
        ).select_related("order_line")
        self.fields["line"].label_from_instance = lambda line: (  # type: ignore[attr-defined]
            f"{line.order_line.item_name} "
            f"({(line.accepted - line.returned_later).normalize():f} {line.order_line.unit})"
        )
