"""Forms of stock counts: starting one; the counted quantities are read from the counting
page's own inputs (``counted_<line id>`` / ``note_<line id>``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.forms import StyledFormMixin
from houqin.org.models import School

from .choices import ItemCategory
from .services.counts import Entry


class CountStartForm(StyledFormMixin, forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.all(), label=gettext_lazy("school"))
    title = forms.CharField(label=gettext_lazy("title"), max_length=100)
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("categories counted"),
        choices=ItemCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty to count every item."),
    )
    notes = forms.CharField(
        label=gettext_lazy("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].widget.attrs["class"] = "form-check-input"
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault(
                "title", _("Stock count %(date)s") % {"date": today.strftime("%Y-%m")}
            )


def parse_entries(data: Any, line_ids: set[int]) -> tuple[dict[int, Entry], list[str]]:
    """The counted quantities and notes posted for ``line_ids``; an empty quantity clears
    the line. Returns the entries and the errors (one per bad value)."""
    entries: dict[int, Entry] = {}
    errors: list[str] = []
    for key in data:
        if not key.startswith("counted_"):
            continue
        try:
            pk = int(key.removeprefix("counted_"))
        except ValueError:
            continue
        if pk not in line_ids:
            continue
        raw = str(data.get(key, "")).strip().replace(",", "")
        note = data.get(f"note_{pk}")
        if raw == "":
            entries[pk] = Entry(None, note)
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            errors.append(_("“%(value)s” is not a number.") % {"value": raw})
            continue
        if not value.is_finite() or value < 0:
            errors.append(_("A counted quantity cannot be negative."))
            continue
        if value != value.quantize(Decimal("0.001")):
            errors.append(_("At most %(places)s decimal places.") % {"places": 3})
            continue
        entries[pk] = Entry(value, note)
    return entries, errors
